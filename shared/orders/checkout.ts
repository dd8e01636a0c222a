/**
 * Checkout: `POST /api/orders`. Where money and stock move, so:
 *  - prices, names and producers come from the table (read consistently), never from the body;
 *  - placing is ONE DynamoDB transaction: every variant's stock is reserved on the condition
 *    `stock >= quantity AND price = the price charged`, and the order, its sub-orders (one per
 *    fulfilling cooperative or independent producer), the expiry marker and the completion of
 *    the Idempotency-Key are written with it. A short line cancels the whole transaction: 409
 *    with the quantities available, nothing written;
 *  - the payment intent is created in that same transaction (the SDK's `transactItems`), so there
 *    is never an order without its payment, nor a payment without its order;
 *  - a transaction that DynamoDB cancels for a conflict (another checkout of the same pack at the
 *    same moment) or a throttle is sent again after a jittered backoff (db/retry.ts, inside the
 *    SDK's commit); if it keeps failing the shopper gets 503 with Retry-After and nothing is
 *    written. Only a failed condition on a stock line is "not enough": that stays a 409.
 *  - delivery is priced per part by `priceParts` (shipping-quotes.ts), as checkout's quote
 *    (`quoteShipping`) showed it: a carrier's kept quote is read in the same consistent batch
 *    (its key named from what the process learned, `predictQuoteKeys`) and charged; the carrier is
 *    asked only for a quote no longer kept. An unserved commune (422) or a carrier that does not
 *    answer in time (503 with Retry-After) is refused before anything is written;
 *  - abuse: a COD order is held only once the buyer confirms it with the code sent to the phone
 *    given (within COD_CONFIRMATION.windowMs; unconfirmed it expires like an unpaid order, through
 *    the same expiry marker); a phone that confirmed before skips this for small orders. Orders
 *    per address and per phone an hour are counted before anything is read; open orders per
 *    phone and a pack's units per phone a day are conditions of the transaction (limits.ts).
 */
import { createHash } from 'node:crypto';
import { keys, type TransactItem } from '../db/items.ts';
import { cancellationCodes } from '../db/retry.ts';
import {
  batchGetConsistent,
  batchGetEventual,
  orderKeys,
  putExpiryMarker,
  putOrder,
  putSubOrder,
  reserveStock,
} from '../db/orders.ts';
import { DomainError } from '../domain/errors.ts';
import type { Producer } from '../domain/producer.ts';
import { packLabel, type Product, type Variant } from '../domain/product.ts';
import type { Payments } from '../payments/index.ts';
import type { PaymentIntent } from '../payments/types.ts';
import {
  orderKeyItem,
  putOrderKey,
  storedAnswer,
  winningAnswer,
  type IdempotentAnswer,
} from './idempotency.ts';
import {
  orderCode,
  PAYMENT_WINDOW_MS,
  type Order,
  type OrderLine,
  type PlaceOrderBody,
  type QuoteShippingBody,
  type SubOrder,
} from './model.ts';
import { ShippingRules } from './shipping.ts';
import { keptQuote, quoteCacheKey } from '../db/shipping-quotes.ts';
import {
  hintedFulfiller,
  learnQuoteHints,
  PLACE_TIMEOUT_MS,
  predictQuoteKeys,
  priceParts,
  QUOTE_TIMEOUT_MS,
  shippingQuoteOf,
  type PartPrice,
  type PricingContext,
} from './shipping-quotes.ts';
import { announcePlaced, sendConfirmationCode } from './notifications.ts';
import { hit } from '../db/rate-limits.ts';
import {
  addOpenOrder,
  codTrustHolds,
  codTrustKey,
  openCodesOf,
  openOrderCodes,
  openOrdersKey,
  orderDeadlines,
  pruneOpenOrders,
  putCodConfirmation,
  takePackUnits,
} from '../db/order-guards.ts';
import { codeDigest, newOneTimeCode } from '../auth/one-time-code.ts';
import {
  COD_CONFIRMATION,
  LimitExceeded,
  ORDER_RATE_LIMITS,
  rateLimitsOn,
  secondsLeftInWindow,
  waitText,
} from './limits.ts';
import { log } from '../observability/log.ts';
import { countEvent } from '../observability/metrics.ts';
import { correlateWith } from '../observability/scope.ts';

