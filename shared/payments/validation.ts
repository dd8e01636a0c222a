/** Parameter checks shared by the resources; each failure is an `invalid_request_error`. */
import { invalidRequest } from './errors.ts';
import type { Currency, Metadata } from './types.ts';

/** VNPay's ceiling is far below this; it only keeps amounts inside exact integer range. */
export const MAX_AMOUNT_VND = 99_999_999_999;

/** A whole, positive number of đồng (VND has no minor unit). */
export function assertAmount(value: unknown, param = 'amount'): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidRequest(
      'parameter_invalid_integer',
      `Invalid integer: ${String(value)}. Amounts are whole đồng (VND is zero-decimal).`,
      param,
    );
  }
  if (value < 1) throw invalidRequest('amount_too_small', 'Amount must be at least 1 ₫.', param);
  if (value > MAX_AMOUNT_VND) {
    throw invalidRequest('amount_too_large', `Amount must be at most ${MAX_AMOUNT_VND} ₫.`, param);
  }
  return value;
}

export function assertCurrency(value: unknown): Currency {
  if (typeof value === 'string' && value.toLowerCase() === 'vnd') return 'vnd';
  throw invalidRequest('parameter_invalid', `Unsupported currency: ${String(value)}. Only vnd.`, 'currency');
}

export function assertMetadata(value: unknown): Metadata {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('parameter_invalid', 'metadata must be an object of strings.', 'metadata');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 50)
    throw invalidRequest('parameter_invalid', 'metadata has more than 50 keys.', 'metadata');
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > 40) {
      throw invalidRequest('parameter_invalid', `metadata key "${key}" must be 1-40 characters.`, 'metadata');
    }
    if (typeof item !== 'string' || item.length > 500) {
      throw invalidRequest('parameter_invalid', `metadata["${key}"] must be a string of ≤ 500.`, 'metadata');
    }
  }
  return { ...(value as Metadata) };
}

export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], param: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidRequest('parameter_invalid', `Invalid ${param}: must be one of ${allowed.join(', ')}.`, param);
}

export function assertId(value: unknown, prefix: string, param = 'id'): string {
  if (typeof value === 'string' && value.startsWith(`${prefix}_`) && /^[A-Za-z0-9_]{4,64}$/.test(value)) {
    return value;
  }
  throw invalidRequest('resource_missing', `Invalid id: ${String(value)}`, param);
}
