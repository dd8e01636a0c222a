/**
 * A shop for the order tests, on the test file's DynamoDB Local table: the seller world (two
 * cooperatives with managers, member households, an independent household, an admin), published
 * products with packs (a member's tea fulfilled by cooperative A, cooperative B's own, the
 * independent's), the payment SDK with COD, VietQR and VNPay (no network needed to place), and
 * helpers that call the orders function over HTTP (Hono app.request).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiRoutes as app } from '../../infra/local/function-apps.ts';
import { exchangePayments, paymentsFrom } from '../../functions/orders/payments.ts';
import { recompose } from '../../infra/local/services.ts';
import { db } from '../../shared/db/client.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { products } from '../../shared/db/products.ts';
import type { Product, Variant } from '../../shared/domain/product.ts';
import type { Payments } from '../../shared/payments/index.ts';
import { signBankNotification } from '../../shared/payments/providers/bank-notification.ts';
import { paymentSettings, type PaymentSettings } from '../../shared/payments/settings.ts';
import { createMockProduct, createMockVariant } from '../fixtures.ts';
import { createSellerWorld, type SellerWorld } from './seller-world.ts';

export interface Shop extends SellerWorld {
  payments: Payments;
  settings: PaymentSettings;
  /**
   * Packs by name: memberTea and memberTeaBig (a member household of co-op A, fulfilled by A),
   * otherMemberTea (another member household of A), coopBTea (co-op B), independentTea.
   */
  packs: Record<'memberTea' | 'memberTeaBig' | 'otherMemberTea' | 'coopBTea' | 'independentTea', Variant>;
}

export interface ShopOptions {
  /** Base URL of the VNPay host (the emulator); by default nothing listens there. */
  vnpayHost?: string;
}

export async function createShop(
  stock: Partial<Record<keyof Shop['packs'], number>> = {},
  options: ShopOptions = {},
): Promise<Shop> {
  const world = await createSellerWorld();
  const settings = paymentSettings({
    env: {},
    origin: 'http://127.0.0.1:9',
    vnpayHost: options.vnpayHost ?? 'http://127.0.0.1:9',
  });
  recompose({ payments: paymentsFrom(settings) });
  const { payments } = await exchangePayments();
  const list = async (producerId: string, name: string, packs: Partial<Variant>[]) => {
    const product: Product = createMockProduct(producerId, { name: { vi: name } });
    const variants = packs.map((p) => createMockVariant(product.id, p));
    const producer = [world.coopA, world.coopB, world.member, world.otherMember, world.independent].find(
      (p) => p.id === producerId,
    )!;
    await products.create({ product, variants }, producer);
    return variants;
  };
  const [memberTea, memberTeaBig] = await list(world.member.id, 'Chè Tân Cương hộ thành viên', [
    { grams: 200, price: 180_000, stock: stock.memberTea ?? 100 },
    { grams: 500, price: 420_000, stock: stock.memberTeaBig ?? 100 },
  ]);
  const [otherMemberTea] = await list(world.otherMember.id, 'Chè Khe Cốc hộ thành viên khác', [
    { grams: 100, price: 110_000, stock: stock.otherMemberTea ?? 100 },
  ]);
  const [coopBTea] = await list(world.coopB.id, 'Chè La Bằng của HTX B', [
    { grams: 100, price: 95_000, stock: stock.coopBTea ?? 100 },
  ]);
  const [independentTea] = await list(world.independent.id, 'Chè Trại Cài hộ độc lập', [
    { grams: 200, price: 150_000, stock: stock.independentTea ?? 100 },
  ]);
  return {
    ...world,
    payments,
    settings,
    packs: {
      memberTea: memberTea!,
      memberTeaBig: memberTeaBig!,
      otherMemberTea: otherMemberTea!,
      coopBTea: coopBTea!,
      independentTea: independentTea!,
    },
  };
}

export const SHOPPER = { name: 'Nguyễn Thị Hoa', phone: '0987 654 321' };
export const OTHER_SHOPPER = { name: 'Trần Văn Nam', phone: '0912 111 222' };
export const HANOI = { provinceCode: '01', wardCode: '00004', street: '12 Phố Đội Cấn' };

export function orderBody(
  lines: { variantId: string; quantity: number }[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    lines,
    contact: SHOPPER,
    delivery: { method: 'shipping', address: HANOI },
    paymentMethod: 'cod',
    ...overrides,
  };
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probed by each assertion
  body: any;
}

