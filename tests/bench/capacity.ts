/**
 * `npm run bench -- --capacity`: a capacity model from measurement (docs/CAPACITY.md). Each
 * operation a shopper, a manager, VNPay or the outbox causes is run in-process against the
 * running exchange's DynamoDB Local (Hono `app.request`, the same code the Lambdas run), and
 * measured:
 *  - DynamoDB requests, read and write request units: a middleware on the client sets
 *    `ReturnConsumedCapacity: 'INDEXES'` on every command and sums `ConsumedCapacity` (table and
 *    GSIs). DynamoDB Local does not double transactional units as DynamoDB bills them, so units
 *    of TransactWriteItems / TransactGetItems are doubled here;
 *  - Lambda GB-s: the measured duration of the handler (rounded up to 1 ms, as billed) × the
 *    function's configured memory (functions/routes.ts, CDK overrides);
 *  - API Gateway requests (before any CloudFront cache);
 *  - the cost per million operations at on-demand prices (PRICES, stated in the output).
 * Then a run of orders (every payment method, the IPNs of the VNPay ones, the outbox delivered)
 * counts the writes per partition key (table and every GSI, tests/write-counter.ts) and gives
 * the hottest key's share and its load at 1,000 orders a minute.
 *
 * Durations are from this machine (2 shared cores, DynamoDB Local over loopback): DynamoDB in AWS
 * answers in single-digit milliseconds, so the GB-s here are an upper bound.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { app as catalogApp, catalogCache } from '../../functions/catalog/app.ts';
import { app as boardApp } from '../../functions/board/app.ts';
import { app as callbacksApp } from '../../functions/callbacks/app.ts';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { exchangePayments } from '../../functions/orders/payments.ts';
import { FUNCTIONS, type FunctionName } from '../../functions/routes.ts';
import { FUNCTION_OVERRIDES } from '../../infra/stacks/api-stack.ts';
import type { RunningExchange } from '../../infra/local/runtime.ts';
import { rendererEntry } from '../../infra/local/server.ts';
import { SITE_DIST } from '../../infra/local/site-build.ts';
import type { Renderer } from '../../site/src/render/render-entry.ts';
import { accounts } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { keys } from '../../shared/db/items.ts';
import type { ProductSummary } from '../../shared/domain/catalog-view.ts';
import { recompose } from '../../infra/local/services.ts';
import { deliverWebhooks } from '../../shared/payments/index.ts';
import { signPaymentResult, vnpDate } from '../../shared/payments/vnpay/protocol.ts';
import { countWrites } from '../write-counter.ts';
import { log } from '../../shared/observability/log.ts';

/** On-demand prices, ap-southeast-1 (Singapore), USD: the model's stated assumptions. */
export const PRICES = {
  /** per million write request units */
  dynamoWrite: 1.4269,
  /** per million read request units */
  dynamoRead: 0.2854,
  /** per GB-second, arm64 */
  lambdaGbSecond: 0.0000133334,
  /** per million invocations */
  lambdaRequest: 0.2,
  /** HTTP API, per million requests (first 300 million a month) */
  httpApiRequest: 1.33,
} as const;

/** Tết peak: orders a minute, and page views that come with each order (assumption). */
export const PEAK = { ordersPerMinute: 1000, pageViewsPerOrder: 50 } as const;
/** The write throughput one DynamoDB partition takes (units a second). */
const PARTITION_WRITE_UNITS = 1000;

const TRANSACTIONAL = new Set(['TransactWriteItemsCommand', 'TransactGetItemsCommand']);
const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

interface Usage {
  requests: number;
  read: number;
  write: number;
  /** Units per table or index: `table`, or the GSI's name. */
  byIndex: Map<string, { read: number; write: number }>;
}

const emptyUsage = (): Usage => ({ requests: 0, read: 0, write: 0, byIndex: new Map() });

