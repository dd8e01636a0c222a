/**
 * VNPay payment gateway, protocol 2.1.0: pure functions, no I/O, no clock (callers pass dates).
 *
 * Facts cited as "PAYMENTS.md" come from ../shared/PAYMENTS.md (VNPay's integration guide and
 * demo code, cross-checked with the `vnpay` npm package 2.5.0). The same code is used by the
 * merchant side (shared/payments) and by the sandbox emulator (infra/local/vnpay-emulator), and
 * the tests check both against the `vnpay` package as an independent implementation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const VNP_VERSION = '2.1.0';
/** PAYMENTS.md: dates are `yyyyMMddHHmmss` in GMT+7, formatted with `timeZone: 'Asia/Ho_Chi_Minh'`. */
export const VNP_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type VnpLocale = 'vn' | 'en';
/** A decoded `vnp_*` query: one string value per key. */
export type VnpParams = Record<string, string>;
/** What the verifiers accept: a raw query (`a=b&…`, with or without `?`, or a full URL), parsed params, or a plain record. */
export type VnpQueryInput = string | URLSearchParams | Readonly<Record<string, string | undefined>>;

export class VnpayInputError extends Error {
  override name = 'VnpayInputError';
}

// ---------------------------------------------------------------------------------------------
// Dates

const gmt7 = new Intl.DateTimeFormat('en-US', {
  timeZone: VNP_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  // h23, not hour12:false: some ICU versions render midnight as "24" with hour12:false.
  hourCycle: 'h23',
});

/** `yyyyMMddHHmmss` in GMT+7 whatever the process's TZ (PAYMENTS.md: never the server's local clock). */
export function vnpDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new VnpayInputError('Invalid date');
  const p: Record<string, string> = {};
  for (const part of gmt7.formatToParts(date)) p[part.type] = part.value;
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

const VNP_DATE = /^(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])([0-5]\d)([0-5]\d)$/;

/**
 * Parses a `yyyyMMddHHmmss` GMT+7 date; undefined when malformed or not a real calendar date.
 * Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact here.
 */
export function parseVnpDate(value: string): Date | undefined {
  const m = VNP_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h - 7, mi, s);
  const date = new Date(utc);
  // Reject 20250231…: Date.UTC rolls it over to March.
  return vnpDate(date) === value ? date : undefined;
}

// ---------------------------------------------------------------------------------------------
// Canonical query and secure hash

const FORM_UNRESERVED = /^[A-Za-z0-9*._-]*$/;

/**
 * `application/x-www-form-urlencoded` encoding, as URLSearchParams serialises: space → `+`,
 * everything but `A-Za-z0-9*-._` percent-encoded as UTF-8 with uppercase hex (PAYMENTS.md).
 * encodeURIComponent also leaves `!'()~` alone, so those are escaped here; throws URIError on
 * a lone surrogate.
 */
