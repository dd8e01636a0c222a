/**
 * Transient write failures (db/retry.ts) and their answer (functions/http.ts). DynamoDB Local
 * serializes transactions and never reports a TransactionConflict, so these errors are made by
 * hand, shaped as the SDK throws them.
 */
import { describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/http.ts';
import {
  backoffDelay,
  isTransientWriteError,
  StoreBusyError,
  withWriteRetry,
} from '../../shared/db/retry.ts';
import { cancelled, named } from '../write-faults.ts';

describe('which write failures are transient', () => {
  it('a transaction conflict or a throttle is; a failed condition is not, even beside a conflict', () => {
    expect(isTransientWriteError(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransientWriteError(cancelled('ThrottlingError', 'None'))).toBe(true);
    expect(isTransientWriteError(cancelled('ProvisionedThroughputExceeded'))).toBe(true);
    expect(isTransientWriteError(named('ProvisionedThroughputExceededException'))).toBe(true);
    expect(isTransientWriteError(named('ThrottlingException'))).toBe(true);
    expect(isTransientWriteError(named('RequestLimitExceeded'))).toBe(true);

    expect(isTransientWriteError(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
    expect(isTransientWriteError(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isTransientWriteError(cancelled('ValidationError'))).toBe(false);
    expect(isTransientWriteError(named('ConditionalCheckFailedException'))).toBe(false);
    expect(isTransientWriteError(named('ValidationException'))).toBe(false);
    expect(isTransientWriteError('TransactionConflict')).toBe(false);
  });
});

describe('withWriteRetry', () => {
  const noWait = { sleep: async () => {}, random: () => 0.5 };

  it('sends again after a conflict, with waits that grow and are jittered', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withWriteRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw cancelled('None', 'TransactionConflict');
        return 'written';
      },
      { sleep: async (ms) => void waits.push(ms), random: () => 0.999 },
    );
    expect(result).toBe('written');
    expect(calls).toBe(3);
    expect(waits).toEqual([24, 49]);
    // Full jitter: anywhere from 0 to the cap of that retry.
    expect(backoffDelay(1, { random: () => 0 })).toBe(0);
    expect(backoffDelay(10, { random: () => 0.999 })).toBeLessThanOrEqual(400);
  });

  it('gives up after a few attempts with a StoreBusyError (503, Retry-After)', async () => {
    let calls = 0;
    const failing = withWriteRetry(async () => {
      calls += 1;
      throw named('ThrottlingException');
    }, noWait);
    await expect(failing).rejects.toBeInstanceOf(StoreBusyError);
    await expect(failing).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'server.busy',
      retryAfterSeconds: 1,
    });
    expect(calls).toBe(4);
  });

  it('stops retrying when the time budget is spent', async () => {
    let clock = 0;
    let calls = 0;
    const failing = withWriteRetry(
      async () => {
        calls += 1;
        clock += 800; // each send is slow
        throw cancelled('TransactionConflict');
      },
      { ...noWait, now: () => clock, attempts: 10, budgetMs: 1_500 },
    );
    await expect(failing).rejects.toBeInstanceOf(StoreBusyError);
    expect(calls).toBe(2);
  });

  it('rethrows a failed condition at once, untouched (checkout answers 409 from it)', async () => {
    let calls = 0;
    const error = cancelled('ConditionalCheckFailed', 'None');
    await expect(
      withWriteRetry(async () => {
        calls += 1;
        throw error;
      }, noWait),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });
});

describe('the API answer to a busy table', () => {
  const app = createApiApp();
  app.get('/busy', () => {
    throw new StoreBusyError(2);
  });
  app.get('/conflict', () => {
    throw cancelled('None', 'TransactionConflict');
  });
  app.get('/throttled', () => {
    throw named('ProvisionedThroughputExceededException');
  });
  app.get('/dynamodb-failed', () => {
    throw Object.assign(named('InternalServerError'), { $fault: 'server' });
  });
  app.get('/broken', () => {
    throw new Error('boom');
  });

  it('is 503 with Retry-After and a Vietnamese-first message, never 500', async () => {
    for (const path of ['/busy', '/conflict', '/throttled', '/dynamodb-failed']) {
      const res = await app.request(path);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('server.busy');
      expect(body.error.message).toMatch(/^Hệ thống đang bận/);
    }
    expect((await app.request('/busy')).headers.get('retry-after')).toBe('2');
    // Other failures are still 500, without Retry-After.
    const broken = await app.request('/broken');
    expect(broken.status).toBe(500);
    expect(broken.headers.get('retry-after')).toBeNull();
  });
});
