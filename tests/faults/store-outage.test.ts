/**
 * DynamoDB Local stopped, then stalled without answering (SIGSTOP), in the middle of a checkout
 * burst against the local runtime. Every answer arrives within an API function's timeout (10 s)
 * and is 201, 409 or 503 with Retry-After — never a hang, never a 500; the API recovers by itself
 * once the store is back; and no checkout is half-written: the pack's stock plus what live orders
 * hold of it equals the stock it started with.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DB_TIMEOUT_DEFAULTS } from '../../shared/config.ts';
import {
  checkout,
  orderBody,
  packsWithStock,
  sleep,
  startWorld,
  stockAndReservations,
  type Answer,
  type FaultWorld,
  type Pack,
} from './world.ts';

// The table client's timeouts in Lambda (shared/config.ts), not DynamoDB Local's longer ones.
process.env.DYNAMODB_REQUEST_TIMEOUT_MS = String(DB_TIMEOUT_DEFAULTS.requestTimeoutMs);
process.env.DYNAMODB_MAX_ATTEMPTS = String(DB_TIMEOUT_DEFAULTS.maxAttempts);

/** An API function's timeout (infra/constructs/exchange-function.ts). */
const FUNCTION_TIMEOUT_MS = 10_000;
const STOCK = 100_000;
const BUYERS = 6;

let world: FaultWorld;
let pack: Pack;
/** The DynamoDB Local started again after the stop (the runtime's own one is dead by then). */
let restarted: DynamoDbLocal | undefined;

beforeAll(async () => {
  world = await startWorld();
  pack = (await packsWithStock(1, STOCK))[0]!;
}, 120_000);

afterAll(async () => {
  restarted?.process.kill('SIGCONT');
  await restarted?.stop();
  world.exchange.dynamodb.process.kill('SIGCONT');
  await world?.exchange.stop();
}, 60_000);

/** BUYERS shoppers placing orders one after the other until `until()` says stop. */
function burst(until: () => boolean): Promise<Answer[]> {
  const url = world.exchange.url;
  return Promise.all(
    Array.from({ length: BUYERS }, async (_, buyer) => {
      const answers: Answer[] = [];
      for (let i = 0; !until(); i++) {
        answers.push(
          await checkout(url, orderBody([{ variantId: pack.id, quantity: 1 + ((buyer + i) % 3) }])),
        );
      }
      return answers;
    }),
  ).then((all) => all.flat());
}

/** Places orders until one is placed; returns how long the API took to come back. */
async function recovered(withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answer = await checkout(world.exchange.url, orderBody([{ variantId: pack.id, quantity: 1 }]));
    if (answer.status === 201) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`not recovered: last answer ${answer.status}`);
    await sleep(250);
  }
}

function expectBoundedAnswers(answers: Answer[]) {
  const statuses: Record<number, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const slowest = Math.max(...answers.map((a) => a.ms));
  const codes = [...new Set(answers.filter((a) => a.status !== 201).map((a) => a.body?.error?.code))];
  console.info(JSON.stringify({ answers: answers.length, statuses, codes, slowestMs: slowest }));
  expect(answers.filter((a) => ![201, 409, 503].includes(a.status)).map((a) => a.status)).toEqual([]);
  expect(slowest).toBeLessThan(FUNCTION_TIMEOUT_MS);
  for (const a of answers.filter((x) => x.status === 503)) {
    expect(a.body.error.code).toBe('server.busy');
    expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  }
  return statuses;
}

describe('the table goes away during a checkout burst', () => {
  it('stopped: answers 503 at once, and orders are placed again once it is restarted', async () => {
    const dynamodb = world.exchange.dynamodb;
    const port = Number(new URL(dynamodb.endpoint).port);
    let done = false;
    const answers = burst(() => done);
    await sleep(1_500);
    await dynamodb.stop();
    const downAt = Date.now();
    await sleep(4_000);
    restarted = await startDynamoDbLocal({ dataDir: join(world.dataDir, 'dynamodb'), port });
    const upAt = Date.now();
    const back = await recovered(15_000);
    await sleep(1_500);
    done = true;
    const all = await answers;
    const statuses = expectBoundedAnswers(all);
    console.info(JSON.stringify({ stopped: { recoveredInMs: back } }));
    // Orders were placed before, refused as busy while it was down, and placed after.
    expect(statuses[201]).toBeGreaterThan(0);
    const whileDown = all.filter((a) => a.startedAt > downAt + 200 && a.startedAt + a.ms < upAt);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((a) => a.status === 503)).toBe(true);
    expect(all.some((a) => a.startedAt > upAt && a.status === 201)).toBe(true);
  });

  it('stalled (SIGSTOP): answers 503 within the timeout, recovers by itself after SIGCONT', async () => {
    const java = restarted!.process;
    let done = false;
    const answers = burst(() => done);
    await sleep(1_500);
    java.kill('SIGSTOP');
    const stalledAt = Date.now();
    // Longer than an API function's timeout: without bounded calls a checkout would wait it out.
    await sleep(12_000);
    java.kill('SIGCONT');
    const back = await recovered(15_000);
    await sleep(1_500);
    done = true;
    const all = await answers;
    const statuses = expectBoundedAnswers(all);
    console.info(JSON.stringify({ stalled: { recoveredInMs: back } }));
    expect(statuses[503]).toBeGreaterThan(0);
    expect(all.some((a) => a.startedAt > stalledAt + 12_000 && a.status === 201)).toBe(true);
  });

  it('nothing was half-written: stock plus live reservations equals the starting stock', async () => {
    const { stock, reserved } = await stockAndReservations(pack);
    console.info(JSON.stringify({ stock, reserved, starting: STOCK }));
    expect(reserved).toBeGreaterThan(0);
    expect(stock + reserved).toBe(STOCK);
  });
});
