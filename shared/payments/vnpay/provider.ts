/**
 * The `vnpay` payment provider (VNPay 2.1.0, see protocol.ts for the wire format).
 *
 * confirm: a fresh `vnp_TxnRef` per attempt (alphanumeric, unique per day, 32 chars), the signed
 * payment URL as a `redirect_to_url` next action, and, in the same transaction as the move to
 * `requires_action`:
 *   VNPTXN#<txnRef>  / TXN                               txnRef → intent, amount, create date
 *   VNPAYPENDING#<shard> / <windowEndMs>#<intentId>#<txnRef>  "waiting for VNPay" marker; sharded
 *                    (`<shard>` 00…31 from a hash of the intent id, db/shards.ts), one
 *                    reconciliation worker a shard
 * The intent's metadata keeps `vnp_txn_ref`, `vnp_create_date` (querydr and refund need the
 * payment's TransactionDate) and `vnp_expire_date`. The IPN (ipn.ts) or the reconciliation
 * (reconcile.ts) settles the intent and deletes the marker in the settling transaction, so the
 * markers whose window has ended are exactly the intents nobody has heard back about.
 *
 * Shopper IP, locale, return URL and bank come from the intent's metadata (`client_ip`, `locale`,
 * `return_url`, `bank_code`), defaulting to 127.0.0.1, `vn`, `settings.returnUrl` (its English
 * twin `settings.returnUrlEn` for `locale: en`) and none (the shopper chooses at VNPay).
 *
 * refund: VNPay's refund API (02 full, 03 partial). Answer 00 → `succeeded`: VNPay has taken the
 * refund. Its vnp_TransactionStatus on that answer is 05 ("refund processing", kept in the
 * refund's metadata as `vnp_refund_status`) and VNPay never calls back when the bank is done,
 * so a `pending` refund would stay pending for ever; like Stripe's `succeeded` (submitted to
 * the network), it means the money is on its way back. A refusal → `failed` with `failure_reason`
 * `vnp_refund_<code>` (the manual path is then `metadata: {manual: 'true'}`, handled by the
 * core). No answer, or an answer whose signature does not verify, → `pending` with
 * `vnp_refund_state: 'unknown'`: the money may have gone back, so it still counts against what
 * can be refunded, and a manager checks VNPay's merchant admin (never a blind second refund).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { putTxnAndMarker, type VnpayTxn } from '../../db/vnpay-transactions.ts';
import { invalidRequest } from '../errors.ts';
import type { PaymentOutcome, PaymentProvider, RefundOutcome } from '../providers/provider.ts';
import type { LastPaymentError, Metadata, PaymentIntent } from '../types.ts';
import {
  SAFE_TEXT,
  VnpayInputError,
  buildPaymentUrl,
  buildQueryDrRequest,
  buildRefundRequest,
  fromVnpAmount,
  parseVnpDate,
  toVnpOrderInfo,
  acceptedSecrets,
  verifyQueryDrResponse,
  verifyRefundResponse,
  type PaymentResult,
  type TransactionApiResponse,
  type VnpLocale,
} from './protocol.ts';

export interface VnpaySettings {
  tmnCode: string;
  /** Signs our requests and checks VNPay's answers. */
  hashSecret: string;
  /** During a secret switch: VNPay's answers signed with the old secret are still accepted. */
  previousHashSecret?: string;
  /** e.g. http://127.0.0.1:8081/paymentv2/vpcpay.html locally. */
  payUrl: string;
  /** …/merchant_webapi/api/transaction (querydr and refund). */
  apiUrl: string;
  /** Default return URL (a site page) when the intent's metadata gives none. */
  returnUrl: string;
  /** The same page in English, for intents whose metadata says `locale: en`. */
  returnUrlEn?: string;
  /** How long the shopper has to pay: vnp_ExpireDate = create date + this. Default 15. */
  paymentWindowMinutes?: number;
  fetch?: typeof fetch;
  /** `vnp_IpAddr` of our own querydr/refund calls. Default 127.0.0.1. */
  serverIp?: string;
  /** Timeout of a querydr/refund call. Default 10 s. */
  apiTimeoutMs?: number;
}

