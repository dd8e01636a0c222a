/**
 * What a log line may say about a person: a phone number only as its last 3 digits; no names,
 * addresses, e-mails, one-time codes, tokens, signatures or secrets. Applied to every attribute
 * and to the message of every entry the logger prints (log.ts), whatever the call site passed.
 */

/** Attribute names whose value is a phone number: kept as its last 3 digits. */
const PHONE_KEY = /phone|msisdn|^to$/i;
/** Attribute names whose value is never printed. */
const SECRET_KEY =
  /^(name|fullname|full_name|recipient|recipientname|buyername|displayname|fulfillername|email|ip|clientip|client_ip|sourceip|otp|pin|password|cookie|authorization|text|body|link|note|client_secret|clientsecret|contact|delivery)$|address|street|token|secret|signature|securehash|apikey|api_key|credential|session/i;
/** Attribute names that carry a one-time code when their value is all digits. */
const CODE_KEY = /^(code|confirmationcode|signincode|xn)$/i;

const PHONE_IN_TEXT = /(?<![\w])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)/g;
const BEARER_IN_TEXT = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const JWT_IN_TEXT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** A one-time code written next to its name, in Vietnamese or English. */
const OTP_IN_TEXT = /\b(otp|mã(?: xác nhận| đăng nhập)?|code|xn)([\s:=]+)\d{4,8}\b/giu;
const SECRET_PARAM_IN_TEXT = /([?&](?:xn|sdt|token|vnp_SecureHash|signature|client_secret)=)[^&\s"]*/gi;

export const REDACTED = '[redacted]';

/** `0912345678` → `***678`: enough to tell two shoppers apart in a support call, no more. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 3 ? `***${digits.slice(-3)}` : '***';
}

/** A text with phone numbers masked and tokens, one-time codes and secret query values removed. */
export function redactText(text: string): string {
  return text
    .replace(BEARER_IN_TEXT, (_, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT_IN_TEXT, REDACTED)
    .replace(SECRET_PARAM_IN_TEXT, `$1${REDACTED}`)
    .replace(OTP_IN_TEXT, (_, word: string, gap: string) => `${word}${gap}${REDACTED}`)
    .replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));
}

/** A copy of `value` safe to print (objects and arrays walked, at most 8 levels deep). */
export function redact(value: unknown, key = '', depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (key && SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'string') {
    if (key && PHONE_KEY.test(key)) return maskPhone(value);
    if (key && CODE_KEY.test(key) && /^\d{4,8}$/.test(value)) return REDACTED;
    return redactText(value);
  }
  if (typeof value === 'number' && key && PHONE_KEY.test(key)) return maskPhone(String(value));
  if (typeof value !== 'object') return value;
  if (depth >= 8) return '[…]';
  if (Array.isArray(value)) return value.map((item) => redact(item, key, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack && redactText(value.stack),
    };
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(v, k, depth + 1)]),
  );
}
