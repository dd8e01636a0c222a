/**
 * The carriers' emulators: GHN and GHTK cannot be reached from here (nor should a test book real
 * parcels), so one local server plays both, each under its own prefix and in its own wire shapes
 * (ghn.ts, ghtk.ts): `${url}/ghn` is GHN's host, `${url}/ghtk` GHTK's.
 *
 * Parcels live in memory. The control page (`/`, page.ts) lists them with a button per next event
 * (picked, delivering, delivered, delivery failed, returned); an optional timer walks them along
 * the happy path. Every status change is sent to the exchange's webhook
 * (`POST {siteUrl}/api/carriers/{carrier}/webhook?token=…`) as the carrier sends it, retried with
 * a doubling backoff up to `webhookAttempts` times; each attempt shows on the page.
 *
 * Control API (JSON; the page's forms post to the same routes):
 *   GET  /emulator/parcels                          every parcel and its webhook attempts
 *   POST /emulator/parcels/{carrier}/{code}/{step}  the next event (step: picked, delivering, …)
 *   POST /emulator/parcels/{carrier}/{code}/cod     `{amount}`: what the carrier says it collected
 *   POST /emulator/faults                           `{carrier?, calls, delayMs?, status?}`: the next
 *                                                   calls answer late (after the work is done, as a
 *                                                   lost answer) or fail with `status`
 *   POST /emulator/auto                             `{intervalMs}` walks every parcel; 0 stops
 *   GET  /{carrier}/cod-statement.csv               the COD statement of delivered COD parcels
 */
import { Hono, type Context } from 'hono';
import { FEE_TABLES, feeOf, type FeeParts } from './fees.ts';
import { formerUnits, zoneBetween, type FormerWard, type Zone } from './master-data.ts';
import { ghnEmulation } from './ghn.ts';
import { ghtkEmulation } from './ghtk.ts';
import { controlPage } from './page.ts';

export type EmulatedCarrier = 'ghn' | 'ghtk';
export const EMULATED_CARRIERS: readonly EmulatedCarrier[] = ['ghn', 'ghtk'];

/** The events a person (or the timer) can move a parcel to. */
export const STEPS = [
  'picked',
  'in_transit',
  'delivering',
  'delivered',
  'delivery_failed',
  'returned',
] as const;
export type Step = (typeof STEPS)[number];
export const STEP_LABELS: Record<Step, string> = {
  picked: 'Đã lấy hàng',
  in_transit: 'Đang trung chuyển',
  delivering: 'Đang giao',
  delivered: 'Giao thành công',
  delivery_failed: 'Giao thất bại',
  returned: 'Đã trả hàng',
};

export interface WebhookAttempt {
  at: string;
  /** HTTP status, or the network error. */
  result: string;
}

export interface WebhookDelivery {
  id: number;
  carrier: EmulatedCarrier;
  parcelCode: string;
  status: string;
  body: unknown;
  attempts: WebhookAttempt[];
  state: 'pending' | 'delivered' | 'failed';
}

export interface EmulatedParcel {
  carrier: EmulatedCarrier;
  code: string;
  clientCode: string;
  shopId: string;
  status: string;
  log: { status: string; at: string }[];
  fee: FeeParts;
  zone: Zone;
  codAmount: number;
  /** What the carrier reports collected (the COD, unless a test set another amount). */
  codCollected?: number;
  insuredValue: number;
  weightGrams: number;
  size: { length: number; width: number; height: number };
  from: { name: string; phone: string; address: string; ward?: FormerWard };
  to: { name: string; phone: string; address: string; ward: FormerWard };
  items: { name: string; quantity: number; weight: number }[];
  note: string;
  createdAt: string;
  expectedDelivery: string;
  /** The carrier's status record for a failed delivery or a return. */
  reason?: string;
}

/** What each carrier's emulation supplies to the shared machinery. */
export interface CarrierEmulation {
  id: EmulatedCarrier;
  name: string;
  /** The carrier's status for a new parcel. */
  initial: string;
  /** The carrier's status for each step (a step the carrier does not have is absent). */
  steps: Partial<Record<Step, string>>;
  /** The statuses nothing follows. */
  final: readonly string[];
  /** The statuses from which a parcel can still be cancelled. */
  cancellable: readonly string[];
  /** Which steps may follow a status (the page's buttons and the timer's walk). */
  next(status: string): Step[];
  webhookBody(parcel: EmulatedParcel, status: string, at: Date): unknown;
  statement: { columns: string[]; row(parcel: EmulatedParcel): (string | number)[] };
  routes(app: Hono, emulator: CarrierEmulator): void;
}