export function formEncode(value: string): string {
  // Fast path (most keys and values): nothing outside the unreserved set, nothing to encode.
  if (FORM_UNRESERVED.test(value)) return value;
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PAYMENTS.md: only `vnp_*` keys are signed, except the hash itself and its type. */
function isSignedKey(key: string): boolean {
  return key.startsWith('vnp_') && key !== 'vnp_SecureHash' && key !== 'vnp_SecureHashType';
}

/**
 * The string VNPay signs: `vnp_*` keys (minus `vnp_SecureHash`/`vnp_SecureHashType`), empty
 * values dropped, keys sorted by UTF-16 code unit (JS's default sort), keys and values
 * form-encoded, joined `k=v` with `&` (PAYMENTS.md "Signature").
 */
export function canonicalQuery(params: Readonly<Record<string, string | number | undefined>>): string {
  const keys = Object.keys(params)
    .filter((k) => isSignedKey(k) && params[k] !== undefined && params[k] !== '')
    .sort();
  return keys.map((k) => `${formEncode(k)}=${formEncode(String(params[k]))}`).join('&');
}

/** HMAC-SHA512 over the UTF-8 data, lowercase hex (PAYMENTS.md). */
export function hmacSha512Hex(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('hex');
}

const HASH_HEX = /^[0-9a-fA-F]{128}$/;

/** Constant-time comparison of a received hex hash with the expected HMAC over `data`. */
export function hashMatches(secret: string, data: string, received: unknown): boolean {
  // Shape first: Buffer.from(…, 'hex') silently truncates bad hex, and timingSafeEqual needs equal lengths.
  if (typeof received !== 'string' || !HASH_HEX.test(received)) return false;
  const expected = createHmac('sha512', secret).update(data, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(received, 'hex'));
}

/** Signs `vnp_*` params: the canonical query with `&vnp_SecureHash=…` appended, and the hash. */
export function signParams(
  params: Readonly<Record<string, string | number | undefined>>,
  hashSecret: string,
): { query: string; hash: string } {
  const data = canonicalQuery(params);
  const hash = hmacSha512Hex(hashSecret, data);
  return { query: `${data}&vnp_SecureHash=${hash}`, hash };
}

export type SignatureFailure = 'missing_hash' | 'mismatch' | 'duplicate_parameter' | 'bad_encoding';

export type SignatureCheck =
  { valid: true; params: VnpParams } | { valid: false; reason: SignatureFailure; params: VnpParams };

/** Decodes any accepted input into one value per key; undefined when a `vnp_*` key repeats. */
export function toParams(input: VnpQueryInput): VnpParams | undefined {
  const params: VnpParams = {};
  if (typeof input === 'string' || input instanceof URLSearchParams) {
    let search: URLSearchParams;
    if (typeof input === 'string') {
      const q = input.includes('://') ? new URL(input).search : input;
      search = new URLSearchParams(q.startsWith('?') ? q.slice(1) : q);
    } else {
      search = input;
    }
    for (const [k, v] of search) {
      // A repeated signed key is ambiguous (which one did VNPay sign?): refuse it.
      if (Object.hasOwn(params, k) && k.startsWith('vnp_')) return undefined;
      params[k] = v;
    }
    return params;
  }
  for (const [k, v] of Object.entries(input)) if (typeof v === 'string') params[k] = v;
  return params;
}

/**
 * Verifies a signed query (payment URL at the gateway, return URL or IPN at the merchant):
 * recomputes the hash over the decoded values re-encoded the same way, compares in constant
 * time (PAYMENTS.md: the `vnpay` package's `===` is a pitfall not to copy). Several secrets (the
 * current and, during a switch, the previous one: `acceptedSecrets`) are tried in turn.
 */
export function verifySignedQuery(
  input: VnpQueryInput,
  hashSecret: string | readonly string[],
): SignatureCheck {
  const params = toParams(input);
  if (!params) return { valid: false, reason: 'duplicate_parameter', params: {} };
  const received = params.vnp_SecureHash;
  if (!received) return { valid: false, reason: 'missing_hash', params };
  let data: string;
  try {
    data = canonicalQuery(params);
  } catch {
    return { valid: false, reason: 'bad_encoding', params };
  }
  return [hashSecret].flat().some((secret) => hashMatches(secret, data, received))
    ? { valid: true, params }
    : { valid: false, reason: 'mismatch', params };
}

// ---------------------------------------------------------------------------------------------
// Payment URL (vnp_Command=pay)

export interface VnpayMerchantConfig {
  /** `vnp_TmnCode`: Alphanumeric[8] (PAYMENTS.md). */
  tmnCode: string;
  /** Signs everything we send, and checks what VNPay signs. */
  hashSecret: string;
  /**
   * While the terminal's secret is being switched: the secret it had before. What VNPay signs
   * (IPN, return URL, API answers) is accepted under either; we never sign with it.
   */
  previousHashSecret?: string;
}

/** The secrets a signature from VNPay may verify under: the current one, then the previous one. */
export function acceptedSecrets(
  config: Pick<VnpayMerchantConfig, 'hashSecret' | 'previousHashSecret'>,
): string[] {
  return config.previousHashSecret && config.previousHashSecret !== config.hashSecret
    ? [config.hashSecret, config.previousHashSecret]
    : [config.hashSecret];
}

export interface PaymentUrlInput {
  /** Whole VND; ×100 happens here, on the wire only (PAYMENTS.md). */
  amountVnd: number;
  /** Unique per day at VNPay (PAYMENTS.md). */
  txnRef: string;
  /** ASCII without diacritics or special characters: see `toVnpOrderInfo`. */
  orderInfo: string;
  orderType?: string;
  locale?: VnpLocale;
  returnUrl: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  /** `VNPAYQR`, `VNBANK`, `INTCARD` or a bank code; omitted lets the shopper choose. */
  bankCode?: string;
}

export interface PaymentRequestParams {
  vnp_Version: typeof VNP_VERSION;
  vnp_Command: 'pay';
  vnp_TmnCode: string;
  vnp_Amount: string;
  vnp_CurrCode: 'VND';
  vnp_TxnRef: string;
  vnp_OrderInfo: string;
  vnp_OrderType: string;
  vnp_Locale: VnpLocale;
  vnp_ReturnUrl: string;
  vnp_IpAddr: string;
  vnp_CreateDate: string;
  vnp_ExpireDate: string;
  vnp_BankCode?: string;
}

/** PAYMENTS.md: keep free-text values to `[A-Za-z0-9 .,_-]` (demos disagree on `( ) ! ' * ~`). */
export const SAFE_TEXT = /^[A-Za-z0-9 .,_-]+$/;
const TXN_REF = /^[A-Za-z0-9_-]{1,100}$/;
const TMN_CODE = /^[A-Za-z0-9]{8}$/;
/** `vnp_Amount` is Numeric[1,12] once ×100: at most 9,999,999,999 VND. */
const MAX_AMOUNT_VND = 9_999_999_999;

/**
 * Folds Vietnamese text to what `vnp_OrderInfo` may carry: diacritics removed (đ → d), any
 * character outside `[A-Za-z0-9 .,_-]` replaced by a space, spaces collapsed, at most 255 chars.
 */
export function toVnpOrderInfo(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}

function assertInput(ok: boolean, message: string): asserts ok {
  if (!ok) throw new VnpayInputError(message);
}

/** Whole VND → the wire's `vnp_Amount` (digits, ×100). */
export function toVnpAmount(amountVnd: number): string {
  assertInput(
    Number.isSafeInteger(amountVnd) && amountVnd > 0 && amountVnd <= MAX_AMOUNT_VND,
    `amount must be a positive whole number of VND up to ${MAX_AMOUNT_VND}, got ${amountVnd}`,
  );
  return `${amountVnd}00`;
}

/**
 * The wire's `vnp_Amount` → whole VND; undefined unless it is digits only and a multiple of
 * 100 (a VND amount carries no fraction).
 */
export function fromVnpAmount(wire: string | number | undefined): number | undefined {
  const s = typeof wire === 'number' ? String(wire) : wire;
  if (!s || !/^\d{3,14}$/.test(s) || !s.endsWith('00')) return undefined;
  const vnd = Number(s.slice(0, -2));
  return Number.isSafeInteger(vnd) && vnd > 0 ? vnd : undefined;
}

/** The unsigned `vnp_*` params of a payment request, validated. */
export function paymentRequestParams(
  config: VnpayMerchantConfig,
  input: PaymentUrlInput,
): PaymentRequestParams {
  assertInput(TMN_CODE.test(config.tmnCode), 'vnp_TmnCode must be 8 letters or digits');
  assertInput(TXN_REF.test(input.txnRef), 'vnp_TxnRef must be 1-100 letters, digits, _ or -');
  assertInput(
    SAFE_TEXT.test(input.orderInfo) && input.orderInfo.length <= 255,
    'vnp_OrderInfo must be ASCII [A-Za-z0-9 .,_-] (use toVnpOrderInfo)',
  );
  assertInput(/^https?:\/\/\S+$/.test(input.returnUrl), 'vnp_ReturnUrl must be an http(s) URL');
  assertInput(/^[0-9A-Fa-f:.]{2,45}$/.test(input.ipAddr), 'vnp_IpAddr must be an IP address');
  assertInput(
    input.expiresAt.getTime() > input.createdAt.getTime(),
    'vnp_ExpireDate must be after vnp_CreateDate',
  );
  const orderType = input.orderType ?? 'other';
  assertInput(/^[A-Za-z0-9_-]{1,100}$/.test(orderType), 'vnp_OrderType must be a category code');
  if (input.bankCode !== undefined) {
    assertInput(/^[A-Za-z0-9]{3,20}$/.test(input.bankCode), 'vnp_BankCode must be 3-20 letters or digits');
  }
  const params: PaymentRequestParams = {
    vnp_Version: VNP_VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: config.tmnCode,
    vnp_Amount: toVnpAmount(input.amountVnd),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: input.txnRef,
    vnp_OrderInfo: input.orderInfo,
    vnp_OrderType: orderType,
    vnp_Locale: input.locale ?? 'vn',
    vnp_ReturnUrl: input.returnUrl,
    vnp_IpAddr: input.ipAddr,
    vnp_CreateDate: vnpDate(input.createdAt),
    vnp_ExpireDate: vnpDate(input.expiresAt),
  };
  // PAYMENTS.md: never send empty values; no vnp_SecureHashType in 2.1.0.
  if (input.bankCode) params.vnp_BankCode = input.bankCode;
  return params;
}

/** The signed payment URL: `payUrl?<canonical query>&vnp_SecureHash=<hmac>`. */
export function buildPaymentUrl(
  config: VnpayMerchantConfig & { payUrl: string },
  input: PaymentUrlInput,
): { url: string; params: PaymentRequestParams; secureHash: string } {
  const params = paymentRequestParams(config, input);
  const { query, hash } = signParams({ ...params }, config.hashSecret);
  return { url: `${config.payUrl}?${query}`, params, secureHash: hash };
}

// ---------------------------------------------------------------------------------------------
// Return URL and IPN (both carry the same signed query)

/** The fields VNPay puts on the return URL and the IPN (values as on the wire). */
export interface PaymentResultParams {
  vnp_TmnCode: string;
  vnp_Amount: string;
  vnp_BankCode: string;
  vnp_BankTranNo?: string;
  vnp_CardType?: string;
  vnp_PayDate: string;
  vnp_OrderInfo: string;
  vnp_TransactionNo: string;
  vnp_ResponseCode: string;
  vnp_TransactionStatus: string;
  vnp_TxnRef: string;
}

export interface PaymentResult {
  tmnCode: string;
  txnRef: string;
  /** Whole VND, or undefined when `vnp_Amount` is not a ×100 integer. */
  amountVnd: number | undefined;
  responseCode: string;
  transactionStatus: string;
  transactionNo: string;
  bankCode: string;
  bankTranNo: string | undefined;
  cardType: string | undefined;
  /** `vnp_PayDate` (GMT+7) as an instant, when well formed. */
  paidAt: Date | undefined;
  orderInfo: string;
  /** PAYMENTS.md: success needs `vnp_ResponseCode=00` **and** `vnp_TransactionStatus=00`. */
  success: boolean;
}

export function paymentResult(params: VnpParams): PaymentResult {
  const responseCode = params.vnp_ResponseCode ?? '';
  const transactionStatus = params.vnp_TransactionStatus ?? '';
  return {
    tmnCode: params.vnp_TmnCode ?? '',
    txnRef: params.vnp_TxnRef ?? '',
    amountVnd: fromVnpAmount(params.vnp_Amount),
    responseCode,
    transactionStatus,
    transactionNo: params.vnp_TransactionNo ?? '',
    bankCode: params.vnp_BankCode ?? '',
    bankTranNo: params.vnp_BankTranNo,
    cardType: params.vnp_CardType,
    paidAt: params.vnp_PayDate ? parseVnpDate(params.vnp_PayDate) : undefined,
    orderInfo: params.vnp_OrderInfo ?? '',
    success: responseCode === '00' && transactionStatus === '00',
  };
}

/** Signs the return/IPN query (the gateway side: used by the emulator and by tests). */
export function signPaymentResult(params: PaymentResultParams, hashSecret: string): string {
  return signParams({ ...params }, hashSecret).query;
}

/**
 * Reads a return URL for display. PAYMENTS.md: never change order state here (a shopper can
 * forge or replay it). Unlike the `vnpay` package's `isSuccess`, `success` is never true for an
 * unverified or foreign query.
 */
export function readReturnUrl(
  input: VnpQueryInput,
  config: VnpayMerchantConfig,
): { verified: boolean; success: boolean; result: PaymentResult } {
  const check = verifySignedQuery(input, acceptedSecrets(config));
  const result = paymentResult(check.params);
  const verified = check.valid && result.tmnCode === config.tmnCode;
  return { verified, success: verified && result.success, result };
}

export type IpnRspCode = '00' | '01' | '02' | '04' | '97' | '99';

/** The merchant's IPN answer, JSON body as VNPay expects it. */
export interface IpnResponse {
  RspCode: IpnRspCode;
  Message: string;
}

export const IPN_RESPONSES = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  orderNotFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  badChecksum: { RspCode: '97', Message: 'Invalid signature' },
  unknownError: { RspCode: '99', Message: 'Unknown error' },
} as const satisfies Record<string, IpnResponse>;