interface CapacityEntry {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const metering = new AsyncLocalStorage<Usage>();
const MIDDLEWARE = 'capacityMeter';

/** Sets ReturnConsumedCapacity on every command and adds what it consumed to the running meter. */
function installMeter(): () => void {
  const { raw } = db();
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const usage = metering.getStore();
      if (!usage) return next(args);
      const command = context.commandName ?? '';
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      usage.requests += 1;
      const consumed = (result.output as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] })
        .ConsumedCapacity;
      const factor = TRANSACTIONAL.has(command) ? 2 : 1;
      const kind = READS.has(command) ? 'read' : 'write';
      for (const entry of ([] as CapacityEntry[]).concat(consumed ?? [])) {
        const parts: [string, number][] = [];
        if (entry.Table?.CapacityUnits !== undefined) parts.push(['table', entry.Table.CapacityUnits]);
        for (const [name, index] of Object.entries(entry.GlobalSecondaryIndexes ?? {})) {
          parts.push([name, index.CapacityUnits ?? 0]);
        }
        if (parts.length === 0) parts.push(['table', entry.CapacityUnits ?? 0]);
        for (const [name, units] of parts) {
          const slot = usage.byIndex.get(name) ?? { read: 0, write: 0 };
          slot[kind] += units * factor;
          usage.byIndex.set(name, slot);
          usage[kind] += units * factor;
        }
      }
      return result;
    },
    { step: 'initialize', name: MIDDLEWARE, override: true },
  );
  return () => raw.middlewareStack.remove(MIDDLEWARE);
}

interface Lambda {
  name: string;
  memoryMiB: number;
}

/** A function as deployed: its memory is the CDK override, else the route table's. */
function lambda(name: FunctionName): Lambda {
  const override = FUNCTION_OVERRIDES[name] as { memorySize?: number } | undefined;
  return { name, memoryMiB: override?.memorySize ?? FUNCTIONS[name].memoryMiB };
}

/** The storefront's renderer (infra/constructs/site-render.ts: 1,024 MB, for Astro and sharp). */
const RENDERER: Lambda = { name: 'site renderer', memoryMiB: 1024 };

interface OperationFigures {
  operation: string;
  fn: Lambda;
  samples: number;
  requests: number;
  read: number;
  write: number;
  byIndex: Map<string, { read: number; write: number }>;
  /** Billed duration per operation (ms, each call rounded up to 1 ms). */
  ms: number;
  gbSeconds: number;
  lambdaInvocations: number;
  apiRequests: number;
  cost: { dynamo: number; lambda: number; api: number; total: number };
}

const benchStarted = performance.now();
/** A line on stderr while the bench runs (the figures go to stdout at the end). */
const progress = (line: string) =>
  console.error(`[capacity ${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${line}`);

/**
 * Runs `once(i)` `samples` times, one at a time, metering DynamoDB and timing each call.
 * `once` returns how many operations it completed (an outbox run delivers many events).
 */
async function measure(
  operation: string,
  fn: Lambda,
  samples: number,
  once: (i: number) => Promise<number | void>,
  perOperation: { lambdaInvocations: number; apiRequests: number } = { lambdaInvocations: 1, apiRequests: 1 },
  warmUp = 0,
): Promise<OperationFigures> {
  progress(`${operation}: ${samples} samples`);
  // A warm container is what the peak sees: the first calls (module loading, JIT) are not counted.
  for (let i = 0; i < warmUp; i++) await once(samples + i);
  const usage = emptyUsage();
  let billedMs = 0;
  let operations = 0;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const done = await metering.run(usage, () => once(i));
    billedMs += Math.ceil(performance.now() - started);
    operations += typeof done === 'number' ? done : 1;
  }
  const n = Math.max(1, operations);
  const ms = billedMs / n;
  const gbSeconds = (ms / 1000) * (fn.memoryMiB / 1024);
  const read = usage.read / n;
  const write = usage.write / n;
  const byIndex = new Map(
    [...usage.byIndex].map(([name, u]) => [name, { read: u.read / n, write: u.write / n }] as const),
  );
  const dynamo = write * PRICES.dynamoWrite + read * PRICES.dynamoRead;
  const lambda =
    gbSeconds * 1e6 * PRICES.lambdaGbSecond + perOperation.lambdaInvocations * PRICES.lambdaRequest;
  const api = perOperation.apiRequests * PRICES.httpApiRequest;
  return {
    operation,
    fn,
    samples: operations,
    requests: usage.requests / n,
    read,
    write,
    byIndex,
    ms,
    gbSeconds,
    ...perOperation,
    cost: { dynamo, lambda, api, total: dynamo + lambda + api },
  };
}