export interface CarrierEmulatorOptions {
  /** The exchange's origin; webhooks go to `${siteUrl}/api/carriers/{carrier}/webhook?token=`. */
  siteUrl?: string;
  tokens: Record<EmulatedCarrier, { api: string; webhook: string }>;
  /** @default 5 */
  webhookAttempts?: number;
  /** First retry after this long, doubling. @default 1000 */
  webhookRetryMs?: number;
  /** @default 3000 */
  webhookTimeoutMs?: number;
  /** Walk every parcel one step this often; 0 or undefined: only by hand. */
  autoAdvanceMs?: number;
  clock?: () => Date;
}

interface Fault {
  carrier?: EmulatedCarrier;
  calls: number;
  delayMs: number;
  status?: number;
}

export interface CarrierEmulator {
  app: Hono;
  options: CarrierEmulatorOptions;
  now(): Date;
  parcels(carrier?: EmulatedCarrier): EmulatedParcel[];
  parcel(carrier: EmulatedCarrier, code: string): EmulatedParcel | undefined;
  byClientCode(carrier: EmulatedCarrier, clientCode: string, shopId?: string): EmulatedParcel | undefined;
  /** Adds a parcel in its initial status and sends its creation webhook. */
  add(parcel: Omit<EmulatedParcel, 'status' | 'log' | 'createdAt'>): EmulatedParcel;
  /** Moves a parcel to a carrier status and sends the webhook. */
  setStatus(parcel: EmulatedParcel, status: string, reason?: string): void;
  /** Moves a parcel one step; false when the step cannot follow its status. */
  advance(carrier: EmulatedCarrier, code: string, step: Step): boolean;
  quoteFor(
    carrier: EmulatedCarrier,
    from: FormerWard,
    to: FormerWard,
    parcel: { weightGrams: number; codAmount: number; insuredValue: number },
  ): { zone: Zone; fee: FeeParts };
  deliveries(): WebhookDelivery[];
  /** Resolves when no webhook is waiting for an attempt. */
  settled(): Promise<void>;
  /** The next `calls` carrier API calls answer after `delayMs` (the work is done first), or fail with `status`. */
  fault(fault: Fault): void;
  setSiteUrl(siteUrl: string): void;
  setAutoAdvance(intervalMs: number): void;
  statementCsv(carrier: EmulatedCarrier): string;
  stop(): void;
}

export function emulationOf(carrier: EmulatedCarrier): CarrierEmulation {
  // Looked up at call time: the emulations import this module's helpers.
  const emulation = (
    { ghn: ghnEmulation, ghtk: ghtkEmulation } as Record<EmulatedCarrier, CarrierEmulation | undefined>
  )[carrier];
  if (!emulation) throw new Error(`no emulation for ${carrier}`);
  return emulation;
}