export interface CheckoutContext {
  payments: Payments;
  /**
   * Where a pack belongs, from the catalog snapshot: its product and producer never change; the
   * producer's cooperative is a hint (membership is re-read with the rest).
   */
  productOfVariant: (variantId: string) => Promise<VariantPlace | undefined>;
  now: Date;
  clientIp: string;
  idempotencyKey: string;
  /** The body's fingerprint: the transaction writes the key with it (see idempotency.ts). */
  fingerprint: string;
  /** The storefront's origin, for the confirm link in the COD confirmation SMS. */
  siteUrl?: string;
  /** The carriers (default: the process's `services().carriers`). */
  carriers?: PricingContext['carriers'];
}

export interface VariantPlace {
  productId: string;
  producerId: string;
  cooperativeId?: string;
}

export interface ShortLine {
  variantId: string;
  requested: number;
  available: number;
}

export interface PlacedOrder {
  order: Order & { subOrders: SubOrder[] };
  payment: {
    id: string;
    status: PaymentIntent['status'];
    client_secret: string | null;
    next_action: PaymentIntent['next_action'];
  };
  /** A COD order waiting for the code sent to the buyer's phone (POST /api/orders/{code}/confirm). */
  confirmation?: { required: true; confirmBy: string };
}

/** The digest a COD order's confirmation code is stored as: bound to the order and its phone. */
export const confirmationDigest = (orderCode: string, phone: string, code: string) =>
  codeDigest(`cod:${orderCode}:${phone}`, code);

/** Orders per address and per phone an hour: counted on every attempt, before any read. */
export async function countAttempt(ip: string, phone: string, nowMs: number): Promise<void> {
  const hour = 3600;
  const wait = secondsLeftInWindow(nowMs, hour);
  // Both counted at once (one round trip, not two): an attempt refused for its address counts
  // against its phone too, as it is an attempt from that phone all the same.
  const [byIp, byPhone] = await Promise.all([
    hit(`orders-ip#${ip}`, ORDER_RATE_LIMITS.ordersPerIpPerHour, hour, nowMs),
    hit(`orders-phone#${phone}`, ORDER_RATE_LIMITS.ordersPerPhonePerHour, hour, nowMs),
  ]);
  if (!byIp) {
    throw new LimitExceeded(
      'order.too_many_from_address',
      `Có quá nhiều đơn hàng từ địa chỉ mạng này; hãy thử lại sau ${waitText(wait)} / Too many orders from this address, try again later`,
      wait,
    );
  }
  if (!byPhone) {
    throw new LimitExceeded(
      'order.too_many_for_phone',
      `Số điện thoại này đã đặt quá nhiều đơn trong một giờ; hãy thử lại sau ${waitText(wait)} / Too many orders for this phone, try again later`,
      wait,
    );
  }
}

const tooManyOpen = (wait: number) =>
  new LimitExceeded(
    'order.too_many_open',
    `Số điện thoại này đang có ${ORDER_RATE_LIMITS.openOrdersPerPhone} đơn chưa thanh toán hoặc chưa xác nhận; hãy hoàn tất hoặc hủy một đơn, hoặc thử lại sau ${waitText(wait)} / Too many unpaid or unconfirmed orders for this phone`,
    wait,
  );

/**
 * Room for one more open order on the phone: entries whose order moved on (paid, confirmed,
 * expired, cancelled) are pruned when the set is full. The transaction checks the size again.
 */
export async function ensureOpenRoom(phone: string, nowMs: number): Promise<void> {
  const codes = await openOrderCodes(phone);
  if (codes.length < ORDER_RATE_LIMITS.openOrdersPerPhone) return;
  const orders = await orderDeadlines(codes);
  const stale = codes.filter((c) => orders.get(c)?.status !== 'pending_payment');
  await pruneOpenOrders(phone, stale);
  const open = codes.filter((c) => !stale.includes(c));
  if (open.length < ORDER_RATE_LIMITS.openOrdersPerPhone) return;
  const first = Math.min(...open.map((c) => Date.parse(orders.get(c)?.payBy ?? '') || nowMs + 60_000));
  throw tooManyOpen(Math.max(1, Math.ceil((first - nowMs) / 1000)));
}

