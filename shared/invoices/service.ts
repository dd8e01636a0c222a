/**
 * What the invoice routes do (functions/board/invoices.ts, functions/orders/invoices.ts): a
 * seller's settings, its invoices for the board, and a shopper's own order's invoices through the
 * tracking proof (the order's phone). Object-level rights are checked here.
 */
import {
  invoices,
  type CredentialsInfo,
  type InvoiceRecord,
  type StoredInvoiceSettings,
} from '../db/invoices.ts';
import { getOrderWithSubs } from '../db/orders.ts';
import { producers } from '../db/producers.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/permissions.ts';
import { toE164 } from '../domain/phone.ts';
import { canManageSubOrder } from '../orders/lifecycle.ts';
import { required } from '../services.ts';
import { maskUsername } from './credentials.ts';
import type { InvoiceSettingsInput } from './model.ts';

function requireSeller(principal: Principal, fulfillerId: string): void {
  if (!canManageSubOrder(principal, fulfillerId)) {
    throw forbidden('invoice.forbidden', 'Bạn không quản lý hóa đơn của đơn vị này / Not your invoices');
  }
}

export async function getInvoiceSettings(
  principal: Principal,
  fulfillerId: string,
): Promise<{ settings: StoredInvoiceSettings | null }> {
  requireSeller(principal, fulfillerId);
  return { settings: (await invoices.getSettings(fulfillerId)) ?? null };
}

/**
 * Saves a seller's settings. Its SInvoice account, when given, goes to the credential store
 * (never to the settings item, never answered back); the item keeps only that it is set and the
 * user name masked. Turning invoices on needs an account, except where every seller has a shared
 * one (the local emulator's demo account).
 */
export async function setInvoiceSettings(
  principal: Principal,
  fulfillerId: string,
  body: InvoiceSettingsInput,
  now: Date,
): Promise<{ settings: StoredInvoiceSettings }> {
  requireSeller(principal, fulfillerId);
  const producer = await producers.get(fulfillerId);
  if (!producer) throw notFound('producer.not_found', 'Không tìm thấy đơn vị bán hàng / No such seller');
  if (producer.kind === 'household') {
    throw forbidden(
      'invoice.not_vat_registered',
      'Chỉ hợp tác xã hoặc doanh nghiệp đăng ký nộp thuế GTGT mới xuất hóa đơn điện tử trên sàn; hộ sản xuất bán qua hợp tác xã của mình / ' +
        'Only a VAT-registered cooperative or enterprise issues e-invoices',
    );
  }
  const store = required('invoiceCredentials');
  const { credentials, ...settings } = body;
  const before = await invoices.getSettings(fulfillerId);
  let account: CredentialsInfo = {
    credentialsSet: before?.credentialsSet ?? false,
    ...(before?.credentialsUsername ? { credentialsUsername: before.credentialsUsername } : {}),
    ...(before?.credentialsUpdatedAt ? { credentialsUpdatedAt: before.credentialsUpdatedAt } : {}),
  };
  if (settings.enabled && !credentials && !account.credentialsSet && !store.sharedDefault) {
    throw new DomainError(
      'unprocessable',
      'invoice.credentials_required',
      'Nhập tài khoản SInvoice của đơn vị (tên đăng nhập và mật khẩu Viettel cấp) trước khi bật hóa đơn điện tử / ' +
        "Enter the seller's SInvoice account before turning e-invoices on",
    );
  }
  if (credentials) {
    // The secret first: settings that say "set" always have an account behind them.
    await store.put(fulfillerId, credentials);
    account = {
      credentialsSet: true,
      credentialsUsername: maskUsername(credentials.username),
      credentialsUpdatedAt: now.toISOString(),
    };
  }
  return {
    settings: await invoices.putSettings(fulfillerId, settings, principal.sub, now.toISOString(), account),
  };
}

/** An invoice as the board lists it (no XML). */
export function invoiceSummary(r: InvoiceRecord) {
  return {
    orderCode: r.orderCode,
    fulfillerId: r.fulfillerId,
    kind: r.kind,
    kindKey: r.kindKey,
    status: r.status,
    total: r.total,
    attempts: r.attempts,
    createdAt: r.createdAt,
    ...(r.number ? { number: r.number } : {}),
    ...(r.lookupCode ? { lookupCode: r.lookupCode } : {}),
    ...(r.lookupUrl ? { lookupUrl: r.lookupUrl } : {}),
    ...(r.issuedAt ? { issuedAt: r.issuedAt } : {}),
    ...(r.lastError ? { lastError: r.lastError } : {}),
    ...(r.lastError && r.lastErrorKind ? { lastErrorKind: r.lastErrorKind } : {}),
    ...(r.status === 'failed' && r.nextAttemptAt
      ? { nextAttemptAt: new Date(r.nextAttemptAt).toISOString() }
      : {}),
  };
}
export type InvoiceSummary = ReturnType<typeof invoiceSummary>;

export async function listInvoices(
  principal: Principal,
  fulfillerId: string,
  limit: number,
  before?: string,
): Promise<{ items: InvoiceSummary[]; next?: string }> {
  requireSeller(principal, fulfillerId);
  const page = await invoices.listForFulfiller(fulfillerId, limit, before);
  return { items: page.items.map(invoiceSummary), ...(page.next ? { next: page.next } : {}) };
}

export async function getInvoice(
  principal: Principal,
  fulfillerId: string,
  code: string,
  kindKey: string,
): Promise<InvoiceSummary & { xml: string }> {
  requireSeller(principal, fulfillerId);
  const record = await invoices.get(code, fulfillerId, kindKey);
  if (!record) throw notFound('invoice.not_found', 'Không có hóa đơn này / No such invoice');
  return { ...invoiceSummary(record), xml: record.xml };
}

/** The invoices of a shopper's order: the order's phone is the proof (same answer for a wrong one). */
export async function orderInvoicesForShopper(
  code: string,
  phone: string,
): Promise<{
  items: (Omit<InvoiceSummary, 'lastError' | 'lastErrorKind' | 'nextAttemptAt'> & { xml?: string })[];
}> {
  const found = await getOrderWithSubs(code);
  const e164 = toE164(phone);
  if (!found || !e164 || found.order.contact.phone !== e164) {
    throw notFound(
      'order.not_found',
      'Không tìm thấy đơn hàng với mã và số điện thoại này / No such order for this phone',
    );
  }
  const records = await invoices.listForOrder(code);
  return {
    // Issued: whole, with its XML. Pending or failed (being retried): the status only; the
    // provider's errors and the seller's account problems are not the shopper's to read.
    items: records.map((r) => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped for the shopper
      const { lastError, lastErrorKind, nextAttemptAt, ...summary } = invoiceSummary(r);
      return r.status === 'issued' ? { ...summary, xml: r.xml } : summary;
    }),
  };
}
