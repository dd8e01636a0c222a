/**
 * Tracking numbers as managers type them: carriers print them in groups ("VTP 1234 5678 9") or
 * with dots ("S12345678.BO"), phones add spaces and lower case. Cleaned the same way in the
 * browser and by the API before the shape is checked, and stored cleaned. Pure, no imports: the
 * board's page bundles this file.
 */

/** What a cleaned tracking number looks like: 4–40 letters, digits or hyphens. */
export const TRACKING_NUMBER = /^[A-Z0-9-]{4,40}$/;

export const TRACKING_NUMBER_MESSAGE = 'Mã vận đơn gồm 4–40 chữ cái, chữ số hoặc dấu gạch ngang';

/** Spaces (any kind) and dots removed, letters in capitals: "vtp 1234.5678 9" → "VTP123456789". */
export function cleanTrackingNumber(raw: string): string {
  return raw.replace(/[\s.]+/gu, '').toUpperCase();
}

/** True when the cleaned form of `raw` is a tracking number. */
export function isTrackingNumber(raw: string): boolean {
  return TRACKING_NUMBER.test(cleanTrackingNumber(raw));
}