/** An answer that is stored under the Idempotency-Key and replayed. */
export class CheckoutRefusal extends DomainError {
  constructor(
    kind: 'conflict' | 'unprocessable',
    code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(kind, code, message);
  }
}

interface ResolvedLine {
  line: OrderLine;
  fulfiller: Producer;
}

type Resolved =
  | { replay: IdempotentAnswer }
  | {
      replay?: undefined;
      resolved: ResolvedLine[];
      rules: Map<string, ShippingRules>;
      /** The kept carrier quotes read with the lines (`predictQuoteKeys`). */
      quotes: NonNullable<PricingContext['prefetched']>;
      /** The COD trust of `trustPhone`, read with the lines (false when none was asked). */
      codTrusted: boolean;
      /** The open orders of `openPhone`, read with the lines (undefined when none was asked). */
      openCodes?: string[];
    };

/** The Idempotency-Key of a placement, read with the lines (a quote has none). */
type KeyContext = Pick<CheckoutContext, 'idempotencyKey' | 'fingerprint' | 'now'>;

/**
 * Reads what the body names, as the table has it now, with the Idempotency-Key's record when
 * placing: a key that holds an answer is replayed before anything else is judged. Refuses what
 * cannot be sold.
 */
async function resolveLines(
  body: Pick<PlaceOrderBody, 'lines'>,
  ctx: Pick<CheckoutContext, 'productOfVariant'> &
    Partial<KeyContext> & { trustPhone?: string; openPhone?: string },
  toWard?: string,
): Promise<Resolved> {
  const where = await Promise.all(body.lines.map((l) => ctx.productOfVariant(l.variantId)));
  const known = body.lines.flatMap((l, i) => (where[i] ? [{ variantId: l.variantId, ...where[i] }] : []));
  // One batch: the key, packs, products, producers and (as the snapshot or the last checkout of
  // the pack knows them) their cooperatives. Price, stock, status and membership are then taken
  // from what was read. Shipping rules only of who will likely fulfil: a member household ships
  // with its cooperative's rules, so its own (usually none) are read only if it left since.
  const ruleOwners = new Set(
    known.map((w) => w.cooperativeId ?? hintedFulfiller(w.variantId) ?? w.producerId),
  );
  const producerIds = new Set([...known.map((w) => w.producerId), ...ruleOwners]);
  const keyItem = ctx.idempotencyKey ? orderKeyItem(ctx.idempotencyKey) : undefined;
  // The carriers' kept quotes this checkout will most likely charge, read in the same batch.
  const quoteKeys = predictQuoteKeys(body.lines, toWard).map(quoteCacheKey);
  const trustItem = ctx.trustPhone ? codTrustKey(ctx.trustPhone) : undefined;
  const openItem = ctx.openPhone ? openOrdersKey(ctx.openPhone) : undefined;
  // Eventually consistent (half the read units): whatever a read a moment stale could get wrong,
  // the transaction checks again. Its conditions hold the price and stock of each pack and the
  // Idempotency-Key (a replay read stale loses the key's condition and answers with the stored
  // answer, as two racing requests do); products, sellers, cooperatives, rules and kept quotes
  // change by hand, and an order that reads them a second late is one placed a second earlier.
  const items = await batchGetEventual([
    ...(keyItem ? [keyItem] : []),
    ...(trustItem ? [trustItem] : []),
    ...(openItem ? [openItem] : []),
    ...quoteKeys,
    ...known.flatMap((w) => [keys.variant(w.productId, w.variantId), keys.product(w.productId)]),
    ...[...producerIds].map((id) => keys.producer(id)),
    ...[...ruleOwners].map((id) => orderKeys.shipping(id)),
  ]);
  const found = (key: { pk: string; sk: string } | undefined) =>
    key && items.find((item) => item.pk === key.pk && item.sk === key.sk);
  if (keyItem) {
    const replay = storedAnswer(found(keyItem), ctx.fingerprint!, ctx.now!.getTime());
    if (replay) return { replay };
  }
  const unknown = body.lines.filter((_, i) => !where[i]).map((l) => l.variantId);
  if (unknown.length > 0) throw unavailable(unknown);
  const rules = new Map<string, ShippingRules>();
  const variants = new Map<string, Variant>();
  const products = new Map<string, Product>();
  const producers = new Map<string, Producer>();
  for (const item of items) {
    if (item.type === 'variant') variants.set(item.id as string, item as unknown as Variant);
    if (item.type === 'product') products.set(item.id as string, item as unknown as Product);
    if (item.type === 'producer') producers.set(item.id as string, item as unknown as Producer);
    if (item.type === 'shipping_rules') addRules(rules, item);
  }
  const nowMs = (ctx.now ?? new Date()).getTime();
  const quotes = {
    asked: new Set(quoteKeys.map((k) => k.pk)),
    kept: new Map(
      items.flatMap((item) => {
        const quote = item.type === 'shipping_quote' ? keptQuote(item, nowMs) : undefined;
        return quote ? [[String(item.pk), quote] as const] : [];
      }),
    ),
  };
  // A guess that did not hold (a household that joined a cooperative, or left one, since the
  // pack was last ordered; a pack not ordered before): read the fulfiller and its rules now.
  const fulfillers = new Set(
    [...producers.values()].map((p) =>
      p.membership?.status === 'approved' ? p.membership.cooperativeId : p.id,
    ),
  );
  const missing = [...fulfillers].flatMap((id) => [
    ...(producers.has(id) ? [] : [keys.producer(id)]),
    ...(ruleOwners.has(id) ? [] : [orderKeys.shipping(id)]),
  ]);
  if (missing.length > 0) {
    for (const item of await batchGetEventual(missing)) {
      if (item.type === 'producer') producers.set(item.id as string, item as unknown as Producer);
      if (item.type === 'shipping_rules') addRules(rules, item);
    }
  }

  const gone: string[] = [];
  const resolved = body.lines.flatMap((requested, i): ResolvedLine[] => {
    const variant = variants.get(requested.variantId);
    const product = products.get(where[i]!.productId);
    const producer = product && producers.get(product.producerId);
    if (
      !variant ||
      !product ||
      !producer ||
      product.status !== 'published' ||
      producer.verification.status !== 'verified'
    ) {
      gone.push(requested.variantId);
      return [];
    }
    const coopId = producer.membership?.status === 'approved' ? producer.membership.cooperativeId : undefined;
    const fulfiller = (coopId && producers.get(coopId)) || producer;
    return [
      {
        fulfiller,
        line: {
          variantId: variant.id,
          productId: product.id,
          productSlug: product.slug,
          productName: product.name.vi,
          pack: packLabel(variant),
          ...(variant.grams !== undefined ? { grams: variant.grams } : {}),
          producerId: producer.id,
          producerName: producer.name,
          unitPrice: variant.price,
          quantity: requested.quantity,
          lineTotal: variant.price * requested.quantity,
        },
      },
    ];
  });
  if (gone.length > 0) throw unavailable(gone);
  learnQuoteHints(
    resolved.map((r) => ({ variantId: r.line.variantId, grams: r.line.grams, fulfiller: r.fulfiller })),
    rules,
  );
  const codTrusted = codTrustHolds(found(trustItem), nowMs);
  return {
    resolved,
    rules,
    quotes,
    codTrusted,
    ...(openItem ? { openCodes: openCodesOf(found(openItem)) } : {}),
  };
}