/** What the caller's lookup says about the order a `vnp_TxnRef` names. */
export interface IpnOrder {
  /** The amount the order expects, whole VND. */
  amountVnd: number;
  /** True while no IPN result has been recorded for it (PAYMENTS.md: "still pending"). */
  pending: boolean;
}

export type IpnAction =
  /** Tampered, foreign, unknown, duplicate or mismatched: change nothing. */
  | { type: 'none' }
  /** Both codes `00`: mark paid. */
  | { type: 'succeed'; payment: PaymentResult }
  /**
   * `vnp_ResponseCode=07` (debited, suspected fraud): PAYMENTS.md maps it to `processing`; the
   * merchant confirms or rejects it in VNPay's merchant admin.
   */
  | { type: 'review'; payment: PaymentResult }
  /** Any other result: record the failure (PAYMENTS.md: a failed payment is recorded, answered `00`). */
  | { type: 'fail'; code: `vnp_${string}`; payment: PaymentResult };

export interface IpnDecision {
  response: IpnResponse;
  action: IpnAction;
  /** Short machine-readable why, for logs. */
  reason: string;
}

export type IpnOrderLookup = (txnRef: string) => IpnOrder | undefined | Promise<IpnOrder | undefined>;

const none = (response: IpnResponse, reason: string): IpnDecision => ({
  response,
  action: { type: 'none' },
  reason,
});

