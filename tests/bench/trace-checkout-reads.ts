/**
 * `npx tsx tests/bench/trace-checkout-reads.ts`: every DynamoDB request one placement makes, per
 * payment method, with the items each read returns (or asks for in vain) and their sizes, so a
 * read unit that needs not be spent shows. Read units as DynamoDB bills them: 4 KB per item
 * read, rounded up, half for an eventually consistent read, one (or a half) for an item that
 * does not exist; transactions twice.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { app as catalogApp } from '../../functions/catalog/app.ts';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db } from '../../shared/db/client.ts';
import { noticesDrained } from '../../infra/local/notice-queue.ts';
import { benchOrderBody, giveStock, packsForSale } from './measure.ts';
import { isMain, runStandalone } from './standalone.ts';

interface Row {
  command: string;
  units: number;
  detail: string[];
}

/** DynamoDB's item size: attribute names plus values (close enough: UTF-8 of both). */
export function itemBytes(item: Record<string, unknown>): number {
  const size = (v: unknown): number => {
    if (v === null || v === undefined || typeof v === 'boolean') return 1;
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (typeof v === 'number') return Math.ceil(String(v).length / 2) + 1;
    if (v instanceof Uint8Array) return v.byteLength;
    if (v instanceof Set) return [...v].reduce((s: number, x) => s + size(x), 0);
    if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + size(x), 0);
    return 3 + Object.entries(v as object).reduce((s, [k, x]) => s + Buffer.byteLength(k) + 1 + size(x), 0);
  };
  return Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + size(v), 0);
}

type Wire = Parameters<typeof unmarshall>[0];
/** The item as the document client has it, whichever side of its marshalling the middleware sees. */
const plain = (item: unknown): Record<string, unknown> => {
  const record = (item ?? {}) as Record<string, unknown>;
  const first = Object.values(record)[0];
  const wire =
    first !== null &&
    typeof first === 'object' &&
    Object.keys(first).length === 1 &&
    /^(S|N|B|SS|NS|BS|M|L|NULL|BOOL)$/.test(Object.keys(first)[0]!);
  return wire ? unmarshall(record as Wire) : record;
};
const describeKey = (wire: unknown) => {
  const k = plain(wire);
  return `${String(k.pk)} ${String(k.sk)}`;
};

/**
 * Calls made inside the request being traced, told apart from what else the process does at the
 * same time (the catalog read model's poll of the shards it keeps current, in the same process).
 */
const inRequest = new AsyncLocalStorage<true>();
const everything = process.env.TRACE_ALL === '1';

function trace(rows: Row[]): () => void {
  const { doc } = db();
  const name = 'traceReads';
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!everything && !inRequest.getStore()) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as Record<string, unknown>;
      const consumed = ([] as { CapacityUnits?: number }[]).concat(
        (output.ConsumedCapacity as { CapacityUnits?: number }) ?? [],
      );
      const units = consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      const command = context.commandName ?? '?';
      const detail: string[] = [];
      if (command === 'BatchGetItemCommand') {
        const request = Object.values(
          input.RequestItems as Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }>,
        )[0]!;
        const got =
          Object.values((output.Responses ?? {}) as Record<string, Record<string, unknown>[]>)[0] ?? [];
        for (const key of request.Keys) {
          const item = got.map(plain).find((i) => i.pk === plain(key).pk && i.sk === plain(key).sk);
          detail.push(
            `${describeKey(key)}: ${item ? `${itemBytes(item)} B` : 'none'}${request.ConsistentRead ? ' (strong)' : ''}`,
          );
        }
      } else if (command === 'GetItemCommand') {
        const item = output.Item ? plain(output.Item) : undefined;
        detail.push(
          `${describeKey(input.Key as Record<string, unknown>)}: ${item ? `${itemBytes(item)} B` : 'none'}${input.ConsistentRead ? ' (strong)' : ''}`,
        );
      } else if (command === 'QueryCommand') {
        const items = ((output.Items ?? []) as unknown[]).map(plain);
        detail.push(
          `${String(input.IndexName ?? 'table')} ${String(input.KeyConditionExpression)} ${JSON.stringify(plain(input.ExpressionAttributeValues))} → ${items.length} items, ${items.reduce((s, i) => s + itemBytes(i), 0)} B`,
        );
      } else if (command === 'TransactWriteItemsCommand') {
        const items = input.TransactItems as Record<
          string,
          { Key?: Record<string, unknown>; Item?: Record<string, unknown> }
        >[];
        for (const t of items) {
          const [kind, op] = Object.entries(t)[0]!;
          detail.push(
            `${kind} ${describeKey(op.Key ?? op.Item!)}${op.Item ? ` ${itemBytes(plain(op.Item))} B` : ''}`,
          );
        }
      } else {
        const k = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
        if (k) detail.push(describeKey(k));
      }
      rows.push({ command, units, detail });
      return result;
    },
    { step: 'initialize', name, override: true },
  );
  return () => doc.middlewareStack.remove(name);
}

