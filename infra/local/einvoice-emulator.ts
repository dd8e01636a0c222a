/**
 * A local stand-in for Viettel S-Invoice (SInvoice), answering the two web services the exchange
 * calls exactly as shared/invoices/viettel.ts describes them (with the documents it follows):
 *
 *   POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}
 *        Basic auth; JSON → {errorCode: null, description: null, result: {supplierTaxCode,
 *        invoiceNo, transactionID, reservationCode, codeOfTax}}; a transactionUuid seen before
 *        answers the invoice it issued then (duplicate check); missing fields → 400 with
 *        {errorCode, description}; wrong credentials → 401.
 *
 * Accounts: as at SInvoice, an account belongs to a seller's tax code. A tax code given an account
 * of its own (`account(taxCode, credentials)`, the seller's real account in tests) accepts only
 * that one; every other tax code accepts the demo account (EINVOICE_EMULATOR_ACCOUNT), which the
 * local credential store hands to sellers that entered none (infra/local/einvoice-credentials.ts).
 *   POST /services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid
 *        form supplierTaxCode, transactionUuid → {errorCode, description, result: [...]}.
 *   GET  /tra-cuu?taxCode=…&reservationCode=…   the buyer's lookup page (HTML), locally.
 *
 * Tests steer it: `delayNext(ms, count)` answers the next creates late (after issuing them, as a
 * slow provider does), `failNext(count, status)` refuses them before issuing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { listen } from './listen.ts';
import { Hono } from 'hono';
import {
  createViettelProvider,
  VIETTEL_PATHS,
  type ViettelInvoiceBody,
} from '../../shared/invoices/viettel.ts';

/** The emulator's account (never a real one). */
export const EINVOICE_EMULATOR_ACCOUNT = {
  username: 'sinvoice-dev',
  password: 'sinvoice-dev-password',
} as const;

export interface EmulatedInvoice {
  supplierTaxCode: string;
  transactionUuid: string;
  invoiceNo: string;
  reservationCode: string;
  transactionID: string;
  issueDate: number;
  body: ViettelInvoiceBody;
}