/**
 * Decides an IPN in VNPay's order of checks (PAYMENTS.md "Return URL vs IPN"): signature →
 * `97`, order exists → `01`, amount equals → `04`, still pending → `02`, then record the result
 * and answer `00`. A `vnp_TmnCode` other than ours is not our order: `01`. Only the returned
 * action may change state; the caller applies it idempotently (VNPay retries on anything but
 * `00`/`02`, so duplicates are normal). A lookup that throws answers `99` so VNPay retries.
 */
export async function decideIpn(
  input: VnpQueryInput,
  config: VnpayMerchantConfig,
  lookupOrder: IpnOrderLookup,
): Promise<IpnDecision> {
  const check = verifySignedQuery(input, acceptedSecrets(config));
  if (!check.valid) return none(IPN_RESPONSES.badChecksum, `signature_${check.reason}`);
  const payment = paymentResult(check.params);

  // Another terminal's IPN is signed with another secret; if it ever verifies, it is still not our order.
  if (payment.tmnCode !== config.tmnCode) return none(IPN_RESPONSES.orderNotFound, 'foreign_tmn_code');
  if (!payment.txnRef) return none(IPN_RESPONSES.orderNotFound, 'missing_txn_ref');

  let order: IpnOrder | undefined;
  try {
    order = await lookupOrder(payment.txnRef);
  } catch {
    return none(IPN_RESPONSES.unknownError, 'lookup_failed');
  }
  if (!order) return none(IPN_RESPONSES.orderNotFound, 'order_not_found');

  // `vnp_Amount` must be digits, ×100, and equal the order's whole-VND amount (PAYMENTS.md).
  if (payment.amountVnd === undefined || payment.amountVnd !== order.amountVnd) {
    return none(IPN_RESPONSES.invalidAmount, 'amount_mismatch');
  }
  if (!order.pending) return none(IPN_RESPONSES.alreadyConfirmed, 'already_confirmed');

  if (!payment.responseCode || !payment.transactionStatus) {
    return none(IPN_RESPONSES.unknownError, 'missing_result_codes');
  }
  if (payment.success)
    return { response: IPN_RESPONSES.ok, action: { type: 'succeed', payment }, reason: 'paid' };
  if (payment.responseCode === '07') {
    return { response: IPN_RESPONSES.ok, action: { type: 'review', payment }, reason: 'suspected_fraud' };
  }
  // Success needs both codes: a `00` response with a non-`00` status is a failure, coded by the status.
  const code = payment.responseCode !== '00' ? payment.responseCode : payment.transactionStatus;
  return {
    response: IPN_RESPONSES.ok,
    action: { type: 'fail', code: `vnp_${code}`, payment },
    reason: 'failed',
  };
}