export const DEFAULT_PAYMENT_WINDOW_MINUTES = 15;

// ---------------------------------------------------------------------------------------------
// Items

export { deleteMarker, VNPAY_PENDING_PARTITION, type VnpayTxn } from '../../db/vnpay-transactions.ts';

// ---------------------------------------------------------------------------------------------
// Outcomes

/** What VNPay's codes mean, for `last_payment_error.message` (PAYMENTS.md "Codes"). */
const RESPONSE_MESSAGES: Record<string, string> = {
  '02': 'Giao dịch không thành công (the payment did not go through)',
  '04': 'Giao dịch bị đảo tại VNPay (the payment was reversed)',
  '07': 'Giao dịch bị nghi ngờ gian lận (suspected fraud)',
  '09': 'Thẻ/Tài khoản chưa đăng ký InternetBanking (not registered for internet banking)',
  '10': 'Xác thực thông tin thẻ/tài khoản sai quá 3 lần (card details wrong 3 times)',
  '11': 'Đã hết hạn chờ thanh toán (the payment window expired)',
  '12': 'Thẻ/Tài khoản bị khóa (card or account locked)',
  '13': 'Nhập sai mật khẩu xác thực giao dịch (wrong OTP)',
  '24': 'Khách hàng hủy giao dịch (the customer cancelled)',
  '51': 'Tài khoản không đủ số dư (insufficient balance)',
  '65': 'Tài khoản vượt quá hạn mức giao dịch trong ngày (daily limit exceeded)',
  '75': 'Ngân hàng thanh toán đang bảo trì (the bank is under maintenance)',
  '79': 'Nhập sai mật khẩu thanh toán quá số lần quy định (wrong password too often)',
};

export function vnpayFailure(code: string): LastPaymentError {
  return {
    type: 'card_error',
    code: `vnp_${code}`,
    message: RESPONSE_MESSAGES[code] ?? 'Giao dịch không thành công (the payment failed)',
    payment_method_type: 'vnpay',
  };
}

/** What VNPay told us about the payment, kept on the intent. */
export function paymentMetadata(payment: PaymentResult): Metadata {
  const m: Metadata = {
    vnp_response_code: payment.responseCode,
    vnp_transaction_status: payment.transactionStatus,
  };
  if (payment.transactionNo && payment.transactionNo !== '0') m.vnp_transaction_no = payment.transactionNo;
  if (payment.bankCode) m.vnp_bank_code = payment.bankCode;
  if (payment.bankTranNo) m.vnp_bank_tran_no = payment.bankTranNo;
  if (payment.cardType) m.vnp_card_type = payment.cardType;
  if (payment.paidAt) m.vnp_pay_date = payment.paidAt.toISOString();
  return m;
}

// ---------------------------------------------------------------------------------------------
// The transaction API (querydr, refund)

/** A querydr answer whose signature verified. */
export type QueryDrAnswer =
  { ok: true; body: TransactionApiResponse } | { ok: false; code: string; message: string };

/**
 * One call of the transaction API, bounded by `apiTimeoutMs` from start to parsed answer: the
 * request is aborted at the deadline, and the call gives up then even if the transport ignores
 * the abort, so a VNPay that hangs holds up only the reconciliation lane, never for longer.
 */
async function postApi(settings: VnpaySettings, body: object): Promise<unknown> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  const timeoutMs = settings.apiTimeoutMs ?? 10_000;
  // One timer: the signal aborts the request and, for a fetch that ignores signals, the wait.
  const signal = AbortSignal.timeout(timeoutMs);
  const deadline = new Promise<never>((_, reject) =>
    signal.addEventListener(
      'abort',
      () => reject(new Error(`VNPay API gave no answer within ${timeoutMs} ms`)),
      { once: true },
    ),
  );
  const call = (async () => {
    const res = await doFetch(settings.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) throw new Error(`VNPay API answered HTTP ${res.status}`);
    return res.json();
  })();
  try {
    return await Promise.race([call, deadline]);
  } finally {
    call.catch(() => undefined);
    deadline.catch(() => undefined);
  }
}