function addRules(rules: Map<string, ShippingRules>, item: Record<string, unknown>): void {
  const parsed = ShippingRules.safeParse(item.rules);
  if (parsed.success) rules.set(String(item.pk).slice('PRODUCER#'.length), parsed.data);
}

const unavailable = (variantIds: string[]) =>
  new CheckoutRefusal(
    'unprocessable',
    'order.unavailable',
    'Một số gói không còn bán; hãy cập nhật giỏ hàng / Some packs are no longer for sale: update your cart',
    { variantIds },
  );

export interface OrderQuote {
  itemsTotal: number;
  shippingTotal: number;
  total: number;
  /** One per fulfilling cooperative (or independent producer), as the order will be split. */
  parts: (PartPrice & { shippingFee: number })[];
}

/** The lines grouped by who fulfils them, in the order they first appear (as the order is split). */
function groupParts(resolved: ResolvedLine[]): { fulfiller: Producer; lines: OrderLine[] }[] {
  const groups = new Map<string, { fulfiller: Producer; lines: OrderLine[] }>();
  for (const { fulfiller, line } of resolved) {
    const group = groups.get(fulfiller.id) ?? { fulfiller, lines: [] };
    group.lines.push(line);
    groups.set(fulfiller.id, group);
  }
  return [...groups.values()];
}