// ---------------------------------------------------------------------------------------------
// querydr and refund: POST JSON to /merchant_webapi/api/transaction, pipe-joined hashes

/** A JSON body of the transaction API, read field by field. */
type Wire = object;

/**
 * HMAC-SHA512 over the values of `fields` joined with `|`. Absent values count as empty
 * strings (what the `vnpay` package's `String(v).replace(/undefined/g, '')` amounts to,
 * without also erasing the word "undefined" from a message).
 */
export function pipeHashData(body: Wire, fields: readonly string[]): string {
  return fields
    .map((f) => {
      const v = (body as Record<string, unknown>)[f];
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    })
    .join('|');
}

function pipeHashMatches(
  body: Wire,
  fields: readonly string[],
  hashSecret: string | readonly string[],
): boolean {
  const data = pipeHashData(body, fields);
  const received = (body as Record<string, unknown>).vnp_SecureHash;
  return [hashSecret].flat().some((secret) => hashMatches(secret, data, received));
}

/** PAYMENTS.md: `RequestId|Version|querydr|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo`. */
export const QUERYDR_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_TransactionDate',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;

/**
 * PAYMENTS.md: `RequestId|Version|refund|TmnCode|TransactionType|TxnRef|Amount×100|
 * TransactionNo("0" if unknown)|TransactionDate|CreateBy|CreateDate|IpAddr|OrderInfo`.
 */