async function json<T>(res: Response | Promise<Response>): Promise<{ status: number; body: T }> {
  const answer = await res;
  const text = await answer.text();
  return { status: answer.status, body: (text ? JSON.parse(text) : undefined) as T };
}

type Page = { items: ProductSummary[]; nextCursor: string | null; total: number };

const SHOPPER = { name: 'Khách đo tải', phone: '0987 654 321' };
const HANOI = { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' };
const METHODS = ['cod', 'vnpay', 'vietqr'] as const;
type Method = (typeof METHODS)[number];

interface Pack {
  id: string;
  productId: string;
}

interface Placed {
  code: string;
  method: Method;
  fulfillerIds: string[];
  vnpay?: { txnRef: string; amount: string };
}

/** Packs of cooperatives' own products (a manager moves their orders), with stock for the run. */
async function packsForOrders(count: number): Promise<Pack[]> {
  const packs: Pack[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: Page } = await json<Page>(
      catalogApp.request(`/api/catalog/products?limit=48${cursor ? `&cursor=${cursor}` : ''}`),
    );
    for (const item of page.body.items) {
      if (item.producer.kind !== 'cooperative') continue;
      for (const v of item.variants) packs.push({ id: v.id, productId: item.id });
    }
    cursor = page.body.nextCursor;
  } while (cursor && packs.length < count);
  const chosen = packs.slice(0, count);
  const { doc, tableName } = db();
  for (const pack of chosen) {
    // Plenty of stock: the bench measures placing, not running out.
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.variant(pack.productId, pack.id),
        UpdateExpression: 'SET stock = :s',
        ExpressionAttributeValues: { ':s': 1_000_000 },
      }),
    );
  }
  return chosen;
}

async function placeOrder(packs: Pack[], i: number, method: Method): Promise<Placed> {
  const a = packs[(i * 7) % packs.length]!;
  const b = packs[(i * 13 + 5) % packs.length]!;
  const lines =
    i % 2 === 1 && a.id !== b.id
      ? [
          { variantId: a.id, quantity: 1 },
          { variantId: b.id, quantity: 2 },
        ]
      : [{ variantId: a.id, quantity: 1 + (i % 3) }];
  const res = await json<{
    order: { code: string; subOrders: { fulfillerId: string }[] };
    payment?: { next_action?: { redirect_to_url?: { url: string } } };
  }>(
    ordersApp.request('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `cap_${randomUUID()}` },
      body: JSON.stringify({
        lines,
        contact: SHOPPER,
        delivery: { method: 'shipping', address: HANOI },
        paymentMethod: method,
      }),
    }),
  );
  if (res.status !== 201)
    throw new Error(`placeOrder (${method}) answered ${res.status}: ${JSON.stringify(res.body)}`);
  const placed: Placed = {
    code: res.body.order.code,
    method,
    fulfillerIds: res.body.order.subOrders.map((s) => s.fulfillerId),
  };
  const url = res.body.payment?.next_action?.redirect_to_url?.url;
  if (url) {
    const query = new URL(url).searchParams;
    placed.vnpay = { txnRef: query.get('vnp_TxnRef')!, amount: query.get('vnp_Amount')! };
  }
  return placed;
}

let bankTransactionNo = 14_000_000;

