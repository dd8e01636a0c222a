/**
 * Issuing e-invoices for sub-orders, never twice for one sub-order and kind:
 *  1. the document is built once and its record written conditionally (absent) with a fresh
 *     transaction id before the provider hears of it (db/invoices.ts `claim`);
 *  2. one run at a time holds the record (`lease`); a run that finds earlier attempts first asks
 *     the provider for the invoice of that transaction id;
 *  3. the provider gets the same transaction id on every attempt (Viettel `transactionUuid`,
 *     its duplicate check); a timeout is resolved by looking the invoice up before anything else;
 *  4. what failed stays on its due marker and is retried by the invoice lane with backoff
 *     (shared/invoices/worker.ts), the record showing the last error on the board;
 *  5. every call is made with the seller's own account (credentials.ts), read when the attempt
 *     starts: a seller who re-enters a changed password has its next retry use it.
 *
 * Kinds (Decree 123/2020/NĐ-CP Art. 19 as amended by Decree 70/2025/NĐ-CP, Circular 78/2021/TT-BTC):
 *  - ORIGINAL: on completion or payment of the part, as the seller chose;
 *  - ADJ#<ref>: a partial refund is a hóa đơn điều chỉnh giảm of the refunded amount, naming the
 *    original (TTHDLQuan, TCHDon 2), spread over the original's lines by their share;
 *  - CANCEL: the whole part cancelled or refunded after issuance is an adjustment that decreases
 *    what is left of the original to zero (returned goods: the sale is reduced, the original stays
 *    valid and referenced). A replacement (TCHDon 1) is for an invoice whose content was wrong;
 *    the document model carries it (kind `replacement`) for the day a seller corrects one.
 */
import { randomUUID } from 'node:crypto';
import {
  invoices,
  productCategories,
  type InvoiceDue,
  type InvoiceFailureKind,
  type InvoiceRecord,
} from '../db/invoices.ts';
import { getOrderWithSubs } from '../db/orders.ts';
import type { Order, SubOrder } from '../orders/model.ts';
import { buildInvoice, type InvoiceDocument, type InvoiceSettings, type SoldLine } from './model.ts';
import type { ProviderCredentialStore } from './credentials.ts';
import { ProviderError, type InvoiceProvider, type ProviderAccount } from './provider.ts';
import { SHIPPING_CATEGORY } from './vat.ts';
import { invoiceXml } from './xml.ts';

export interface IssueDeps {
  provider: InvoiceProvider;
  /** The sellers' own accounts at the provider. */
  credentials: ProviderCredentialStore;
  now: () => Date;
  /** How long one run holds a record. @default 60 s */
  leaseMs?: number;
}

export type IssueOutcome =
  | { state: 'issued'; record: InvoiceRecord }
  | { state: 'skipped'; reason: string }
  | { state: 'waiting'; reason: string }
  | { state: 'busy' };

/** YYYY-MM-DD in Vietnam time. */
export const vnDate = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

const PAYMENT = { vnpay: 'CK', vietqr: 'CK', cod: 'TM' } as const;

/** The goods and the shipping of a part as invoice lines. */
function soldLines(sub: SubOrder, categories: Map<string, string>): SoldLine[] {
  const lines: SoldLine[] = sub.lines.map((l) => ({
    code: l.variantId,
    name: `${l.productName} ${l.pack}`.trim(),
    unit: 'gói',
    category: categories.get(l.productId) ?? '',
    quantity: l.quantity,
    unitPrice: l.unitPrice,
  }));
  if (sub.shippingFee > 0) {
    lines.push({
      code: 'SHIP',
      name: 'Phí vận chuyển',
      unit: 'lần',
      category: SHIPPING_CATEGORY,
      quantity: 1,
      unitPrice: sub.shippingFee,
    });
  }
  return lines;
}

function buyerOf(order: Order): InvoiceDocument['buyer'] {
  const company = order.invoiceRequest;
  if (company) {
    return {
      name: company.companyName,
      taxCode: company.taxCode,
      address: company.address,
      email: company.email,
    };
  }
  return { name: order.contact.name, phone: order.contact.phone };
}