/** vnp_RequestId: unique per day (PAYMENTS.md), 32 hex characters. */
const requestId = () => randomUUID().replace(/-/g, '');

/**
 * querydr for one payment. Throws when VNPay cannot be reached; `ok: false` when it answers
 * with an API error code (91 = VNPay has no such payment: the shopper never opened the page).
 * An answer that fails its signature check is an error, never trusted.
 */
export async function queryVnpayTransaction(
  settings: VnpaySettings,
  txn: { txnRef: string; createDate: string },
  now: Date,
): Promise<QueryDrAnswer> {
  const request = buildQueryDrRequest(settings, {
    requestId: requestId(),
    txnRef: txn.txnRef,
    transactionDate: txn.createDate,
    createdAt: now,
    ipAddr: settings.serverIp ?? '127.0.0.1',
    orderInfo: `Truy van ${txn.txnRef}`,
  });
  const body = (await postApi(settings, request)) as TransactionApiResponse;
  if (!body || typeof body !== 'object' || !verifyQueryDrResponse(body, acceptedSecrets(settings))) {
    throw new Error('VNPay querydr answer failed its signature check');
  }
  if (body.vnp_ResponseCode !== '00') {
    return { ok: false, code: String(body.vnp_ResponseCode), message: String(body.vnp_Message ?? '') };
  }
  if (body.vnp_TmnCode !== settings.tmnCode || body.vnp_TxnRef !== txn.txnRef) {
    throw new Error('VNPay querydr answer is about another payment');
  }
  return { ok: true, body };
}

/** The final state querydr reports, or null while VNPay has none (PAYMENTS.md statuses). */
export type QueriedPayment =
  | { state: 'succeeded'; amount: number | undefined; metadata: Metadata }
  | { state: 'processing'; metadata: Metadata }
  | { state: 'failed'; code: string; metadata: Metadata }
  | { state: 'not_completed' }
  | { state: 'unknown'; detail: string };

export function readQueryDr(answer: QueryDrAnswer): QueriedPayment {
  if (!answer.ok) {
    return answer.code === '91'
      ? { state: 'not_completed' }
      : { state: 'unknown', detail: `api_${answer.code}` };
  }
  const b = answer.body;
  const status = b.vnp_TransactionStatus ?? '';
  const metadata: Metadata = { vnp_transaction_status: status };
  if (b.vnp_TransactionNo && b.vnp_TransactionNo !== '0') metadata.vnp_transaction_no = b.vnp_TransactionNo;
  if (b.vnp_BankCode) metadata.vnp_bank_code = b.vnp_BankCode;
  if (b.vnp_PayDate) metadata.vnp_pay_date_raw = b.vnp_PayDate;
  switch (status) {
    case '00':
      return { state: 'succeeded', amount: fromVnpAmount(b.vnp_Amount), metadata };
    case '01':
      return { state: 'not_completed' };
    case '07':
      return { state: 'processing', metadata };
    case '02':
    case '04':
      return { state: 'failed', code: status, metadata };
    default:
      // 05/06/09 are refund states: not a payment result to apply.
      return { state: 'unknown', detail: `status_${status}` };
  }
}

export interface VnpayRefundInput {
  txnRef: string;
  createDate: string;
  transactionNo: string | undefined;
  amount: number;
  full: boolean;
  createBy: string;
  orderInfo: string;
  now: Date;
}

