/**
 * VNPay sandbox emulator: the real sandbox (sandbox.vnpayment.vn) cannot be reached from here,
 * so the local runtime serves this on its own port. It plays VNPay's side of protocol 2.1.0
 * with the same pure protocol code the merchant uses (shared/payments/vnpay/protocol.ts);
 * the tests check both sides against the independent `vnpay` package so a shared bug shows.
 *
 *   GET  /paymentv2/vpcpay.html              checks the signed payment URL, shows the payment page
 *   POST /paymentv2/emulator/choose          the shopper's choice → 302 to vnp_ReturnUrl + IPN calls
 *   GET  /paymentv2/Payment/Error.html?code= VNPay's error page
 *   POST /merchant_webapi/api/transaction    querydr and refund (pipe-joined hashes both ways)
 *   GET  /emulator/transactions, /emulator/ipn-log   inspection (JSON)
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import {
  VNP_VERSION,
  fromVnpAmount,
  parseVnpDate,
  signPaymentResult,
  signTransactionApiResponse,
  verifyQueryDrRequest,
  verifyRefundRequest,
  verifySignedQuery,
  vnpDate,
  type PaymentResultParams,
  type TransactionApiCode,
  type TransactionApiResponse,
  type VnpParams,
} from '../../../shared/payments/vnpay/protocol.ts';

export type VnpayOutcome = 'success' | 'cancel' | 'insufficient_balance' | 'timeout';

/** The shopper's choices: `vnp_ResponseCode` (PAYMENTS.md "Codes") and the transaction status. */
export const OUTCOMES: Record<
  VnpayOutcome,
  { responseCode: string; transactionStatus: string; label: string }
> = {
  success: { responseCode: '00', transactionStatus: '00', label: 'Thanh toán thành công' },
  cancel: { responseCode: '24', transactionStatus: '02', label: 'Hủy giao dịch' },
  insufficient_balance: { responseCode: '51', transactionStatus: '02', label: 'Tài khoản không đủ số dư' },
  timeout: { responseCode: '11', transactionStatus: '02', label: 'Hết hạn chờ thanh toán' },
};

/**
 * Codes of VNPay's payment error page (`/paymentv2/Payment/Error.html?code=NN`). PAYMENTS.md
 * lists none for the pay step: these follow what the real sandbox shows (70 wrong signature,
 * 72 unknown website, 15 timed out, 03 bad format, 01 already exists).
 */
export const PAY_ERRORS = {
  '01': 'Giao dịch đã tồn tại',
  '03': 'Dữ liệu gửi sang không đúng định dạng',
  '15': 'Giao dịch đã quá thời gian chờ thanh toán',
  '70': 'Sai chữ ký',
  '72': 'Không tìm thấy website',
} as const;
export type PayErrorCode = keyof typeof PAY_ERRORS;

export interface EmulatedRefund {
  requestId: string;
  transactionType: '02' | '03';
  /** ×100, as on the wire. */
  amount: number;
  transactionNo: string;
  createBy: string;
  at: string;
}

export interface EmulatedTransaction {
  tmnCode: string;
  txnRef: string;
  /** `vnp_Amount` as received (×100). */
  amount: number;
  orderInfo: string;
  orderType: string;
  locale: string;
  returnUrl: string;
  ipAddr: string;
  bankCode: string | undefined;
  createDate: string;
  expireDate: string;
  /** One page visit = one token; the payment page posts it back. */
  token: string;
  state: 'pending' | 'paid' | 'failed';
  responseCode: string | undefined;
  /** `01` until the shopper chooses (PAYMENTS.md: 01 not completed). */
  transactionStatus: string;
  transactionNo: string;
  payDate: string | undefined;
  refunds: EmulatedRefund[];
}

export interface IpnAttempt {
  txnRef: string;
  attempt: number;
  at: string;
  url: string;
  status?: number;
  body?: unknown;
  rspCode?: string;
  error?: string;
}

export interface VnpayEmulatorOptions {
  tmnCode: string;
  hashSecret: string;
  /** The terminal's IPN URL (PAYMENTS.md: configured at VNPay, not a request parameter). */
  ipnUrl?: string;
  /** Wait between IPN calls; VNPay waits 5 minutes (PAYMENTS.md), the default here is 3 s. */
  ipnRetryIntervalMs?: number;
  /** Per-call timeout; a timeout counts as a failed call and is retried. */
  ipnTimeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  /** `always99` answers every refund `99`, as VNPay's real sandbox does (PAYMENTS.md). */
  refundMode?: 'process' | 'always99';
}