/**
 * Adjusting lines for `amount` (VAT included) taken off the original's lines by their share of
 * its total; the last line takes the rounding.
 */
function adjustingLines(original: InvoiceDocument, amount: number, reason: string): SoldLine[] {
  const grossOf = (l: InvoiceDocument['lines'][number]) => l.amount + l.tax;
  const total = original.lines.reduce((s, l) => s + grossOf(l), 0);
  let left = amount;
  return original.lines
    .map((line, i) => {
      const share = i === original.lines.length - 1 ? left : Math.round((amount * grossOf(line)) / total);
      left -= share;
      return {
        code: line.code,
        name: `${reason}: ${line.name}`,
        unit: line.unit,
        category: '',
        rate: line.rate,
        quantity: 1,
        unitPrice: share,
      };
    })
    .filter((l) => l.unitPrice > 0);
}

/** The document a due marker calls for, or why there is none (yet). */
async function documentFor(
  due: InvoiceDue,
  settings: InvoiceSettings,
  now: Date,
): Promise<{ doc: InvoiceDocument } | { skip: string } | { wait: string }> {
  const found = await getOrderWithSubs(due.orderCode);
  const sub = found?.subs.find((s) => s.fulfillerId === due.fulfillerId);
  if (!found || !sub) return { skip: 'order or part not found' };
  const base = {
    settings,
    issuedOn: vnDate(now),
    buyer: buyerOf(found.order),
    paymentMethod: PAYMENT[found.order.paymentMethod],
  };
  if (due.action === 'issue') {
    const categories = await productCategories(sub.lines.map((l) => l.productId));
    return { doc: buildInvoice({ ...base, kind: 'original', lines: soldLines(sub, categories) }) };
  }
  const original = await invoices.get(due.orderCode, due.fulfillerId, 'ORIGINAL');
  if (!original) return { skip: 'no invoice was issued for this part' };
  if (original.status !== 'issued') return { wait: 'the original invoice is not issued yet' };
  const originalDoc = JSON.parse(original.doc) as InvoiceDocument;
  const related = {
    templateCode: originalDoc.templateCode,
    series: originalDoc.series,
    number: original.number!,
    issuedOn: originalDoc.issuedOn,
  };
  let amount = due.amount ?? 0;
  let reason = 'Điều chỉnh giảm do hoàn tiền một phần';
  if (due.action === 'cancel') {
    const adjusted = (await invoices.listForOrder(due.orderCode))
      .filter(
        (r) => r.fulfillerId === due.fulfillerId && r.kindKey.startsWith('ADJ#') && r.status === 'issued',
      )
      .reduce((s, r) => s + r.total, 0);
    amount = originalDoc.total - adjusted;
    reason = 'Điều chỉnh giảm toàn bộ do hủy đơn, trả lại hàng';
    if (amount <= 0) return { skip: 'nothing left of the original to decrease' };
  }
  if (amount <= 0) return { skip: 'no amount to adjust' };
  const lines = adjustingLines(originalDoc, Math.min(amount, originalDoc.total), reason.split(' do ')[0]!);
  return {
    doc: buildInvoice({
      ...base,
      kind: 'adjustment',
      decrease: true,
      lines,
      related: { ...related, note: due.reason ? `${reason}: ${due.reason}` : reason },
    }),
  };
}