/** VNPay's server-to-server call for a successful payment, signed as VNPay signs it. */
async function vnpayIpn(placed: Placed): Promise<void> {
  const { settings } = await exchangePayments();
  const n = bankTransactionNo++;
  const query = signPaymentResult(
    {
      vnp_Amount: placed.vnpay!.amount,
      vnp_BankCode: 'NCB',
      vnp_BankTranNo: `VNP${n}`,
      vnp_CardType: 'ATM',
      vnp_OrderInfo: `Thanh toan don hang ${placed.code}`,
      vnp_PayDate: vnpDate(new Date()),
      vnp_ResponseCode: '00',
      vnp_TmnCode: settings.vnpay.tmnCode,
      vnp_TransactionNo: String(n),
      vnp_TransactionStatus: '00',
      vnp_TxnRef: placed.vnpay!.txnRef,
    },
    settings.vnpay.hashSecret,
  );
  const res = await json<{ RspCode: string }>(callbacksApp.request(`/api/payments/vnpay/ipn?${query}`));
  if (res.body?.RspCode !== '00') throw new Error(`IPN answered ${JSON.stringify(res.body)}`);
}

/** Delivers every due outbox event to our own webhook receiver (in-process, as in AWS over HTTPS). */
async function deliverOutbox(): Promise<number> {
  const { settings } = await exchangePayments();
  const receiver: typeof fetch = async (_url, init) =>
    callbacksApp.request('/api/payments/webhook', init as RequestInit);
  const report = await deliverWebhooks({
    endpoints: settings.webhookEndpoints.slice(0, 1),
    fetch: receiver,
  });
  return report.delivered;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const usd = (n: number) => `$${n.toFixed(2)}`;

export interface CapacityOptions {
  /** Samples per operation. @default 40 */
  samples?: number;
  /** Orders of the hot-key run. @default 600 */
  orders?: number;
}

/** The renderer of the latest site build (site/dist/server/entry.mjs), if there is one. */
async function siteRenderer(): Promise<Renderer | undefined> {
  const entry = rendererEntry(SITE_DIST);
  if (!existsSync(entry)) return undefined;
  return (await import(pathToFileURL(entry).href)) as Renderer;
}

export async function benchCapacity(exchange: RunningExchange, options: CapacityOptions = {}): Promise<void> {
  const samples = options.samples ?? 40;
  const uninstall = installMeter();
  const figures: OperationFigures[] = [];
  // Order notices go out by SMS/Zalo in AWS, not through the table; the local stand-in (the dev
  // inbox, one table partition) is left out. The functions' info logs are kept off the console.
  recompose({ messenger: { send: async () => {} } });
  const info = console.info;
  console.info = () => {};
  const logLevel = log().getLevelName();
  log().setLogLevel('WARN');
  try {
    // ---- Catalog: a container's first load of the read model, then warm requests.
    const catalog = lambda('catalog');
    catalogCache.clear();
    const cold = await measure('catalog container: first load of the read model', catalog, 1, async () => {
      await (await catalogApp.request('/api/catalog/products?limit=24')).arrayBuffer();
    });
    const slugs: string[] = [];
    let total = 0;
    for (let cursor: string | null = null, pages = 0; pages < 4 && (pages === 0 || cursor); pages++) {
      const list: { status: number; body: Page } = await json<Page>(
        catalogApp.request(`/api/catalog/products?limit=48${cursor ? `&cursor=${cursor}` : ''}`),
      );
      if (list.status !== 200) throw new Error(`listProducts answered ${list.status}`);
      slugs.push(...list.body.items.map((p) => p.slug));
      total = list.body.total;
      cursor = list.body.nextCursor;
    }
    const get = async (path: string) => {
      const res = await catalogApp.request(path);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    };
    figures.push(
      await measure(
        'product page view: GET /api/catalog/products/{slug}',
        catalog,
        samples,
        (i) => get(`/api/catalog/products/${slugs[i % slugs.length]}`),
        undefined,
        5,
      ),
    );
    const renderer = await siteRenderer();
    if (renderer) {
      figures.push(
        await measure(
          'product page rendered on demand (CloudFront miss; its API read is the row above)',
          RENDERER,
          Math.min(samples, 20),
          async (i) => {
            const res = await renderer.render(
              new Request(`${exchange.url}/san-pham/${slugs[(i * 5 + 1) % slugs.length]}/`),
              {
                apiOrigin: exchange.url,
              },
            );
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`render answered ${res.status}`);
          },
          { lambdaInvocations: 1, apiRequests: 0 },
          2,
        ),
      );
    }
    const categories = ['che-non', 'che-moc-cau', 'che-tom-non', 'che-bup', 'mat-ong', 'tra-tui-loc'];
    const sorts = ['price_asc', 'price_desc', 'newest'];
    figures.push(
      await measure(
        'listing page: category × sort, 24 a page',
        catalog,
        samples,
        (i) =>
          get(
            `/api/catalog/products?category=${categories[i % categories.length]}&sort=${sorts[i % sorts.length]}&limit=24`,
          ),
        undefined,
        5,
      ),
    );
    const queries = [
      'che tan cuong',
      'mat ong',
      'tom non',
      'la bang',
      'mien dong',
      'nam huong',
      'dinh',
      'gaba',
    ];
    figures.push(
      await measure(
        'search: GET /api/catalog/products?q=…',
        catalog,
        samples,
        (i) => get(`/api/catalog/products?q=${encodeURIComponent(queries[i % queries.length]!)}&limit=24`),
        undefined,
        5,
      ),
    );

    // ---- Orders: place with each method, the IPN, a manager's status change, the outbox.
    const orders = lambda('orders');
    const packs = await packsForOrders(48);
    if (packs.length === 0) throw new Error('No cooperative packs in the catalog to order');
    const placed: Placed[] = [];
    for (const method of METHODS) {
      figures.push(
        await measure(
          `place order: ${method}`,
          orders,
          samples,
          async (i) => void placed.push(await placeOrder(packs, i, method)),
          undefined,
          3,
        ),
      );
    }
    const vnpayOrders = placed.filter((p) => p.vnpay);
    figures.push(
      await measure(
        'VNPay IPN (payment succeeded)',
        orders,
        vnpayOrders.length - 3,
        (i) => vnpayIpn(vnpayOrders[i]!),
        undefined,
        3,
      ),
    );
    const codOrders = placed.filter((p) => p.method === 'cod');
    const tokens = new Map<string, string>();
    for (const order of codOrders) {
      const coop = order.fulfillerIds[0]!;
      if (tokens.has(coop)) continue;
      const account = await accounts.get(`demo-${coop}`);
      if (account) tokens.set(coop, (await exchange.issuer.sign(account)).accessToken);
    }
    const movable = codOrders.filter((o) => tokens.has(o.fulfillerIds[0]!));
    if (movable.length > 3) {
      figures.push(
        await measure(
          'status change by a manager (→ confirmed)',
          lambda('board'),
          movable.length - 3,
          async (i) => {
            const order = movable[i]!;
            const coop = order.fulfillerIds[0]!;
            const res = await boardApp.request(`/api/board/${coop}/orders/${order.code}/status`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(coop)}` },
              body: JSON.stringify({ to: 'confirmed' }),
            });
            if (res.status !== 200)
              throw new Error(`status change answered ${res.status}: ${await res.text()}`);
          },
          undefined,
          3,
        ),
      );
    }
    figures.push(
      await measure(
        'outbox delivery: one webhook event (sender and our receiver)',
        // The delivery lane's worker (the one jobs function before the lanes were split).
        lambda(('deliveryJobs' in FUNCTIONS ? 'deliveryJobs' : 'jobs') as FunctionName),
        3,
        () => deliverOutbox(),
        // One receiver request (API + orders function) per event; the sender's invocation
        // carries a batch of events and is not counted per event.
        { lambdaInvocations: 1, apiRequests: 1 },
      ),
    );

    printOperations(total, cold, figures);
    const run = await hotKeys(packs, options.orders ?? 600);
    // What a catalog container's poll reads once orders move stock.
    const poll = await measure(
      `catalog container: one change poll after the order run (every ${Number(process.env.CATALOG_POLL_MS ?? 5000) / 1000} s while serving)`,
      catalog,
      1,
      () => catalogCache.refresh(),
      { lambdaInvocations: 0, apiRequests: 0 },
    );
    printPeak(poll, figures, run);
  } finally {
    uninstall();
    recompose({ messenger: devInbox });
    console.info = info;
    log().setLogLevel(logLevel);
  }
}

interface OrderRun {
  orders: number;
  seconds: number;
  delivered: number;
  writes: number;
  top: { key: string; writes: number; share: number }[];
}

function printOperations(products: number, cold: OperationFigures, figures: OperationFigures[]): void {
  console.log(
    `\nCapacity per operation (in-process on DynamoDB Local, ${products.toLocaleString('en-US')} products on sale, warm containers)` +
      `\nPrices (on-demand, ap-southeast-1): DynamoDB $${PRICES.dynamoWrite} per million WRU, $${PRICES.dynamoRead} per million RRU;` +
      ` Lambda arm64 $${PRICES.lambdaGbSecond} per GB-s + $${PRICES.lambdaRequest} per million requests;` +
      ` HTTP API $${PRICES.httpApiRequest} per million requests. Transactions count double, as billed.`,
  );
  console.table(
    figures.map((f) => ({
      operation: f.operation,
      'λ (MB)': `${f.fn.name} (${f.fn.memoryMiB})`,
      n: f.samples,
      'DDB req': fmt(f.requests, 1),
      RRU: fmt(f.read, 1),
      WRU: fmt(f.write, 1),
      'ms (billed)': fmt(f.ms, 1),
      'GB-s': f.gbSeconds.toFixed(5),
      'API req': f.apiRequests,
      '$/M DDB': usd(f.cost.dynamo),
      '$/M λ': usd(f.cost.lambda),
      '$/M API': usd(f.cost.api),
      '$/M total': usd(f.cost.total),
    })),
  );
  console.log('Units per table and index, per operation (R read / W write):');
  console.table(
    figures.map((f) => ({
      operation: f.operation,
      ...Object.fromEntries(
        [...f.byIndex].map(([name, u]) => [
          name,
          `${u.read ? `R ${fmt(u.read, 1)}` : ''}${u.read && u.write ? ' ' : ''}${u.write ? `W ${fmt(u.write, 1)}` : ''}`,
        ]),
      ),
    })),
  );
  const stats = catalogCache.stats;
  console.log(
    `Catalog read model per container: first load ${fmt(cold.read, 0)} RRU in ${fmt(cold.requests, 0)} requests, ` +
      `${fmt(cold.ms, 0)} ms${stats.fullLoad ? ` (${stats.fullLoad.items.toLocaleString('en-US')} items, ${(stats.fullLoad.bytes / 1e6).toFixed(1)} MB)` : ''}.`,
  );
}

function printPeak(poll: OperationFigures, figures: OperationFigures[], run: OrderRun): void {
  const stats = catalogCache.stats;
  console.log(
    `\nCatalog read model per container: one change poll after the order run ${fmt(poll.read, 1)} RRU in ${fmt(poll.requests, 0)} requests, ${fmt(poll.ms, 0)} ms` +
      `${stats.lastPoll ? ` (${stats.lastPoll.items} changed items)` : ''}.`,
  );

  const byName = (prefix: string) => figures.find((f) => f.operation.startsWith(prefix));
  const perSecond = PEAK.ordersPerMinute / 60;
  const views = perSecond * PEAK.pageViewsPerOrder;
  const eventsPerOrder = run.delivered / run.orders;
  const mix: [OperationFigures | undefined, number][] = [
    [byName('product page view'), views * 0.6],
    [byName('product page rendered'), 0],
    [byName('listing page'), views * 0.25],
    [byName('search'), views * 0.15],
    [byName('place order: cod'), perSecond / 3],
    [byName('place order: vnpay'), perSecond / 3],
    [byName('place order: vietqr'), perSecond / 3],
    [byName('VNPay IPN'), perSecond / 3],
    [byName('status change'), perSecond * 4],
    [byName('outbox delivery'), perSecond * eventsPerOrder],
  ];
  const rows = mix
    .filter(([f, rate]) => f && rate > 0)
    .map(([f, rate]) => ({
      operation: f!.operation,
      'per s': fmt(rate, 1),
      'RRU/s': fmt(f!.read * rate, 0),
      'WRU/s': fmt(f!.write * rate, 0),
      'λ concurrency': fmt((f!.ms / 1000) * rate, 1),
      'API req/s': fmt(f!.apiRequests * rate, 0),
      '$/hour': usd((f!.cost.total * rate * 3600) / 1e6),
    }));
  const sum = (key: 'RRU/s' | 'WRU/s' | 'API req/s' | 'λ concurrency') =>
    rows.reduce((n, r) => n + Number(r[key]), 0);
  const hour = rows.reduce((n, r) => n + Number(r['$/hour'].slice(1)), 0);
  console.log(
    `\nTết peak at the origin, if no API read were cached at the edge: ${PEAK.ordersPerMinute} orders a minute (${fmt(perSecond, 1)}/s, a third each COD, VNPay, VietQR), ` +
      `${PEAK.pageViewsPerOrder} page views per order (${fmt(views, 0)}/s: 60 % product, 25 % listing, 15 % search; one API read each), ` +
      `4 status changes and ${fmt(eventsPerOrder, 2)} webhook events per order (measured in the order run):`,
  );
  console.table([
    ...rows,
    {
      operation: 'total',
      'per s': '',
      'RRU/s': fmt(sum('RRU/s'), 0),
      'WRU/s': fmt(sum('WRU/s'), 0),
      'λ concurrency': fmt(sum('λ concurrency'), 1),
      'API req/s': fmt(sum('API req/s'), 0),
      '$/hour': usd(hour),
    },
  ]);

  const perOrder = run.writes / run.orders;
  // Units an item write costs on average in the order flow (sizes over 1 KB, transactions double).
  const flowUnits =
    ['place order: cod', 'place order: vnpay', 'place order: vietqr']
      .map((name) => byName(name)?.write ?? 0)
      .reduce((a, b) => a + b, 0) /
      3 +
    (byName('VNPay IPN')?.write ?? 0) / 3 +
    (byName('outbox delivery')?.write ?? 0) * eventsPerOrder;
  const unitsPerWrite = flowUnits / perOrder;
  console.log(
    `\nHot keys: ${run.orders} orders (COD, VNPay with its IPN, VietQR in turn; placed in ${fmt(run.seconds, 1)} s at concurrency 16 on DynamoDB Local) ` +
      `and ${run.delivered} webhook events delivered: ${run.writes.toLocaleString('en-US')} item writes, ${fmt(perOrder, 1)} per order.` +
      `\nAt ${PEAK.ordersPerMinute} orders a minute, each key's writes a second and units at the order flow's measured ${fmt(unitsPerWrite, 1)} WRU a write ` +
      `(a partition takes ${PARTITION_WRITE_UNITS} WRU/s):`,
  );
  console.table(
    run.top.map((t) => ({
      key: t.key,
      writes: t.writes,
      share: `${(t.share * 100).toFixed(2)} %`,
      'writes/s at peak': fmt((t.writes / run.orders) * perSecond, 1),
      'WRU/s at peak': fmt((t.writes / run.orders) * perSecond * unitsPerWrite, 1),
      'of a partition': `${((((t.writes / run.orders) * perSecond * unitsPerWrite) / PARTITION_WRITE_UNITS) * 100).toFixed(1)} %`,
    })),
  );
}

/** Orders at concurrency 16 with their IPNs and outbox delivery; writes counted per partition key. */
async function hotKeys(packs: Pack[], orders: number): Promise<OrderRun> {
  const counter = countWrites(db().raw);
  try {
    const { doc, tableName } = db();
    for (const pack of packs) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.variant(pack.productId, pack.id) }),
      );
      if (Item) counter.remember(Item);
    }
    counter.reset();
    progress(`order run: ${orders} orders at concurrency 16, then the outbox`);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < orders; i = next++) {
          const order = await placeOrder(packs, i, METHODS[i % METHODS.length]!);
          if (order.vnpay) await vnpayIpn(order);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    let delivered = 0;
    for (let round = 0; round < 50; round++) {
      const n = await deliverOutbox();
      delivered += n;
      if (n === 0) break;
    }
    return { orders, seconds, delivered, writes: counter.total, top: counter.top(8) };
  } finally {
    counter.stop();
  }
}