export const REFUND_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TransactionType',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_TransactionNo',
  'vnp_TransactionDate',
  'vnp_CreateBy',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;

/**
 * Response hash orders. Not in PAYMENTS.md: taken from VNPay's API guide as the `vnpay` 2.5.0
 * package implements it (query.service), and checked against that package in the tests.
 */
export const QUERYDR_RESPONSE_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
] as const;

export const REFUND_RESPONSE_FIELDS = QUERYDR_RESPONSE_FIELDS.slice(0, 13) as readonly string[];

export interface QueryDrInput {
  /** Unique per day (PAYMENTS.md: use a ULID). */
  requestId: string;
  txnRef: string;
  /** The payment's `vnp_CreateDate` (a Date, or the wire string already sent). */
  transactionDate: Date | string;
  /** When this request is made. */
  createdAt: Date;
  ipAddr: string;
  orderInfo: string;
  /** VNPay's `vnp_TransactionNo`, when known. Not part of the hash. */
  transactionNo?: string;
}

export interface QueryDrRequest {
  vnp_RequestId: string;
  vnp_Version: typeof VNP_VERSION;
  vnp_Command: 'querydr';
  vnp_TmnCode: string;
  vnp_TxnRef: string;
  vnp_OrderInfo: string;
  vnp_TransactionNo?: string;
  vnp_TransactionDate: string;
  vnp_CreateDate: string;
  vnp_IpAddr: string;
  vnp_SecureHash: string;
}