export interface EinvoiceEmulator {
  app: Hono;
  /** Gives a tax code its own account (the demo account no longer works for it). */
  account(taxCode: string, credentials: { username: string; password: string }): void;
  /** Every invoice issued, oldest first. */
  issued: EmulatedInvoice[];
  /** createInvoice requests received (including duplicates and refused ones). */
  creates: () => number;
  delayNext(ms: number, count?: number): void;
  failNext(count: number, status?: number): void;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function createEinvoiceEmulator(
  options: { username?: string; password?: string } = {},
): EinvoiceEmulator {
  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const demo = basic(
    options.username ?? EINVOICE_EMULATOR_ACCOUNT.username,
    options.password ?? EINVOICE_EMULATOR_ACCOUNT.password,
  );
  const accounts = new Map<string, string>(); // tax code → its own account's Basic header
  const signedIn = (header: string | undefined, taxCode: unknown) =>
    header === (accounts.get(String(taxCode)) ?? demo);
  const issued: EmulatedInvoice[] = [];
  const numbers = new Map<string, number>(); // supplier + series → last number
  let creates = 0;
  let delays: { ms: number; left: number } = { ms: 0, left: 0 };
  let failures: { status: number; left: number } = { status: 500, left: 0 };
  const app = new Hono();

  app.post(`${VIETTEL_PATHS.create}:supplierTaxCode`, async (c) => {
    if (!signedIn(c.req.header('authorization'), c.req.param('supplierTaxCode'))) {
      return c.json(
        { errorCode: 'UNAUTHORIZED', description: 'Sai tên đăng nhập hoặc mật khẩu', result: null },
        401,
      );
    }
    creates++;
    if (failures.left > 0) {
      failures.left--;
      return c.json(
        { errorCode: 'SYSTEM_ERROR', description: 'Hệ thống đang bận', result: null },
        failures.status as 500,
      );
    }
    const supplierTaxCode = c.req.param('supplierTaxCode');
    const body = (await c.req.json().catch(() => null)) as ViettelInvoiceBody | null;
    const general = body?.generalInvoiceInfo;
    if (!body || !general?.templateCode || !general.invoiceSeries || !general.transactionUuid) {
      return c.json(
        {
          errorCode: 'INVOICE_DATA_INVALID',
          description: 'Thiếu templateCode, invoiceSeries hoặc transactionUuid',
          result: null,
        },
        400,
      );
    }
    if (body.sellerInfo?.sellerTaxCode !== supplierTaxCode) {
      return c.json(
        {
          errorCode: 'SELLER_TAX_CODE_INVALID',
          description: 'Mã số thuế người bán không khớp',
          result: null,
        },
        400,
      );
    }
    if (!Array.isArray(body.itemInfo) || body.itemInfo.length === 0) {
      return c.json(
        { errorCode: 'ITEM_INFO_EMPTY', description: 'Hóa đơn không có dòng hàng hóa', result: null },
        400,
      );
    }
    let invoice = issued.find(
      (i) => i.supplierTaxCode === supplierTaxCode && i.transactionUuid === general.transactionUuid,
    );
    if (!invoice) {
      const key = `${supplierTaxCode}|${general.invoiceSeries}`;
      const number = (numbers.get(key) ?? 0) + 1;
      numbers.set(key, number);
      invoice = {
        supplierTaxCode,
        transactionUuid: general.transactionUuid,
        invoiceNo: `${general.invoiceSeries}${number}`,
        reservationCode: randomBytes(5).toString('hex').toUpperCase(),
        transactionID: randomUUID(),
        issueDate: Date.now(),
        body,
      };
      issued.push(invoice);
    }
    if (delays.left > 0) {
      delays.left--;
      await new Promise((done) => setTimeout(done, delays.ms));
    }
    return c.json({
      errorCode: null,
      description: null,
      result: {
        supplierTaxCode,
        invoiceNo: invoice.invoiceNo,
        transactionID: invoice.transactionID,
        reservationCode: invoice.reservationCode,
        codeOfTax: null,
      },
    });
  });

  app.post(VIETTEL_PATHS.search, async (c) => {
    const form = await c.req.parseBody();
    if (!signedIn(c.req.header('authorization'), form.supplierTaxCode)) {
      return c.json(
        { errorCode: 'UNAUTHORIZED', description: 'Sai tên đăng nhập hoặc mật khẩu', result: null },
        401,
      );
    }
    const found = issued.filter(
      (i) => i.supplierTaxCode === form.supplierTaxCode && i.transactionUuid === form.transactionUuid,
    );
    return c.json({
      transactionUuid: form.transactionUuid,
      errorCode: found.length ? null : 'NOT_FOUND',
      description: found.length ? null : 'Không tìm thấy hóa đơn',
      result: found.map((i) => ({
        supplierTaxCode: i.supplierTaxCode,
        invoiceNo: i.invoiceNo,
        reservationCode: i.reservationCode,
        issueDate: i.issueDate,
        status: 'Đã phát hành',
        transactionID: i.transactionID,
      })),
    });
  });

  app.get('/tra-cuu', (c) => {
    const invoice = issued.find(
      (i) =>
        i.supplierTaxCode === c.req.query('taxCode') && i.reservationCode === c.req.query('reservationCode'),
    );
    if (!invoice) return c.html('<!doctype html><meta charset="utf-8"><p>Không tìm thấy hóa đơn</p>', 404);
    const s = invoice.body.summarizeInfo;
    return c.html(
      `<!doctype html><meta charset="utf-8"><title>Hóa đơn ${escapeHtml(invoice.invoiceNo)}</title>` +
        `<h1>Hóa đơn giá trị gia tăng</h1><p>Ký hiệu ${escapeHtml(invoice.invoiceNo)} — ` +
        `${escapeHtml(invoice.body.sellerInfo.sellerLegalName)} (MST ${escapeHtml(invoice.supplierTaxCode)})</p>` +
        `<p>Người mua: ${escapeHtml(invoice.body.buyerInfo.buyerName)}</p>` +
        `<p>Tổng cộng: ${s.totalAmountWithTax.toLocaleString('vi-VN')} ₫ (${escapeHtml(s.totalAmountWithTaxInWords)})</p>`,
    );
  });

  return {
    app,
    account: (taxCode, credentials) =>
      void accounts.set(taxCode, basic(credentials.username, credentials.password)),
    issued,
    creates: () => creates,
    delayNext: (ms, count = 1) => void (delays = { ms, left: count }),
    failNext: (count, status = 500) => void (failures = { status, left: count }),
  };
}

export interface RunningEinvoiceEmulator {
  url: string;
  emulator: EinvoiceEmulator;
  stop(): Promise<void>;
}

export async function startEinvoiceEmulator(
  options: { port?: number; host?: string; username?: string; password?: string } = {},
): Promise<RunningEinvoiceEmulator> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const emulator = createEinvoiceEmulator(rest);
  const served = await listen(emulator.app.fetch, port, host);
  return { ...served, emulator };
}

/**
 * The provider the local runtime issues with: the Viettel adapter pointed at this emulator (each
 * seller's account comes from the credential store, as in AWS).
 */
export function emulatorInvoiceProvider(running: Pick<RunningEinvoiceEmulator, 'url'>, timeoutMs?: number) {
  return createViettelProvider({
    baseUrl: running.url,
    lookupBaseUrl: `${running.url}/tra-cuu`,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}