/** Runs one due marker: builds and records the invoice (once), then issues it. */
export async function processInvoiceDue(due: InvoiceDue, deps: IssueDeps): Promise<IssueOutcome> {
  const now = deps.now();
  const settings = await invoices.getSettings(due.fulfillerId);
  // The other trigger's marker of an original: not this seller's moment (the record, if any, is
  // retried by its own marker, after its backoff).
  if (due.trigger && settings && due.trigger !== settings.issueOn) {
    return { state: 'skipped', reason: `the seller issues on ${settings.issueOn}` };
  }
  const existing = await invoices.get(due.orderCode, due.fulfillerId, due.kindKey);
  if (existing) {
    const sellerTaxCode = (JSON.parse(existing.doc) as InvoiceDocument).seller.taxCode;
    return issueRecord(existing, sellerTaxCode, deps);
  }
  if (!settings?.enabled) return { state: 'skipped', reason: 'e-invoices are off for this seller' };
  const planned = await documentFor(due, settings, now);
  if ('skip' in planned) return { state: 'skipped', reason: planned.skip };
  if ('wait' in planned) return { state: 'waiting', reason: planned.wait };
  const { record } = await invoices.claim({
    orderCode: due.orderCode,
    fulfillerId: due.fulfillerId,
    kindKey: due.kindKey,
    kind: planned.doc.kind,
    status: 'pending',
    transactionId: randomUUID(),
    attempts: 0,
    doc: JSON.stringify(planned.doc),
    xml: invoiceXml(planned.doc, { providerTaxCode: deps.provider.taxCode }),
    total: planned.doc.total,
    createdAt: now.toISOString(),
  });
  return issueRecord(record, settings.taxCode, deps);
}

/** Issues a recorded invoice at the provider, at most once; throws ProviderError to be retried. */
export async function issueRecord(
  record: InvoiceRecord,
  sellerTaxCode: string,
  deps: IssueDeps,
): Promise<IssueOutcome> {
  if (record.status === 'issued') return { state: 'issued', record };
  const nowMs = deps.now().getTime();
  if (!(await invoices.lease(record, nowMs, nowMs + (deps.leaseMs ?? 60_000)))) return { state: 'busy' };
  const doc = JSON.parse(record.doc) as InvoiceDocument;
  const { provider } = deps;
  const done = async (issued: { number: string; lookupCode: string }): Promise<IssueOutcome> => {
    const final = { ...doc, number: issued.number };
    const result = {
      number: issued.number,
      lookupCode: issued.lookupCode,
      lookupUrl: provider.lookupUrl(issued.lookupCode, sellerTaxCode),
      xml: invoiceXml(final, { providerTaxCode: provider.taxCode }),
      issuedAt: deps.now().toISOString(),
    };
    await invoices.markIssued(record, result);
    return {
      state: 'issued',
      record: { ...record, ...result, doc: JSON.stringify(final), status: 'issued' },
    };
  };
  let account: ProviderAccount | undefined;
  try {
    account = await accountOf(record.fulfillerId, sellerTaxCode, deps.credentials);
    // An earlier attempt may have reached the provider: ask before sending again.
    if (record.attempts > 0) {
      const found = await provider.find(account, record.transactionId);
      if (found) return await done(found);
    }
    return await done(await provider.issue(account, { transactionId: record.transactionId, doc }));
  } catch (error) {
    if (account && error instanceof ProviderError && error.uncertain) {
      // Timed out or unreachable: the invoice may exist. Look it up once before giving up this try.
      const found = await provider.find(account, record.transactionId).catch(() => undefined);
      if (found) return done(found);
    }
    // Refused credentials are read again on the next attempt (the seller may have fixed them).
    if (error instanceof ProviderError && error.kind === 'auth') deps.credentials.forget(record.fulfillerId);
    await invoices.markFailed(record, failureText(error), failureKind(error));
    throw error;
  }
}

/** The seller's account, or a failure the board shows as "enter your SInvoice account". */
async function accountOf(
  sellerId: string,
  taxCode: string,
  store: ProviderCredentialStore,
): Promise<ProviderAccount> {
  const credentials = await store.get(sellerId);
  if (!credentials) {
    throw new ProviderError(
      'auth',
      'CREDENTIALS_MISSING',
      'Chưa có tài khoản SInvoice của đơn vị: nhập tên đăng nhập và mật khẩu SInvoice trong cài đặt hóa đơn; hệ thống sẽ tự thử lại.',
    );
  }
  return { taxCode, credentials };
}

const failureKind = (error: unknown): InvoiceFailureKind =>
  error instanceof ProviderError ? error.kind : 'error';

/** The last error as the board shows it: the provider's own words, or the error's name and message. */
const failureText = (error: unknown): string =>
  error instanceof ProviderError
    ? `${error.message} [${error.kind} ${error.code}]`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