export async function call(
  method: string,
  path: string,
  init: { body?: unknown; token?: string; key?: string | null } = {},
): Promise<Answer> {
  const res = await app.request(path, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

export const newKey = () => `k_${randomUUID()}`;

/** Places an order as it is answered (a COD order may wait for its confirmation code). */
export function placeUnconfirmed(body: unknown, key: string | null = newKey()): Promise<Answer> {
  return call('POST', '/api/orders', { body, key });
}

/** Where the SMS went: the dev inbox, unless a test sends messages elsewhere. */
export const sentMessages = { list: async (): Promise<{ text: string }[]> => devInbox.list() };

/** The confirmation code the order's phone was sent, if any. */
export async function confirmationCode(orderCode: string): Promise<string | undefined> {
  const message = (await sentMessages.list()).find((m) => m.text.includes(`Mã xác nhận đơn ${orderCode}`));
  return message && /: (\d{6})\./.exec(message.text)?.[1];
}

/** The buyer confirms a COD order (`POST /api/orders/{code}/confirm`). */
export function confirmOrder(orderCode: string, code: string, phone = SHOPPER.phone): Promise<Answer> {
  return call('POST', `/api/orders/${orderCode}/confirm`, { body: { phone, code } });
}

/**
 * Places an order the way a buyer completes it: a COD order that waits for confirmation is
 * confirmed with the code sent to its phone, and the answer carries the confirmed order.
 */
export async function place(body: unknown, key: string | null = newKey()): Promise<Answer> {
  const answer = await placeUnconfirmed(body, key);
  if (answer.status !== 201 || !answer.body?.confirmation) return answer;
  const orderCode = answer.body.order.code as string;
  const phone = (body as { contact: { phone: string } }).contact.phone;
  const confirmed = await confirmOrder(orderCode, (await confirmationCode(orderCode))!, phone);
  if (confirmed.status !== 200) return confirmed;
  return { status: 201, body: { ...answer.body, order: confirmed.body } };
}

export async function stockOf(variant: Variant): Promise<number> {
  const { Item } = await db().doc.send(
    new GetCommand({
      TableName: db().tableName,
      Key: { pk: `PRODUCT#${variant.productId}`, sk: `VARIANT#${variant.id}` },
      ConsistentRead: true,
    }),
  );
  return Item!.stock as number;
}

export async function setStock(variant: Variant, stock: number): Promise<void> {
  await db().doc.send(
    new UpdateCommand({
      TableName: db().tableName,
      Key: { pk: `PRODUCT#${variant.productId}`, sk: `VARIANT#${variant.id}` },
      UpdateExpression: 'SET stock = :s',
      ExpressionAttributeValues: { ':s': stock },
    }),
  );
}

/** The shopper's view of an order (`GET /api/orders/{code}?phone=`). */
export function track(code: string, phone = SHOPPER.phone): Promise<Answer> {
  return call('GET', `/api/orders/${code}?phone=${encodeURIComponent(phone)}`);
}

/** The shopper cancels (`POST /api/orders/{code}/cancel`). */
export function cancelOrder(code: string, phone = SHOPPER.phone): Promise<Answer> {
  return call('POST', `/api/orders/${code}/cancel`, { body: { phone } });
}

/** A fulfiller's manager moves its sub-order (`POST /api/board/{fulfillerId}/orders/{code}/status`). */
export function moveSubOrder(
  token: string,
  fulfillerId: string,
  code: string,
  body: Record<string, unknown>,
): Promise<Answer> {
  return call('POST', `/api/board/${fulfillerId}/orders/${code}/status`, { body, token });
}

/**
 * A bank transfer for a VietQR order as the bank describes it (its memo and amount by default),
 * signed as the bank signs it. Post it with `notifyTransfer`, or apply it with the SDK directly.
 */
export function bankTransfer(
  shop: Shop,
  placed: { payment: { next_action: { vietqr: { memo: string; amount: number } } } },
  overrides: Record<string, unknown> = {},
): { raw: string; signature: string } {
  const qr = placed.payment.next_action.vietqr;
  const raw = JSON.stringify({
    id: `FT${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    amount: qr.amount,
    description: `CHUYEN TIEN ${qr.memo}`,
    account_number: shop.settings.vietqr.accountNumber,
    transacted_at: new Date().toISOString(),
    ...overrides,
  });
  return { raw, signature: signBankNotification(raw, shop.settings.vietqr.notificationSecret) };
}

/** The bank's notification reaches `POST /api/payments/vietqr/notifications`. */
export async function notifyTransfer(transfer: { raw: string; signature: string }): Promise<Answer> {
  const res = await app.request('/api/payments/vietqr/notifications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': transfer.signature },
    body: transfer.raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
