/**
 * Vietnamese mobile numbers: 10 digits starting 03/05/07/08/09, or +84 instead of the leading 0.
 * Stored as E.164 (+84…), shown in the local form.
 */
const MOBILE = /^(?:\+84|84|0)([35789]\d{8})$/;

/** "+84912345678" for any accepted form, or null when the text is not a Vietnamese mobile. */
export function toE164(phone: string): string | null {
  const digits = phone.normalize('NFC').replace(/[\s.()-]/g, '');
  const match = MOBILE.exec(digits);
  return match ? `+84${match[1]}` : null;
}

/** "0912 345 678" from an E.164 number. */
export function toLocalDisplay(e164: string): string {
  const national = `0${e164.replace(/^\+84/, '')}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}