export function createCarrierEmulator(options: CarrierEmulatorOptions): CarrierEmulator {
  const clock = options.clock ?? (() => new Date());
  const attemptsMax = options.webhookAttempts ?? 5;
  const retryMs = options.webhookRetryMs ?? 1_000;
  const timeoutMs = options.webhookTimeoutMs ?? 3_000;
  const store = new Map<string, EmulatedParcel>();
  const deliveries: WebhookDelivery[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const faults: Fault[] = [];
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let auto: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  let nextDeliveryId = 1;
  const key = (carrier: EmulatedCarrier, code: string) => `${carrier}:${code}`;

  function release() {
    if (inFlight === 0) {
      const done = waiters;
      waiters = [];
      for (const w of done) w();
    }
  }

  function send(carrier: EmulatedCarrier, parcel: EmulatedParcel, status: string) {
    if (!options.siteUrl) return;
    const emulation = emulationOf(carrier);
    const delivery: WebhookDelivery = {
      id: nextDeliveryId++,
      carrier,
      parcelCode: parcel.code,
      status,
      body: emulation.webhookBody(parcel, status, clock()),
      attempts: [],
      state: 'pending',
    };
    deliveries.push(delivery);
    inFlight++;
    void attempt(delivery);
  }

  async function attempt(delivery: WebhookDelivery): Promise<void> {
    if (stopped) return;
    const url = `${options.siteUrl}/api/carriers/${delivery.carrier}/webhook?token=${encodeURIComponent(options.tokens[delivery.carrier].webhook)}`;
    let result: string;
    let ok = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      result = `HTTP ${response.status}`;
      ok = response.ok;
    } catch (error) {
      result = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    delivery.attempts.push({ at: clock().toISOString(), result });
    if (ok || delivery.attempts.length >= attemptsMax || stopped) {
      delivery.state = ok ? 'delivered' : 'failed';
      inFlight--;
      release();
      return;
    }
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void attempt(delivery);
      },
      retryMs * 2 ** (delivery.attempts.length - 1),
    );
    timers.add(timer);
  }

  const emulator: CarrierEmulator = {
    app: new Hono(),
    options,
    now: clock,
    parcels: (carrier) => [...store.values()].filter((p) => !carrier || p.carrier === carrier),
    parcel: (carrier, code) => store.get(key(carrier, code)),
    byClientCode: (carrier, clientCode, shopId) =>
      [...store.values()].find(
        (p) =>
          p.carrier === carrier &&
          p.clientCode === clientCode &&
          (shopId === undefined || p.shopId === shopId),
      ),
    add(input) {
      const emulation = emulationOf(input.carrier);
      const at = clock().toISOString();
      const parcel: EmulatedParcel = {
        ...input,
        status: emulation.initial,
        log: [{ status: emulation.initial, at }],
        createdAt: at,
      };
      store.set(key(parcel.carrier, parcel.code), parcel);
      send(parcel.carrier, parcel, parcel.status);
      return parcel;
    },
    setStatus(parcel, status, reason) {
      parcel.status = status;
      parcel.log.push({ status, at: clock().toISOString() });
      if (reason) parcel.reason = reason;
      send(parcel.carrier, parcel, status);
    },
    advance(carrier, code, step) {
      const parcel = store.get(key(carrier, code));
      if (!parcel) return false;
      const emulation = emulationOf(carrier);
      const status = emulation.steps[step];
      if (!status || !emulation.next(parcel.status).includes(step)) return false;
      if (step === 'delivered' && parcel.codCollected === undefined) parcel.codCollected = parcel.codAmount;
      emulator.setStatus(
        parcel,
        status,
        step === 'delivery_failed' ? 'Không liên lạc được người nhận' : undefined,
      );
      return true;
    },
    quoteFor(carrier, from, to, parcel) {
      const { provinceById, districtById } = formerUnits();
      const province = (w: FormerWard) => provinceById.get(districtById.get(w.districtId)!.provinceId)!;
      const zone = zoneBetween(province(from), province(to));
      return { zone, fee: feeOf(FEE_TABLES[carrier], zone, parcel) };
    },
    deliveries: () => deliveries,
    settled: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((done) => waiters.push(done))),
    fault(fault) {
      faults.push({ ...fault });
    },
    setSiteUrl(siteUrl) {
      options.siteUrl = siteUrl.replace(/\/$/, '');
    },
    setAutoAdvance(intervalMs) {
      if (auto) clearInterval(auto);
      auto = undefined;
      options.autoAdvanceMs = intervalMs;
      if (intervalMs > 0) {
        auto = setInterval(() => {
          for (const parcel of store.values()) {
            const emulation = emulationOf(parcel.carrier);
            // The happy path: the first step that is not a failure.
            const step = emulation
              .next(parcel.status)
              .find((s) => s !== 'delivery_failed' && s !== 'returned');
            if (step) emulator.advance(parcel.carrier, parcel.code, step);
          }
        }, intervalMs);
        auto.unref?.();
      }
    },
    statementCsv(carrier) {
      const emulation = emulationOf(carrier);
      const rows = emulator
        .parcels(carrier)
        .filter((p) => p.codAmount > 0 && p.status === emulation.steps.delivered)
        .map((p) => emulation.statement.row(p));
      return (
        [emulation.statement.columns, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
      );
    },
    stop() {
      stopped = true;
      if (auto) clearInterval(auto);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      inFlight = 0;
      release();
    },
  };

  const app = emulator.app;
  // Faults apply to the carriers' APIs, never to the control routes.
  for (const carrier of ['ghn', 'ghtk'] as const) {
    app.use(`/${carrier}/*`, async (c, next) => {
      if (c.req.path.endsWith('/cod-statement.csv')) return next();
      const index = faults.findIndex((f) => !f.carrier || f.carrier === carrier);
      const fault = index >= 0 ? faults[index]! : undefined;
      if (fault && --fault.calls <= 0) faults.splice(index, 1);
      if (fault?.status) {
        await sleep(fault.delayMs);
        return c.json(
          { code: fault.status, message: 'Hệ thống đang bận, vui lòng thử lại sau' },
          fault.status as 500,
        );
      }
      await next();
      if (fault) await sleep(fault.delayMs);
    });
  }
  for (const carrier of EMULATED_CARRIERS) {
    const emulation = emulationOf(carrier);
    emulation.routes(app, emulator);
    app.get(`/${carrier}/cod-statement.csv`, (c) =>
      c.body(emulator.statementCsv(carrier), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${carrier}-doi-soat-cod.csv"`,
      }),
    );
  }

  app.get('/', (c) => c.html(controlPage(emulator)));
  app.get('/emulator/parcels', (c) =>
    c.json({ parcels: emulator.parcels(), deliveries: emulator.deliveries() }),
  );
  app.post('/emulator/parcels/:carrier/:code/cod', async (c) => {
    const parcel = emulator.parcel(c.req.param('carrier') as EmulatedCarrier, c.req.param('code'));
    if (!parcel) return c.json({ error: 'không có đơn này' }, 404);
    const body = await readBody(c);
    const amount = Number(body.amount);
    if (!Number.isInteger(amount) || amount < 0)
      return c.json({ error: 'amount: số đồng nguyên, không âm' }, 400);
    parcel.codCollected = amount;
    return respond(c, { parcel });
  });
  app.post('/emulator/parcels/:carrier/:code/:step', (c) => {
    const carrier = c.req.param('carrier') as EmulatedCarrier;
    const step = c.req.param('step') as Step;
    if (!EMULATED_CARRIERS.includes(carrier) || !STEPS.includes(step))
      return c.json({ error: 'không có bước này' }, 404);
    if (!emulator.advance(carrier, c.req.param('code'), step)) {
      return c.json(
        { error: `Không chuyển được đơn ${c.req.param('code')} sang "${STEP_LABELS[step]}"` },
        409,
      );
    }
    return respond(c, { parcel: emulator.parcel(carrier, c.req.param('code')) });
  });
  app.post('/emulator/faults', async (c) => {
    const body = await readBody(c);
    const calls = Number(body.calls ?? 1);
    const delayMs = Number(body.delayMs ?? 0);
    const status = body.status === undefined || body.status === '' ? undefined : Number(body.status);
    const carrier = body.carrier ? (String(body.carrier) as EmulatedCarrier) : undefined;
    if (!Number.isInteger(calls) || calls < 1 || !Number.isFinite(delayMs) || delayMs < 0) {
      return c.json({ error: 'calls ≥ 1, delayMs ≥ 0' }, 400);
    }
    emulator.fault({ calls, delayMs, ...(status ? { status } : {}), ...(carrier ? { carrier } : {}) });
    return respond(c, { faults: faults.length });
  });
  app.post('/emulator/auto', async (c) => {
    const body = await readBody(c);
    const intervalMs = Number(body.intervalMs ?? 0);
    if (!Number.isFinite(intervalMs) || intervalMs < 0) return c.json({ error: 'intervalMs ≥ 0' }, 400);
    emulator.setAutoAdvance(intervalMs);
    return respond(c, { intervalMs });
  });

  if (options.autoAdvanceMs) emulator.setAutoAdvance(options.autoAdvanceMs);
  return emulator;
}

/** JSON for API callers, back to the page for its forms. */
function respond(c: Context, body: unknown) {
  const form = (c.req.header('content-type') ?? '').includes('form');
  return form ? c.redirect('/', 303) : c.json(body);
}

async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('json')) return ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  if (type.includes('form')) return Object.fromEntries(Object.entries(await c.req.parseBody()));
  return {};
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve();
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A random carrier code: a prefix and uppercase letters and digits. */
export function parcelCode(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = prefix;
  for (let i = 0; i < length; i++) code += alphabet[Math.floor(Math.random() * alphabet.length)];
  return code;
}