/**
 * What the order would cost now, before "Đặt hàng" (`quoteShipping`): the lines read and grouped
 * exactly as `placeOrder` does, each part priced by `priceParts` (its cooperative's carrier, or
 * its flat fee). Writes only the carriers' quotes it asked for, which placing then charges.
 */
export async function quoteShipping(
  body: QuoteShippingBody,
  ctx: Pick<CheckoutContext, 'productOfVariant' | 'now'> & Pick<PricingContext, 'carriers'>,
): Promise<OrderQuote> {
  const read = await resolveLines(body, ctx, body.address.wardCode);
  if (read.replay) throw new Error('a quote reads no Idempotency-Key');
  const { resolved, rules, quotes } = read;
  const prices = await priceParts(
    groupParts(resolved),
    rules,
    { method: 'shipping', address: body.address },
    {
      now: ctx.now,
      timeoutMs: QUOTE_TIMEOUT_MS,
      prefetched: quotes,
      ...(ctx.carriers ? { carriers: ctx.carriers } : {}),
    },
  );
  const parts = prices.map((p) => ({ ...p, shippingFee: p.fee }));
  const itemsTotal = parts.reduce((sum, p) => sum + p.subtotal, 0);
  const shippingTotal = parts.reduce((sum, p) => sum + p.fee, 0);
  return { itemsTotal, shippingTotal, total: itemsTotal + shippingTotal, parts };
}