const METHODS = ['cod', 'vnpay', 'vietqr'] as const;

export async function traceCheckoutReads(): Promise<void> {
  const res = await catalogApp.request('/api/catalog/products?limit=48');
  const body = (await res.json()) as {
    items: { id: string; producer: { kind: string }; variants: { id: string }[] }[];
  };
  const packs = body.items
    .filter((p) => p.producer.kind !== 'cooperative')
    .flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id })))
    .slice(0, 4);
  await giveStock(packs, 1_000_000);
  for (const method of METHODS) {
    for (let round = 0; round < 2; round++) {
      const rows: Row[] = [];
      const stop = trace(rows);
      const placed = await inRequest.run(true, () =>
        ordersApp.request('/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `trace_${randomUUID()}` },
          body: JSON.stringify({
            lines: [{ variantId: packs[round]!.id, quantity: 1 }],
            contact: { name: 'Khách đo tải', phone: '0987 654 321' },
            delivery: {
              method: 'shipping',
              address: { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' },
            },
            paymentMethod: method,
          }),
        }),
      );
      stop();
      // The COD code leaves after the answer (the notice queue): sent before the next placement
      // is traced, so its calls are counted with neither.
      await noticesDrained();
      if (placed.status !== 201) throw new Error(`${method}: ${placed.status} ${await placed.text()}`);
      if (round === 0) continue; // the first one warms the container's caches
      console.log(`\n== place order: ${method}`);
      for (const row of rows) {
        console.log(`${row.command} ${row.units} units`);
        for (const d of row.detail) console.log(`    ${d}`);
      }
    }
  }
}

/**
 * The orders bench's mix (tests/bench/orders.ts: 1–2 lines of the first 12 packs, half COD, half
 * VietQR, one phone): read and write units per order and per payment method, and which items the
 * read units went to (by key type, e.g. `PRODUCER/SHIPPING`).
 */
export async function checkoutUnitsPerOrder(orders = 100): Promise<void> {
  const packs = await packsForSale(12);
  const body = (i: number) => benchOrderBody(packs, i);
  const place = async (i: number) => {
    const res = await ordersApp.request('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `mix_${randomUUID()}` },
      body: JSON.stringify(body(i)),
    });
    if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
  };
  for (let i = 0; i < 20; i++) await place(i); // warm-up, as the orders bench
  const per = new Map<
    string,
    {
      orders: number;
      read: number;
      write: number;
      requests: number;
      found: number;
      missing: number;
      strong: number;
    }
  >();
  const byKey = new Map<string, number>();
  for (let i = 0; i < orders; i++) {
    const rows: Row[] = [];
    const stop = trace(rows);
    await inRequest.run(true, () => place(i));
    stop();
    await noticesDrained();
    const method = body(i).paymentMethod;
    const m = per.get(method) ?? {
      orders: 0,
      read: 0,
      write: 0,
      requests: 0,
      found: 0,
      missing: 0,
      strong: 0,
    };
    m.orders += 1;
    m.requests += rows.length;
    for (const row of rows) {
      const isRead = /Get|Query/.test(row.command);
      if (isRead) m.read += row.units;
      else m.write += row.units;
      if (!isRead) continue;
      for (const d of row.detail) {
        const match = /^(\S+?)#\S*\s(\S+?)(?:#\S*)?:\s(none|\d+ B)/.exec(d);
        if (!match) continue;
        if (match[3] === 'none') m.missing += 1;
        else m.found += 1;
        if (d.includes('(strong)')) m.strong += 1;
        const k = `${match[1]}/${match[2]} ${match[3] === 'none' ? 'none' : 'found'}`;
        byKey.set(k, (byKey.get(k) ?? 0) + 1);
      }
    }
    per.set(method, m);
  }
  console.log(
    `\nPer order (${orders} orders after 20 warm-up, the orders bench's mix), units as DynamoDB Local reports them:`,
  );
  console.table(
    [...per].map(([method, m]) => ({
      method,
      orders: m.orders,
      'read units': (m.read / m.orders).toFixed(2),
      'write units': (m.write / m.orders).toFixed(2),
      requests: (m.requests / m.orders).toFixed(2),
      'items found': (m.found / m.orders).toFixed(2),
      'items missing': (m.missing / m.orders).toFixed(2),
      'strong reads': (m.strong / m.orders).toFixed(2),
    })),
  );
  console.log('Items read per order, by key type:');
  console.table([...byKey].sort().map(([key, n]) => ({ key, 'per order': (n / orders).toFixed(2) })));
}

if (isMain(import.meta.url)) {
  await runStandalone('trace-reads', async () => {
    await traceCheckoutReads();
    await checkoutUnitsPerOrder();
  });
}