/** One call of VNPay's refund API, read into a refund outcome (see the header). */
export async function refundVnpayPayment(
  settings: VnpaySettings,
  input: VnpayRefundInput,
): Promise<RefundOutcome> {
  const request = buildRefundRequest(settings, {
    requestId: requestId(),
    transactionType: input.full ? '02' : '03',
    txnRef: input.txnRef,
    amountVnd: input.amount,
    transactionNo: input.transactionNo,
    transactionDate: input.createDate,
    createBy: safeText(input.createBy, 'system'),
    createdAt: input.now,
    ipAddr: settings.serverIp ?? '127.0.0.1',
    orderInfo: safeText(input.orderInfo, `Hoan tien ${input.txnRef}`),
  });
  let body: TransactionApiResponse;
  try {
    body = (await postApi(settings, request)) as TransactionApiResponse;
  } catch (error) {
    return unknownRefund(`no answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!body || typeof body !== 'object' || !verifyRefundResponse(body, acceptedSecrets(settings))) {
    return unknownRefund('the answer failed its signature check');
  }
  const metadata: Metadata = {
    vnp_refund_request_id: request.vnp_RequestId,
    vnp_refund_response_code: String(body.vnp_ResponseCode),
    vnp_refund_message: String(body.vnp_Message ?? '').slice(0, 500),
  };
  if (body.vnp_ResponseCode !== '00') {
    return { status: 'failed', failure_reason: `vnp_refund_${body.vnp_ResponseCode}`, metadata };
  }
  if (body.vnp_TransactionNo) metadata.vnp_refund_transaction_no = body.vnp_TransactionNo;
  if (body.vnp_TransactionStatus) metadata.vnp_refund_status = body.vnp_TransactionStatus;
  return { status: 'succeeded', metadata };
}

function unknownRefund(detail: string): RefundOutcome {
  return {
    status: 'pending',
    metadata: { vnp_refund_state: 'unknown', vnp_refund_detail: detail.slice(0, 500) },
  };
}

const safeText = (text: string | undefined, fallback: string) => {
  const folded = toVnpOrderInfo(text ?? '');
  return folded && SAFE_TEXT.test(folded) ? folded : fallback;
};

// ---------------------------------------------------------------------------------------------
// Provider

const TXN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const INTENT_BODY = /^pi_([A-Za-z0-9]{24})$/;

/**
 * 32 characters: the intent id's 24 (so an IPN finds its intent in one read) and 8 random ones
 * (a new reference for each attempt, unique per day as VNPay requires).
 */
export function newTxnRef(intentId: string): string {
  const body = INTENT_BODY.exec(intentId)?.[1];
  if (!body) throw new Error(`not a payment intent id: ${intentId}`);
  const tail = Array.from(randomBytes(8), (b) => TXN_ALPHABET[b % TXN_ALPHABET.length]).join('');
  return `${body}${tail}`;
}

/** The intent a txnRef of ours names (to be confirmed by the intent's own `vnp_txn_ref`). */
export function intentIdOfTxnRef(txnRef: string): string | undefined {
  return /^[A-Za-z0-9]{32}$/.test(txnRef) ? `pi_${txnRef.slice(0, 24)}` : undefined;
}

/** The current attempt's mapping, rebuilt from the intent's metadata (no read needed). */
export function currentTxn(intent: PaymentIntent): VnpayTxn | undefined {
  const { vnp_txn_ref: txnRef, vnp_create_date: createDate, vnp_expire_date: expireDate } = intent.metadata;
  const windowEnd = expireDate ? parseVnpDate(expireDate) : undefined;
  if (!txnRef || !createDate || !windowEnd) return undefined;
  return { txnRef, intentId: intent.id, amount: intent.amount, createDate, windowEndMs: windowEnd.getTime() };
}

function vnpLocale(value: string | undefined): VnpLocale {
  return value === 'en' ? 'en' : 'vn';
}

export function createVnpayProvider(settings: VnpaySettings): PaymentProvider & { settings: VnpaySettings } {
  const windowMs = (settings.paymentWindowMinutes ?? DEFAULT_PAYMENT_WINDOW_MINUTES) * 60_000;

  return {
    type: 'vnpay',
    captureMethod: 'automatic',
    settings,

    async confirm(intent, ctx): Promise<PaymentOutcome> {
      const txnRef = newTxnRef(intent.id);
      const createdAt = new Date(ctx.nowMs);
      // Whole seconds, as vnp_ExpireDate carries it: the marker's key can be rebuilt from metadata.
      const windowEndMs = Math.floor((ctx.nowMs + windowMs) / 1000) * 1000;
      const locale = vnpLocale(intent.metadata.locale);
      const returnUrl =
        intent.metadata.return_url || (locale === 'en' && settings.returnUrlEn) || settings.returnUrl;
      const reference = intent.metadata.order_code ?? intent.metadata.order_id ?? txnRef;
      const orderInfo =
        toVnpOrderInfo(intent.description ?? `Thanh toan don hang ${reference}`) || `Thanh toan ${txnRef}`;
      let built: ReturnType<typeof buildPaymentUrl>;
      try {
        built = buildPaymentUrl(settings, {
          amountVnd: intent.amount,
          txnRef,
          orderInfo,
          locale,
          returnUrl,
          ipAddr: intent.metadata.client_ip || '127.0.0.1',
          createdAt,
          expiresAt: new Date(windowEndMs),
          ...(intent.metadata.bank_code ? { bankCode: intent.metadata.bank_code } : {}),
        });
      } catch (error) {
        if (error instanceof VnpayInputError)
          throw invalidRequest('parameter_invalid', `VNPay: ${error.message}`);
        throw error;
      }
      const txn: VnpayTxn = {
        txnRef,
        intentId: intent.id,
        amount: intent.amount,
        createDate: built.params.vnp_CreateDate,
        windowEndMs,
      };
      return {
        status: 'requires_action',
        next_action: { type: 'redirect_to_url', redirect_to_url: { url: built.url, return_url: returnUrl } },
        metadata: {
          vnp_txn_ref: txnRef,
          vnp_create_date: built.params.vnp_CreateDate,
          vnp_expire_date: built.params.vnp_ExpireDate,
        },
        items: putTxnAndMarker(txn),
      };
    },

    async refund(intent, request, ctx): Promise<RefundOutcome> {
      const txnRef = intent.metadata.vnp_txn_ref;
      const createDate = intent.metadata.vnp_create_date;
      if (!txnRef || !createDate) {
        return { status: 'failed', failure_reason: 'vnp_refund_no_payment', metadata: request.metadata };
      }
      const outcome = await refundVnpayPayment(settings, {
        txnRef,
        createDate,
        transactionNo: intent.metadata.vnp_transaction_no,
        amount: request.amount,
        full: request.amount === intent.amount_received,
        createBy: request.metadata.recorded_by ?? request.metadata.requested_by ?? 'system',
        orderInfo: `Hoan tien ${txnRef}`,
        now: new Date(ctx.nowMs),
      });
      return { ...outcome, metadata: { ...request.metadata, ...outcome.metadata } };
    },

    async query(intent: PaymentIntent, ctx): Promise<PaymentOutcome | null> {
      const txnRef = intent.metadata.vnp_txn_ref;
      const createDate = intent.metadata.vnp_create_date;
      if (!txnRef || !createDate) return null;
      const found = readQueryDr(
        await queryVnpayTransaction(settings, { txnRef, createDate }, new Date(ctx.nowMs)),
      );
      return outcomeOf(found, intent.amount);
    },
  };
}

/** The outcome a querydr answer calls for; null when it is not final (or not ours to apply). */
export function outcomeOf(found: QueriedPayment, amount: number): PaymentOutcome | null {
  switch (found.state) {
    case 'succeeded':
      return found.amount === amount
        ? { status: 'succeeded', amount_received: found.amount, metadata: found.metadata }
        : null;
    case 'processing':
      return { status: 'processing', metadata: found.metadata };
    case 'failed':
      return {
        status: 'requires_payment_method',
        last_payment_error: vnpayFailure(found.code),
        metadata: found.metadata,
      };
    default:
      return null;
  }
}