/** Places the order. Throws CheckoutRefusal (stored and replayed) or other errors (not stored). */
export async function placeOrder(body: PlaceOrderBody, ctx: CheckoutContext): Promise<IdempotentAnswer> {
  const limits = rateLimitsOn();
  const phone = body.contact.phone;
  const nowMs = ctx.now.getTime();
  if (limits) await countAttempt(ctx.clientIp, phone, nowMs);
  // A COD order's phone trust is read in the same batch as the lines (one round trip fewer).
  const read = await resolveLines(
    body,
    {
      ...ctx,
      ...(body.paymentMethod === 'cod' ? { trustPhone: phone } : {}),
      // The phone's open orders, for the limit on them: one round trip fewer than reading it after.
      ...(limits ? { openPhone: phone } : {}),
    },
    body.delivery.method === 'shipping' ? body.delivery.address.wardCode : undefined,
  );
  if (read.replay) return read.replay;
  const { resolved, rules, quotes, codTrusted, openCodes } = read;
  const createdAt = ctx.now.toISOString();
  const online = body.paymentMethod !== 'cod';

  // Group by fulfiller, then price delivery per fulfiller: from the quotes checkout kept, the
  // carrier asked only for a missing one. A refusal here (unserved commune, carrier down) comes
  // before anything is written.
  const groups = groupParts(resolved);
  const prices = await priceParts(groups, rules, body.delivery, {
    now: ctx.now,
    timeoutMs: PLACE_TIMEOUT_MS,
    prefetched: quotes,
    ...(ctx.carriers ? { carriers: ctx.carriers } : {}),
  });
  const lines = resolved.map((r) => r.line);
  const itemsTotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  // COD: held only once confirmed from the phone, unless the phone confirmed before and the order is small.
  const confirm = !online && !(itemsTotal <= COD_CONFIRMATION.trustedMaxItemsTotal && codTrusted);
  const pending = online || confirm;
  // With room as the batch read it, the transaction's condition on the set is the check; a full
  // set (or one that may be) is read again consistently and pruned of orders that moved on.
  const roomAsRead = openCodes && openCodes.length < ORDER_RATE_LIMITS.openOrdersPerPhone;
  if (pending && limits && !roomAsRead) await ensureOpenRoom(phone, nowMs);
  const otp = confirm ? newOneTimeCode() : undefined;
  const step = {
    status: pending ? ('pending_payment' as const) : ('placed' as const),
    at: createdAt,
    by: 'shopper',
  };

  for (let attempt = 0; ; attempt++) {
    // Derived from the key: a retry after a crash gets the same code and replays the same intent.
    const seed = createHash('sha256').update(`${ctx.idempotencyKey}:${attempt}`).digest();
    let offset = 0;
    const code = orderCode((n) => seed[offset++]! % n);
    const subs: SubOrder[] = groups.map(({ fulfiller, lines: own }, i) => {
      const subtotal = own.reduce((sum, l) => sum + l.lineTotal, 0);
      const quote = shippingQuoteOf(prices[i]!, body.delivery);
      return {
        orderCode: code,
        fulfillerId: fulfiller.id,
        fulfillerName: fulfiller.name,
        status: step.status,
        lines: own,
        subtotal,
        shippingFee: prices[i]!.fee,
        ...(quote ? { shippingQuote: quote } : {}),
        history: [step],
        createdAt,
        version: 1,
      };
    });
    const shippingTotal = subs.reduce((sum, s) => sum + s.shippingFee, 0);
    const total = itemsTotal + shippingTotal;
    const payBy = online
      ? nowMs + PAYMENT_WINDOW_MS
      : confirm
        ? nowMs + COD_CONFIRMATION.windowMs
        : undefined;
    const guards: TransactItem[] = [
      ...(otp ? [putCodConfirmation(code, confirmationDigest(code, phone, otp), payBy!)] : []),
      ...(pending && limits ? [addOpenOrder(phone, code, ORDER_RATE_LIMITS.openOrdersPerPhone)] : []),
    ];
    const quotaItems = limits
      ? lines.map((l) =>
          takePackUnits(phone, l.variantId, l.quantity, ORDER_RATE_LIMITS.packUnitsPerPhonePerDay, nowMs),
        )
      : [];

    const stockItems = lines.map((l) => reserveStock(l.productId, l.variantId, l.quantity, l.unitPrice));
    let answer: PlacedOrder | undefined;
    // One transaction: stock, order, sub-orders, expiry marker, the key's answer, and the payment.
    const orderItems = (intent: PaymentIntent): TransactItem[] => {
      const order: Order = {
        code,
        status: step.status,
        contact: body.contact,
        delivery: body.delivery,
        ...(body.note ? { note: body.note } : {}),
        ...(body.invoiceRequest ? { invoiceRequest: body.invoiceRequest } : {}),
        paymentMethod: body.paymentMethod,
        paymentIntentId: intent.id,
        itemsTotal,
        shippingTotal,
        total,
        lines,
        fulfillerIds: subs.map((s) => s.fulfillerId),
        history: [step],
        createdAt,
        ...(payBy ? { payBy: new Date(payBy).toISOString() } : {}),
        version: 1,
      };
      answer = {
        order: { ...order, subOrders: subs },
        payment: {
          id: intent.id,
          status: intent.status,
          client_secret: intent.client_secret,
          next_action: intent.next_action,
        },
        ...(confirm
          ? { confirmation: { required: true as const, confirmBy: new Date(payBy!).toISOString() } }
          : {}),
      };
      return [
        ...stockItems,
        putOrder(order, 'new'),
        ...subs.map((s) => putSubOrder(s, 'new')),
        ...(payBy ? [putExpiryMarker(payBy, code)] : []),
        putOrderKey(ctx.idempotencyKey, ctx.fingerprint, { status: 201, body: answer }, nowMs),
        ...guards,
        ...quotaItems,
      ];
    };
    try {
      await ctx.payments.paymentIntents.create(
        {
          amount: total,
          currency: 'vnd',
          payment_method_types: [body.paymentMethod],
          description: `Đơn hàng ${code}`,
          metadata: {
            order_code: code,
            cooperative_ids: subs.map((s) => s.fulfillerId).join(' '),
            client_ip: ctx.clientIp,
            locale: body.locale ?? 'vi',
          },
          confirm: true,
        },
        { transactItems: orderItems },
      );
      correlateWith(code);
      countEvent('OrdersPlaced', 1, { dimension: 'PaymentMethod', value: body.paymentMethod });
      log().info('order placed', { paymentMethod: body.paymentMethod, total, status: step.status });
      if (step.status === 'placed') await announcePlaced(answer!.order, subs);
      if (otp) await sendConfirmationCode(answer!.order, otp, ctx.siteUrl);
      return { status: 201, body: answer! };
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (!reasons) throw error;
      const orderIndex = stockItems.length;
      const keyIndex = orderIndex + 1 + subs.length + (payBy ? 1 : 0);
      // The same request committed first (a retry that raced its original): its answer is ours.
      if (reasons[keyIndex] === 'ConditionalCheckFailed') {
        return winningAnswer(ctx.idempotencyKey, ctx.fingerprint, nowMs);
      }
      const failedStock = lines.filter((_, i) => reasons[i] === 'ConditionalCheckFailed');
      if (failedStock.length > 0) {
        countEvent('StockRefusals');
        throw await shortLines(failedStock);
      }
      // A code already taken (1 in millions): draw another.
      if (reasons[orderIndex] === 'ConditionalCheckFailed' && attempt < 3) continue;
      const openIndex = keyIndex + guards.length; // the open-orders set is the last guard
      if (pending && limits && reasons[openIndex] === 'ConditionalCheckFailed') {
        throw tooManyOpen(Math.ceil(COD_CONFIRMATION.windowMs / 1000));
      }
      const quotaStart = keyIndex + 1 + guards.length;
      const overQuota = lines.filter((_, i) => reasons[quotaStart + i] === 'ConditionalCheckFailed');
      if (overQuota.length > 0) {
        const wait = secondsLeftInWindow(nowMs, 86_400);
        throw new LimitExceeded(
          'order.pack_daily_limit',
          `Mỗi số điện thoại đặt tối đa ${ORDER_RATE_LIMITS.packUnitsPerPhonePerDay} gói mỗi loại trong một ngày; hãy giảm số lượng hoặc thử lại sau ${waitText(wait)} / At most ${ORDER_RATE_LIMITS.packUnitsPerPhonePerDay} of one pack per phone a day`,
          wait,
        );
      }
      throw error;
    }
  }
}

