/**
 * The NAPAS VietQR payload (EMVCo merchant-presented QR, "chuyển tiền đến tài khoản"): what a
 * banking app scans to fill in the bank, the account, the amount and the memo. Written out here
 * (a few dozen lines) instead of bundling the vietnam-qr-pay encoder (≈ 11 KB minified, in every
 * function that loads the payment SDK); tests/unit/vietqr-payload.test.ts checks that both build
 * the same payload, and the integration tests decode ours with the library.
 */

/** NAPAS's application id for VietQR (field 38, sub-field 00). */
const VIETQR_GUID = 'A000000727';
/** Service code: a transfer to an account number (not to a card). */
const TO_ACCOUNT = 'QRIBFTTA';

/** One field: two-digit id, two-digit length, value; an empty value leaves the field out. */
function field(id: string, value: string): string {
  if (!value) return '';
  if (value.length > 99) throw new Error(`VietQR field ${id} is over 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of the UTF-8 bytes, as 4 hex digits. */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface VietQrPayloadInput {
  /** The receiving bank's six-digit NAPAS BIN. */
  bankBin: string;
  accountNumber: string;
  /** Whole VND, as digits; without it the QR is static (the payer types the amount). */
  amount?: string;
  /** The transfer's memo (purpose of transaction). */
  purpose?: string;
}

export function vietQrPayload(input: VietQrPayloadInput): string {
  const account = field('00', input.bankBin) + field('01', input.accountNumber);
  const merchant = field('00', VIETQR_GUID) + field('01', account) + field('02', TO_ACCOUNT);
  const content =
    field('00', '01') +
    field('01', input.amount ? '12' : '11') +
    field('38', merchant) +
    field('53', '704') +
    field('54', input.amount ?? '') +
    field('58', 'VN') +
    field('62', field('08', input.purpose ?? '')) +
    '6304';
  return content + crc16(content);
}
