/**
 * The bank's transfer notification (pure parts). Banks and their aggregators (Casso, SePay…) post
 * a JSON body signed with a shared secret; ours is HMAC-SHA256 over the raw body, hex, in the
 * `X-Signature` header, compared in constant time before the body is parsed.
 *
 * Body: `{ "id": "<bank transaction id>", "amount": 150000, "description": "<memo as received>",
 *          "account_number": "<our account>", "transacted_at": "<ISO 8601>" }`
 */
import { createHmac } from 'node:crypto';
import { invalidRequest } from '../errors.ts';
import { safeEqualHex } from '../signature.ts';

export interface BankTransfer {
  id: string;
  amount: number;
  description: string;
  account_number: string;
  transacted_at: string;
}

export function signBankNotification(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

export function verifyBankNotification(
  rawBody: string,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature) return false;
  return safeEqualHex(signature.trim().toLowerCase(), signBankNotification(rawBody, secret));
}

export function parseBankTransfer(rawBody: string): BankTransfer {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    throw invalidRequest('parameter_invalid', 'The bank notification is not valid JSON.');
  }
  const { id, amount, description, account_number: account, transacted_at: at } = body;
  if (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
    throw invalidRequest('parameter_invalid', 'The bank notification has no usable transaction id.', 'id');
  }
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) {
    throw invalidRequest('parameter_invalid_integer', 'The transfer amount must be whole đồng.', 'amount');
  }
  return {
    id,
    amount,
    description: typeof description === 'string' ? description : '',
    account_number: typeof account === 'string' ? account : '',
    transacted_at: typeof at === 'string' ? at : '',
  };
}

/** Memo codes are upper-case letters and digits only: banks drop or mangle anything else. */
export function memoCode(orderCode: string): string {
  return orderCode
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gi, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * The codes a received memo may carry. Banks prepend their own references, change case and
 * turn spaces into dots or dashes, so look at every token that starts with the prefix and at
 * the token after a bare prefix ("TN DH123" as well as "TNDH123").
 */
export function memoCandidates(description: string, prefix: string): string[] {
  const tokens = description
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const found = new Set<string>();
  tokens.forEach((token, index) => {
    if (token === prefix && tokens[index + 1]) found.add(tokens[index + 1]!);
    else if (token.startsWith(prefix) && token.length > prefix.length) found.add(token.slice(prefix.length));
  });
  return [...found].slice(0, 5);
}