/** PAYMENTS.md: VNPay stops on `00` or `02`; otherwise it retries, up to 10 calls in all. */
export const IPN_MAX_CALLS = 10;
const IPN_STOP_CODES = new Set(['00', '02']);

export interface PayResult {
  /** Where the shopper's browser is sent: `vnp_ReturnUrl` with the signed result query. */
  redirectUrl: string;
  /** The signed result query (also sent to the IPN URL). */
  query: string;
  /** Settles when IPN delivery stops (answered 00/02, 10 calls, or stopped). */
  ipn: Promise<IpnAttempt[]>;
}

export class EmulatorError extends Error {
  override name = 'EmulatorError';
}

export function createVnpayEmulator(options: VnpayEmulatorOptions) {
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? globalThis.fetch;
  const retryMs = options.ipnRetryIntervalMs ?? 3000;
  const ipnTimeoutMs = options.ipnTimeoutMs ?? 5000;
  const transactions = new Map<string, EmulatedTransaction>();
  const requestIds = new Set<string>();
  const ipnLog: IpnAttempt[] = [];
  const pending = new Set<Promise<IpnAttempt[]>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  let nextTransactionNo = 14_000_000 + Math.floor(Math.random() * 1_000_000);

  const newTransactionNo = () => String(nextTransactionNo++);
  const randomId = () => randomBytes(8).toString('hex');

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  // ----- payment URL -------------------------------------------------------------------------

  type Checked = { ok: true; params: VnpParams } | { ok: false; code: PayErrorCode; detail: string };

  /** Checks a payment request the way VNPay does: terminal, signature, then each parameter. */
  function checkPaymentRequest(url: URL): Checked {
    const fail = (code: PayErrorCode, detail: string): Checked => ({ ok: false, code, detail });
    const check = verifySignedQuery(url.searchParams, options.hashSecret);
    const p = check.params;
    // The terminal comes first: its secret is what the signature is checked with.
    if (p.vnp_TmnCode !== options.tmnCode) return fail('72', 'unknown vnp_TmnCode');
    if (!check.valid) return fail('70', `signature: ${check.reason}`);
    if (p.vnp_Version !== VNP_VERSION) return fail('03', 'vnp_Version must be 2.1.0');
    if (p.vnp_Command !== 'pay') return fail('03', 'vnp_Command must be pay');
    // Numeric[1,12], ×100: whole VND only (PAYMENTS.md: VND × 100, digits only).
    if (!/^\d{1,12}$/.test(p.vnp_Amount ?? '') || fromVnpAmount(p.vnp_Amount) === undefined) {
      return fail('03', 'vnp_Amount must be digits, a whole VND amount × 100');
    }
    if (p.vnp_CurrCode !== 'VND') return fail('03', 'vnp_CurrCode must be VND');
    if (!p.vnp_TxnRef) return fail('03', 'vnp_TxnRef is required');
    if (!p.vnp_OrderInfo) return fail('03', 'vnp_OrderInfo is required');
    if (!p.vnp_OrderType) return fail('03', 'vnp_OrderType is required');
    if (p.vnp_Locale !== 'vn' && p.vnp_Locale !== 'en') return fail('03', 'vnp_Locale must be vn or en');
    if (!p.vnp_IpAddr) return fail('03', 'vnp_IpAddr is required');
    if (!/^https?:\/\//.test(p.vnp_ReturnUrl ?? '')) return fail('03', 'vnp_ReturnUrl is required');
    const created = parseVnpDate(p.vnp_CreateDate ?? '');
    if (!created) return fail('03', 'vnp_CreateDate must be yyyyMMddHHmmss (GMT+7)');
    const expires = parseVnpDate(p.vnp_ExpireDate ?? '');
    if (!expires) return fail('03', 'vnp_ExpireDate must be yyyyMMddHHmmss (GMT+7)');
    if (expires.getTime() <= created.getTime())
      return fail('03', 'vnp_ExpireDate must be after vnp_CreateDate');
    if (now().getTime() > expires.getTime()) return fail('15', 'vnp_ExpireDate has passed');
    const existing = transactions.get(p.vnp_TxnRef);
    if (existing && existing.state !== 'pending') return fail('01', 'vnp_TxnRef already used');
    return { ok: true, params: p };
  }

  function register(p: VnpParams): EmulatedTransaction {
    const existing = transactions.get(p.vnp_TxnRef!);
    // A reload of the same pending payment keeps its record.
    if (existing && existing.state === 'pending' && existing.amount === Number(p.vnp_Amount)) return existing;
    const txn: EmulatedTransaction = {
      tmnCode: p.vnp_TmnCode!,
      txnRef: p.vnp_TxnRef!,
      amount: Number(p.vnp_Amount),
      orderInfo: p.vnp_OrderInfo!,
      orderType: p.vnp_OrderType!,
      locale: p.vnp_Locale!,
      returnUrl: p.vnp_ReturnUrl!,
      ipAddr: p.vnp_IpAddr!,
      bankCode: p.vnp_BankCode,
      createDate: p.vnp_CreateDate!,
      expireDate: p.vnp_ExpireDate!,
      token: randomId(),
      state: 'pending',
      responseCode: undefined,
      transactionStatus: '01',
      transactionNo: '0',
      payDate: undefined,
      refunds: [],
    };
    transactions.set(txn.txnRef, txn);
    return txn;
  }

  /** Accepts a signed payment URL as the browser would (the test hook's first half). */
  function open(paymentUrl: string): EmulatedTransaction {
    const checked = checkPaymentRequest(new URL(paymentUrl));
    if (!checked.ok) throw new EmulatorError(`VNPay error ${checked.code}: ${checked.detail}`);
    return register(checked.params);
  }

  // ----- the shopper's choice, return URL and IPN -------------------------------------------

  /** Does what clicking an outcome on the payment page does. */
  function pay(txnRef: string, outcome: VnpayOutcome): PayResult {
    const txn = transactions.get(txnRef);
    if (!txn) throw new EmulatorError(`no payment ${txnRef} was opened`);
    if (txn.state !== 'pending') throw new EmulatorError(`payment ${txnRef} is already ${txn.state}`);
    const at = now();
    // Paying after vnp_ExpireDate is a timeout, whatever was clicked.
    const expired = at.getTime() > parseVnpDate(txn.expireDate)!.getTime();
    const o = OUTCOMES[expired ? 'timeout' : outcome];
    const reachedBank = o.responseCode === '00' || o.responseCode === '51';
    txn.state = o.responseCode === '00' ? 'paid' : 'failed';
    txn.responseCode = o.responseCode;
    txn.transactionStatus = o.transactionStatus;
    // VNPay answers TransactionNo 0 when the shopper never reached a bank (cancel, timeout).
    txn.transactionNo = reachedBank ? newTransactionNo() : '0';
    txn.payDate = vnpDate(at);

    const result: PaymentResultParams = {
      vnp_Amount: String(txn.amount),
      vnp_BankCode: reachedBank ? (txn.bankCode ?? 'NCB') : 'VNPAY',
      ...(o.responseCode === '00' ? { vnp_BankTranNo: `VNP${txn.transactionNo}` } : {}),
      vnp_CardType: reachedBank ? 'ATM' : 'QRCODE',
      vnp_OrderInfo: txn.orderInfo,
      vnp_PayDate: txn.payDate,
      vnp_ResponseCode: o.responseCode,
      vnp_TmnCode: txn.tmnCode,
      vnp_TransactionNo: txn.transactionNo,
      vnp_TransactionStatus: o.transactionStatus,
      vnp_TxnRef: txn.txnRef,
    };
    const query = signPaymentResult(result, options.hashSecret);
    const redirectUrl = `${txn.returnUrl}${txn.returnUrl.includes('?') ? '&' : '?'}${query}`;
    const ipn = options.ipnUrl ? deliverIpn(txn.txnRef, options.ipnUrl, query) : Promise.resolve([]);
    return { redirectUrl, query, ipn };
  }

  function deliverIpn(txnRef: string, ipnUrl: string, query: string): Promise<IpnAttempt[]> {
    const url = `${ipnUrl}${ipnUrl.includes('?') ? '&' : '?'}${query}`;
    const run = async () => {
      const attempts: IpnAttempt[] = [];
      for (let attempt = 1; attempt <= IPN_MAX_CALLS && !stopped; attempt++) {
        if (attempt > 1) await sleep(retryMs);
        if (stopped) break;
        const entry: IpnAttempt = { txnRef, attempt, at: now().toISOString(), url };
        try {
          const res = await doFetch(url, { method: 'GET', signal: AbortSignal.timeout(ipnTimeoutMs) });
          entry.status = res.status;
          const text = await res.text();
          try {
            entry.body = JSON.parse(text) as unknown;
            const code = (entry.body as { RspCode?: unknown } | null)?.RspCode;
            if (typeof code === 'string') entry.rspCode = code;
          } catch {
            entry.body = text;
          }
        } catch (error) {
          entry.error = error instanceof Error ? error.message : String(error);
        }
        ipnLog.push(entry);
        attempts.push(entry);
        if (entry.rspCode && IPN_STOP_CODES.has(entry.rspCode)) break;
      }
      return attempts;
    };
    const p = run();
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  }

  // ----- querydr and refund ------------------------------------------------------------------

  function apiAnswer(
    command: 'querydr' | 'refund',
    code: TransactionApiCode,
    message: string,
    extra: Partial<TransactionApiResponse> = {},
  ): TransactionApiResponse {
    const { vnp_SecureHash: _drop, ...rest } = extra;
    return signTransactionApiResponse(
      {
        vnp_ResponseId: randomId(),
        vnp_Command: command,
        vnp_ResponseCode: code,
        vnp_Message: message,
        vnp_TmnCode: options.tmnCode,
        ...rest,
      },
      options.hashSecret,
    );
  }

  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

  function transactionApi(body: Record<string, unknown>): TransactionApiResponse {
    const command = body.vnp_Command === 'refund' ? 'refund' : 'querydr';
    if (body.vnp_Command !== 'querydr' && body.vnp_Command !== 'refund') {
      return apiAnswer(command, '03', 'Invalid vnp_Command');
    }
    if (str(body.vnp_TmnCode) !== options.tmnCode) return apiAnswer(command, '02', 'Invalid TmnCode');
    const verified =
      command === 'querydr'
        ? verifyQueryDrRequest(body, options.hashSecret)
        : verifyRefundRequest(body, options.hashSecret);
    if (!verified) return apiAnswer(command, '97', 'Invalid Checksum');

    const requestId = str(body.vnp_RequestId);
    const txnRef = str(body.vnp_TxnRef);
    const badFormat =
      !requestId ||
      !txnRef ||
      str(body.vnp_Version) !== VNP_VERSION ||
      !parseVnpDate(str(body.vnp_TransactionDate) ?? '') ||
      !parseVnpDate(str(body.vnp_CreateDate) ?? '') ||
      !str(body.vnp_IpAddr) ||
      !str(body.vnp_OrderInfo);
    if (badFormat) return apiAnswer(command, '03', 'Invalid request format');
    // PAYMENTS.md: vnp_RequestId is unique per day; a repeat is 94.
    if (requestIds.has(requestId)) return apiAnswer(command, '94', 'Duplicate request');
    requestIds.add(requestId);

    const txn = transactions.get(txnRef);
    // VNPay finds a transaction by TxnRef and its date (the payment's vnp_CreateDate).
    if (!txn || txn.createDate !== str(body.vnp_TransactionDate)) {
      return apiAnswer(
        command,
        '91',
        command === 'refund' ? 'Refund transaction not found' : 'Transaction not found',
      );
    }
    const payment = {
      vnp_TxnRef: txn.txnRef,
      vnp_OrderInfo: txn.orderInfo,
      vnp_BankCode: txn.bankCode ?? (txn.state === 'paid' ? 'NCB' : ''),
    };
    if (command === 'querydr') {
      return apiAnswer('querydr', '00', 'QueryDR Success', {
        ...payment,
        vnp_Amount: String(txn.amount),
        vnp_PayDate: txn.payDate ?? '',
        vnp_TransactionNo: txn.transactionNo,
        vnp_TransactionType: '01',
        vnp_TransactionStatus: txn.transactionStatus,
      });
    }
    return refund(body, txn, payment);
  }

  function refund(
    body: Record<string, unknown>,
    txn: EmulatedTransaction,
    payment: Partial<TransactionApiResponse>,
  ): TransactionApiResponse {
    if (options.refundMode === 'always99')
      return apiAnswer('refund', '99', 'Refund is not available in sandbox');
    const type = str(body.vnp_TransactionType);
    const amountText = str(body.vnp_Amount) ?? '';
    const amountVnd = fromVnpAmount(amountText);
    const transactionNo = str(body.vnp_TransactionNo) ?? '0';
    const createBy = str(body.vnp_CreateBy);
    if ((type !== '02' && type !== '03') || amountVnd === undefined || !createBy) {
      return apiAnswer('refund', '03', 'Invalid request format');
    }
    if (transactionNo !== '0' && transactionNo !== txn.transactionNo) {
      return apiAnswer('refund', '91', 'Refund transaction not found');
    }
    // PAYMENTS.md: 95 refund refused (payment not successful).
    if (txn.state !== 'paid') return apiAnswer('refund', '95', 'Transaction is not successful');
    const amount = Number(amountText);
    const refunded = txn.refunds.reduce((sum, r) => sum + r.amount, 0);
    const remaining = txn.amount - refunded;
    // PAYMENTS.md: 94 duplicate/in progress, for a payment already fully refunded.
    if (remaining === 0) return apiAnswer('refund', '94', 'Transaction has already been refunded');
    // 02 full: the whole payment, nothing refunded before; 03 partial: at most what is left.
    if (type === '02' && (refunded > 0 || amount !== txn.amount)) {
      return apiAnswer('refund', '03', 'Full refund amount must equal the payment amount');
    }
    if (type === '03' && amount > remaining)
      return apiAnswer('refund', '03', 'Refund amount exceeds the balance');
    const at = vnpDate(now());
    const entry: EmulatedRefund = {
      requestId: str(body.vnp_RequestId)!,
      transactionType: type,
      amount,
      transactionNo: newTransactionNo(),
      createBy,
      at,
    };
    txn.refunds.push(entry);
    return apiAnswer('refund', '00', 'Refund success', {
      ...payment,
      vnp_Amount: String(amount),
      vnp_PayDate: at,
      vnp_TransactionNo: entry.transactionNo,
      vnp_TransactionType: type,
      // PAYMENTS.md: 05 refund processing.
      vnp_TransactionStatus: '05',
    });
  }

  // ----- HTTP --------------------------------------------------------------------------------

  const app = new Hono();

  app.get('/paymentv2/vpcpay.html', (c) => {
    const checked = checkPaymentRequest(new URL(c.req.url));
    if (!checked.ok) return c.redirect(`/paymentv2/Payment/Error.html?code=${checked.code}`, 302);
    const txn = register(checked.params);
    return c.html(paymentPage(txn));
  });

  app.post('/paymentv2/emulator/choose', async (c) => {
    const form = await c.req.parseBody();
    const txn = [...transactions.values()].find((t) => t.token === form.token);
    const outcome = String(form.outcome) as VnpayOutcome;
    if (!txn || txn.state !== 'pending' || !Object.hasOwn(OUTCOMES, outcome)) {
      return c.redirect('/paymentv2/Payment/Error.html?code=01', 302);
    }
    return c.redirect(pay(txn.txnRef, outcome).redirectUrl, 302);
  });

  app.get('/paymentv2/Payment/Error.html', (c) => {
    const code = c.req.query('code') ?? '99';
    const message = (PAY_ERRORS as Record<string, string>)[code] ?? 'Giao dịch không thành công';
    return c.html(
      page(
        'Thông báo lỗi',
        `<h1>Thông báo</h1><p>${escapeHtml(message)}</p><p>Mã lỗi: ${escapeHtml(code)}</p>`,
      ),
    );
  });

  app.post('/merchant_webapi/api/transaction', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(apiAnswer('querydr', '03', 'Invalid JSON'));
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return c.json(apiAnswer('querydr', '03', 'Invalid JSON'));
    return c.json(transactionApi(body as Record<string, unknown>));
  });

  app.get('/emulator/transactions', (c) => c.json([...transactions.values()]));
  app.get('/emulator/ipn-log', (c) => c.json(ipnLog));

  return {
    app,
    /** Every IPN call made, in order, with the merchant's answer. */
    ipnLog,
    transactions: transactions as ReadonlyMap<string, EmulatedTransaction>,
    open,
    pay,
    /** Resolves when every IPN delivery in flight has stopped. */
    async ipnIdle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    /** Stops IPN retries (pending waits are cancelled). */
    stop(): void {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type VnpayEmulator = ReturnType<typeof createVnpayEmulator>;

// ----- pages -------------------------------------------------------------------------------

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – VNPay (giả lập)</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
button{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem;cursor:pointer}
.note{color:#555;font-size:.875rem}</style></head>
<body>${body}<p class="note">Cổng thanh toán VNPay giả lập cho môi trường phát triển. Không có tiền thật.</p></body></html>`;
}

function paymentPage(txn: EmulatedTransaction): string {
  const amount = new Intl.NumberFormat('vi-VN').format(txn.amount / 100);
  const buttons = (Object.keys(OUTCOMES) as VnpayOutcome[])
    .map(
      (o) =>
        `<button type="submit" name="outcome" value="${o}">${escapeHtml(OUTCOMES[o].label)} (${OUTCOMES[o].responseCode})</button>`,
    )
    .join('\n');
  return page(
    'Thanh toán',
    `<h1>Thanh toán qua VNPay</h1>
<dl><dt>Mã giao dịch</dt><dd>${escapeHtml(txn.txnRef)}</dd>
<dt>Nội dung</dt><dd>${escapeHtml(txn.orderInfo)}</dd>
<dt>Số tiền</dt><dd>${amount} ₫</dd></dl>
<form method="post" action="/paymentv2/emulator/choose">
<input type="hidden" name="token" value="${escapeHtml(txn.token)}">
<p>Chọn kết quả thanh toán:</p>
${buttons}
</form>`,
  );
}