/** Reads what is left of each short line, for the 409 (a price change reads as "reload"). */
async function shortLines(lines: OrderLine[]): Promise<CheckoutRefusal> {
  const current = await batchGetConsistent(lines.map((l) => keys.variant(l.productId, l.variantId)));
  const byId = new Map(current.map((item) => [item.id as string, item as unknown as Variant]));
  const priceChanged = lines.filter(
    (l) => byId.get(l.variantId) && byId.get(l.variantId)!.price !== l.unitPrice,
  );
  if (priceChanged.length > 0 && priceChanged.every((l) => byId.get(l.variantId)!.stock >= l.quantity)) {
    return new CheckoutRefusal(
      'conflict',
      'order.price_changed',
      'Giá vừa thay đổi; hãy xem lại giỏ hàng / Prices changed: review your cart',
      { variantIds: priceChanged.map((l) => l.variantId) },
    );
  }
  const short: ShortLine[] = lines.map((l) => ({
    variantId: l.variantId,
    requested: l.quantity,
    available: byId.get(l.variantId)?.stock ?? 0,
  }));
  return new CheckoutRefusal(
    'conflict',
    'order.out_of_stock',
    `Không đủ hàng cho ${short.length} gói; hãy giảm số lượng / Not enough stock for ${short.length} pack(s)`,
    { lines: short },
  );
}