export type RefundTransactionType = '02' | '03';

export interface RefundInput {
  requestId: string;
  /** PAYMENTS.md: `02` full, `03` partial. */
  transactionType: RefundTransactionType;
  txnRef: string;
  /** The amount to refund, whole VND. */
  amountVnd: number;
  /** VNPay's `vnp_TransactionNo` of the payment; "0" when unknown (PAYMENTS.md). */
  transactionNo?: string;
  transactionDate: Date | string;
  /** Who asks for the refund (a user name or id). */
  createBy: string;
  createdAt: Date;
  ipAddr: string;
  orderInfo: string;
}

export interface RefundRequest {
  vnp_RequestId: string;
  vnp_Version: typeof VNP_VERSION;
  vnp_Command: 'refund';
  vnp_TmnCode: string;
  vnp_TransactionType: RefundTransactionType;
  vnp_TxnRef: string;
  vnp_Amount: string;
  vnp_TransactionNo: string;
  vnp_TransactionDate: string;
  vnp_CreateBy: string;
  vnp_CreateDate: string;
  vnp_IpAddr: string;
  vnp_OrderInfo: string;
  vnp_SecureHash: string;
}

/** querydr/refund answer fields (strings on the wire; absent ones hash as empty). */
export interface TransactionApiResponse {
  vnp_ResponseId: string;
  vnp_Command: 'querydr' | 'refund';
  vnp_ResponseCode: string;
  vnp_Message: string;
  vnp_TmnCode: string;
  vnp_TxnRef?: string;
  vnp_Amount?: string;
  vnp_BankCode?: string;
  vnp_PayDate?: string;
  vnp_TransactionNo?: string;
  vnp_TransactionType?: string;
  vnp_TransactionStatus?: string;
  vnp_OrderInfo?: string;
  vnp_PromotionCode?: string;
  vnp_PromotionAmount?: string;
  vnp_SecureHash: string;
}

/** API codes (PAYMENTS.md): 00 ok, 02 bad TmnCode, 03 bad format, 91 not found, 94 duplicate, 95 refused, 97 checksum, 99 other. */
export type TransactionApiCode = '00' | '02' | '03' | '91' | '94' | '95' | '97' | '99';

const asWireDate = (d: Date | string): string => {
  if (typeof d === 'string') {
    assertInput(parseVnpDate(d) !== undefined, `not a yyyyMMddHHmmss date: ${d}`);
    return d;
  }
  return vnpDate(d);
};

function assertApiText(value: string, name: string): void {
  // A `|` inside a value would shift the pipe-joined fields.
  assertInput(value.length > 0 && !value.includes('|'), `${name} must be non-empty and contain no "|"`);
}

export function buildQueryDrRequest(config: VnpayMerchantConfig, input: QueryDrInput): QueryDrRequest {
  assertApiText(input.requestId, 'vnp_RequestId');
  assertInput(TXN_REF.test(input.txnRef), 'vnp_TxnRef must be 1-100 letters, digits, _ or -');
  assertInput(SAFE_TEXT.test(input.orderInfo), 'vnp_OrderInfo must be ASCII [A-Za-z0-9 .,_-]');
  assertApiText(input.ipAddr, 'vnp_IpAddr');
  const unsigned: Omit<QueryDrRequest, 'vnp_SecureHash'> = {
    vnp_RequestId: input.requestId,
    vnp_Version: VNP_VERSION,
    vnp_Command: 'querydr',
    vnp_TmnCode: config.tmnCode,
    vnp_TxnRef: input.txnRef,
    vnp_OrderInfo: input.orderInfo,
    ...(input.transactionNo ? { vnp_TransactionNo: input.transactionNo } : {}),
    vnp_TransactionDate: asWireDate(input.transactionDate),
    vnp_CreateDate: vnpDate(input.createdAt),
    vnp_IpAddr: input.ipAddr,
  };
  const hash = hmacSha512Hex(config.hashSecret, pipeHashData(unsigned, QUERYDR_REQUEST_FIELDS));
  return { ...unsigned, vnp_SecureHash: hash };
}

