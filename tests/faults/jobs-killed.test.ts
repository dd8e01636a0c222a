/**
 * A jobs run killed half-way: the expiry lane runs in a child process (as a worker function
 * would) over many unpaid orders past their window and is killed with SIGKILL while it works. The
 * next run finishes the work, and nothing is done twice: every order is expired once (one
 * `expired` step in its history) and the stock they held comes back exactly once.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/site-build.ts';
import { db } from '../../shared/db/client.ts';
import {
  checkout,
  orderBody,
  packsWithStock,
  scanAll,
  sleep,
  startWorld,
  stockAndReservations,
  type FaultWorld,
  type Pack,
} from './world.ts';

const STOCK = 1_000;
const ORDERS = 40;

let world: FaultWorld;
let pack: Pack;
const codes = new Set<string>();

beforeAll(async () => {
  world = await startWorld();
  pack = (await packsWithStock(1, STOCK))[0]!;
  for (let i = 0; i < ORDERS; i += 8) {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, j) =>
        checkout(
          world.exchange.url,
          orderBody([{ variantId: pack.id, quantity: 1 + ((i + j) % 3) }], 'vietqr'),
        ),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(201);
      codes.add(a.body.order.code as string);
    }
  }
}, 180_000);

afterAll(async () => {
  await world?.exchange.stop();
}, 60_000);

/** Our orders as stored: status and how many times each was expired. */
async function ourOrders() {
  return (await scanAll())
    .filter((i) => i.type === 'order' && codes.has(i.code as string))
    .map((o) => ({
      code: o.code as string,
      status: o.status as string,
      expirySteps: (o.history as { status: string }[]).filter((s) => s.status === 'expired').length,
    }));
}

/**
 * Starts one run of the expiry lane in a child process: node itself with tsx's loader, so the
 * process killed is the one doing the work (tsx's command line would run it in a grandchild).
 */
function expiryRun(runAtMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/faults/expiry-run.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: world.exchange.dynamodb.endpoint,
      TABLE_NAME: db().tableName,
      AWS_REGION: 'local',
      RUN_AT_MS: String(runAtMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

describe('the expiry lane killed half-way', () => {
  it('the next run finishes the work and nothing is released twice', async () => {
    const before = await stockAndReservations(pack);
    expect(before.stock + before.reserved).toBe(STOCK);
    expect(before.reserved).toBeGreaterThan(0);
    // Past every order's payment window (VietQR: a day at most).
    const runAt = Date.now() + 3 * 24 * 3600_000;

    const first = expiryRun(runAt);
    // Killed as soon as part of the work is done.
    let expiredWhenKilled = 0;
    for (let i = 0; i < 600; i++) {
      expiredWhenKilled = (await ourOrders()).filter((o) => o.status === 'expired').length;
      if (expiredWhenKilled >= 3 || first.child.exitCode !== null) break;
      await sleep(50);
    }
    first.child.kill('SIGKILL');
    const ended = await first.exited;
    expect(ended.signal, `the run ended before it was killed:\n${first.output()}`).toBe('SIGKILL');
    // Transactions the killed process had already sent are still applied by DynamoDB: let them land.
    await sleep(2_000);
    const afterKill = await ourOrders();
    const expiredAfterKill = afterKill.filter((o) => o.status === 'expired').length;
    console.info(JSON.stringify({ orders: ORDERS, expiredWhenKilled: expiredAfterKill }));
    // Half-way: some orders expired, not all.
    expect(expiredAfterKill).toBeGreaterThan(0);
    expect(expiredAfterKill).toBeLessThan(ORDERS);
    // What the killed run did is whole: stock and live reservations still add up.
    const mid = await stockAndReservations(pack);
    expect(mid.stock + mid.reserved).toBe(STOCK);

    // The next runs (a run stops starting work at its deadline, and the next one goes on) until
    // one finds nothing left.
    const expiredByRuns: number[] = [];
    for (let run = 0; run < 6; run++) {
      const next = expiryRun(runAt);
      const done = await next.exited;
      expect(done.code, next.output()).toBe(0);
      const report = JSON.parse(next.output().trim().split('\n').at(-1)!) as { expired: number };
      expiredByRuns.push(report.expired);
      if (report.expired === 0) break;
    }
    const statuses: Record<string, number> = {};
    for (const o of await ourOrders()) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    console.info(JSON.stringify({ expiredByLaterRuns: expiredByRuns, statuses }));
    expect(expiredByRuns.at(-1)).toBe(0);
    // The later runs did only what was left.
    expect(expiredByRuns.reduce((a, b) => a + b, 0)).toBe(ORDERS - expiredAfterKill);

    const orders = await ourOrders();
    expect(orders).toHaveLength(ORDERS);
    expect(orders.filter((o) => o.status !== 'expired' || o.expirySteps !== 1)).toEqual([]);
    const after = await stockAndReservations(pack);
    expect(after).toEqual({ stock: STOCK, reserved: 0 });
  });
});
