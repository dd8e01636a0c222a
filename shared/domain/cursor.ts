/**
 * Paging cursors, one module for every paged endpoint. A cursor is opaque and sealed: the
 * position (JSON) is encrypted (AES-256-CTR, fresh IV) and signed (HMAC-SHA256 over the list it
 * belongs to, the IV and the ciphertext), with keys derived from the configured `CURSOR_SECRET`.
 * So a client can neither read a position (a cooperative's cursor may sit on another party's
 * order) nor forge or edit one, and a cursor of one list is refused by any other list.
 * Anything that does not open is a 400 that says to start again, never a 500.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { cursorSecretOf } from '../config.ts';
import { config } from '../services.ts';
import { invalid } from './errors.ts';

const IV_BYTES = 16;
const MAC_BYTES = 32;

/** The `cursor` query parameter every paged endpoint takes. */
export const CursorParam = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, 'Con trỏ trang không hợp lệ / Not a page cursor')
  .meta({ description: 'The `nextCursor` of the previous page, as returned' });

/** The `limit` query parameter: 1 to `max`, `fallback` when absent. */
export const PageLimit = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max, `Tối đa ${max} mục mỗi trang / At most ${max} items per page`)
    .default(fallback);

let keys: { secret: string; enc: Buffer; mac: Buffer } | undefined;

function cursorKeys() {
  const secret = cursorSecretOf(config());
  if (keys?.secret !== secret) {
    const derive = (purpose: string) => createHmac('sha256', secret).update(purpose).digest();
    keys = { secret, enc: derive('cursor/encrypt'), mac: derive('cursor/sign') };
  }
  return keys;
}

/** For tests and a rotated secret: derive the keys again on next use. */
export function resetCursorKeys(): void {
  keys = undefined;
}

function mac(scope: string, iv: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', cursorKeys().mac).update(`${scope}\n`).update(iv).update(body).digest();
}

/** Seals a position within the list named by `scope` (e.g. `board:coop-1:all`). */
export function sealCursor(scope: string, position: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-ctr', cursorKeys().enc, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, mac(scope, iv, body), body]).toString('base64url');
}

const refused = () =>
  invalid(
    'request.invalid_cursor',
    'Con trỏ trang không hợp lệ hoặc không thuộc danh sách này, hãy tải lại từ trang đầu / The cursor is not one this list returned; start again from the first page',
  );

/** Opens a cursor of the list `scope` and checks its position; anything else is a 400. */
export function openCursor<T>(scope: string, cursor: string, position: z.ZodType<T>): T {
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length <= IV_BYTES + MAC_BYTES || raw.toString('base64url') !== cursor) throw refused();
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + MAC_BYTES);
  const body = raw.subarray(IV_BYTES + MAC_BYTES);
  if (!timingSafeEqual(tag, mac(scope, iv, body))) throw refused();
  const decipher = createDecipheriv('aes-256-ctr', cursorKeys().enc, iv);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
  } catch {
    throw refused();
  }
  const parsed = position.safeParse(value);
  if (!parsed.success) throw refused();
  return parsed.data;
}

/** Opens an optional cursor (undefined → the first page). */
export function openOptionalCursor<T>(scope: string, cursor: string | undefined, position: z.ZodType<T>) {
  return cursor === undefined ? undefined : openCursor(scope, cursor, position);
}

/** Seals the next position of a page, or null on the last page. */
export function nextCursor(scope: string, position: unknown): string | null {
  return position === null || position === undefined ? null : sealCursor(scope, position);
}