export function buildRefundRequest(config: VnpayMerchantConfig, input: RefundInput): RefundRequest {
  assertApiText(input.requestId, 'vnp_RequestId');
  assertInput(TXN_REF.test(input.txnRef), 'vnp_TxnRef must be 1-100 letters, digits, _ or -');
  assertInput(SAFE_TEXT.test(input.orderInfo), 'vnp_OrderInfo must be ASCII [A-Za-z0-9 .,_-]');
  assertInput(SAFE_TEXT.test(input.createBy), 'vnp_CreateBy must be ASCII [A-Za-z0-9 .,_-]');
  assertApiText(input.ipAddr, 'vnp_IpAddr');
  assertInput(
    input.transactionType === '02' || input.transactionType === '03',
    'vnp_TransactionType is 02 or 03',
  );
  const unsigned: Omit<RefundRequest, 'vnp_SecureHash'> = {
    vnp_RequestId: input.requestId,
    vnp_Version: VNP_VERSION,
    vnp_Command: 'refund',
    vnp_TmnCode: config.tmnCode,
    vnp_TransactionType: input.transactionType,
    vnp_TxnRef: input.txnRef,
    vnp_Amount: toVnpAmount(input.amountVnd),
    vnp_TransactionNo: input.transactionNo || '0',
    vnp_TransactionDate: asWireDate(input.transactionDate),
    vnp_CreateBy: input.createBy,
    vnp_CreateDate: vnpDate(input.createdAt),
    vnp_IpAddr: input.ipAddr,
    vnp_OrderInfo: input.orderInfo,
  };
  const hash = hmacSha512Hex(config.hashSecret, pipeHashData(unsigned, REFUND_REQUEST_FIELDS));
  return { ...unsigned, vnp_SecureHash: hash };
}

/** Gateway side: checks a querydr request's hash (constant time). */
export const verifyQueryDrRequest = (body: Wire, hashSecret: string): boolean =>
  pipeHashMatches(body, QUERYDR_REQUEST_FIELDS, hashSecret);

/** Gateway side: checks a refund request's hash (constant time). */
export const verifyRefundRequest = (body: Wire, hashSecret: string): boolean =>
  pipeHashMatches(body, REFUND_REQUEST_FIELDS, hashSecret);

/** Merchant side: checks a querydr answer's hash. An answer without a hash does not verify. */
export const verifyQueryDrResponse = (body: Wire, hashSecret: string | readonly string[]): boolean =>
  pipeHashMatches(body, QUERYDR_RESPONSE_FIELDS, hashSecret);

/** Merchant side: checks a refund answer's hash. An answer without a hash does not verify. */
export const verifyRefundResponse = (body: Wire, hashSecret: string | readonly string[]): boolean =>
  pipeHashMatches(body, REFUND_RESPONSE_FIELDS, hashSecret);

/** Gateway side: signs a querydr or refund answer with the order its command calls for. */
export function signTransactionApiResponse(
  fields: Omit<TransactionApiResponse, 'vnp_SecureHash'>,
  hashSecret: string,
): TransactionApiResponse {
  const order = fields.vnp_Command === 'refund' ? REFUND_RESPONSE_FIELDS : QUERYDR_RESPONSE_FIELDS;
  return { ...fields, vnp_SecureHash: hmacSha512Hex(hashSecret, pipeHashData(fields, order)) };
}
