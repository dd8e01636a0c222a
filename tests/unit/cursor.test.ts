/**
 * Paging cursors (shared/domain/cursor.ts): opaque, sealed with the configured secret, bound to
 * the list they came from; anything else answers 400 `request.invalid_cursor`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cursorSecretOf, loadConfig } from '../../shared/config.ts';
import { CursorParam, openCursor, sealCursor } from '../../shared/domain/cursor.ts';
import { provideConfigOnly as useConfig } from './config-only.ts';
import { DomainError } from '../../shared/domain/errors.ts';

const Position = z.string().regex(/^ORDER#/);
const POSITION = 'ORDER#2026-03-18T08:00:00.000Z#TN-7K3Q9';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('the cursor was accepted');
}

// Sealing reads only the configuration; no table is touched.
beforeEach(() => useConfig({}));

describe('paging cursors', () => {
  it('opens what it sealed, for the same list', () => {
    const cursor = sealCursor('board:coop-a', POSITION);
    expect(CursorParam.safeParse(cursor).success).toBe(true);
    expect(openCursor('board:coop-a', cursor, Position)).toBe(POSITION);
  });

  it('is opaque: the position, its order code included, cannot be read', () => {
    const cursor = sealCursor('board:coop-a', POSITION);
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(bytes).not.toContain('TN-7K3Q9');
    expect(bytes).not.toContain('ORDER#');
    expect(cursor).not.toContain(Buffer.from('TN-7K3Q9').toString('base64url').slice(0, 8));
    // A fresh IV each time: two cursors of one position differ.
    expect(sealCursor('board:coop-a', POSITION)).not.toBe(cursor);
  });

  it('refuses every flipped byte with a 400, never a crash', () => {
    const raw = Buffer.from(sealCursor('board:coop-a', POSITION), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const tampered = Buffer.from(raw);
      tampered[i] = tampered[i]! ^ 0x01;
      const error = refusal(() => openCursor('board:coop-a', tampered.toString('base64url'), Position));
      expect(error).toBeInstanceOf(DomainError);
      expect(error.kind).toBe('invalid');
      expect(error.code).toBe('request.invalid_cursor');
      expect(error.message).toMatch(/Con trỏ trang không hợp lệ/);
    }
  });

  it.each([
    '',
    'x',
    'not-a-cursor',
    'AAAA',
    'A'.repeat(200),
    Buffer.from('["ORDER#x"]').toString('base64url'),
  ])('refuses the malformed cursor %j', (cursor) => {
    expect(refusal(() => openCursor('board:coop-a', cursor, Position)).code).toBe('request.invalid_cursor');
  });

  it("refuses another list's cursor", () => {
    const cursor = sealCursor('board:coop-a', POSITION);
    expect(refusal(() => openCursor('board:coop-b', cursor, Position)).code).toBe('request.invalid_cursor');
    expect(refusal(() => openCursor('lines:household:coop-a', cursor, Position)).code).toBe(
      'request.invalid_cursor',
    );
  });

  it('refuses a well-sealed position of the wrong shape', () => {
    const cursor = sealCursor('board:coop-a', { pk: 'PRODUCER#other' });
    expect(refusal(() => openCursor('board:coop-a', cursor, Position)).code).toBe('request.invalid_cursor');
  });

  it('refuses a cursor sealed with another secret', () => {
    useConfig({ CURSOR_SECRET: 'a'.repeat(40) });
    const cursor = sealCursor('board:coop-a', POSITION);
    useConfig({ CURSOR_SECRET: 'b'.repeat(40) });
    expect(refusal(() => openCursor('board:coop-a', cursor, Position)).code).toBe('request.invalid_cursor');
  });

  it('requires a configured secret in Lambda', () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'producers', TABLE_NAME: 't' };
    expect(() => loadConfig(lambda, { require: ['CURSOR_SECRET'] })).toThrow(/CURSOR_SECRET is not set/);
    // Without the requirement a Lambda still never falls back to the dev secret.
    expect(() => cursorSecretOf(loadConfig(lambda))).toThrow(/CURSOR_SECRET/);
    expect(() => loadConfig({ CURSOR_SECRET: 'short' })).toThrow(/CURSOR_SECRET must be at least 32/);
    expect(cursorSecretOf(loadConfig({ ...lambda, CURSOR_SECRET: 's'.repeat(32) }))).toBe('s'.repeat(32));
  });
});
