/**
 * The writes the offline seller center queues and replays (stock change, price change, new draft
 * listing, photo upload start) honour an Idempotency-Key: the same key sent again (an answer lost
 * on a weak signal) replays the first answer and applies nothing twice; the same key with another
 * change is refused (422); a refusal stores nothing, so the retry runs again; keys are per account.
 * A queued stock change carries the stock it was decided on (`expectedStock`): after a lost answer
 * and an order, the retry of an applied change replays its answer, and a change that never
 * arrived is refused as a conflict instead of being added to a number the household never saw.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { app as ordersApp } from '../../functions/orders/app.ts';
import { paymentsFrom } from '../../functions/orders/payments.ts';
import { recompose } from '../../infra/local/services.ts';
import { paymentSettings } from '../../shared/payments/settings.ts';
import { app as producersApp } from '../../functions/producers/app.ts';
import { createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
  // Checkout takes COD with no network: enough for a shopper's order of a household's pack.
  recompose({ payments: paymentsFrom(paymentSettings({ env: {}, origin: 'http://127.0.0.1:9' })) });
});

async function send(method: string, path: string, token: string, body: unknown, key?: string) {
  const res = await producersApp.request(path, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probed by each assertion
  return { status: res.status, body: (await res.json()) as any };
}

async function get(path: string, token: string) {
  const res = await producersApp.request(path, { headers: { authorization: `Bearer ${token}` } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- probed by each assertion
  return (await res.json()) as any;
}

const draft = (name: string) => ({
  category: 'che-tom-non',
  name: { vi: name },
  description: { vi: 'Búp non hái sáng sớm trên đồi Tân Cương.' },
  packs: [{ grams: 100, price: 220_000, stock: 10 }],
});

const key = () => `k-${randomUUID()}`;

async function myProductNames(token: string): Promise<string[]> {
  const page = await get('/api/seller/products?limit=100', token);
  return (page.items as { name: { vi: string } }[]).map((p) => p.name.vi);
}

describe('Idempotency-Key on the seller center’s queued writes', () => {
  it('a new draft sent twice with one key is created once; the repeat gets the same answer', async () => {
    const token = world.actors.member.token;
    const k = key();
    const name = `Chè nháp ngoại tuyến ${k.slice(2, 10)}`;
    const first = await send('POST', '/api/seller/products', token, draft(name), k);
    const again = await send('POST', '/api/seller/products', token, draft(name), k);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect((await myProductNames(token)).filter((n) => n === name)).toHaveLength(1);
    // Without a key, the same body is a second draft (the old behaviour stays).
    const unkeyed = await send('POST', '/api/seller/products', token, draft(name));
    expect(unkeyed.status).toBe(201);
    expect(unkeyed.body.id).not.toBe(first.body.id);
  });

  it('a stock change replayed with its key is applied once; another change under the key is refused', async () => {
    const token = world.actors.member.token;
    const created = await send('POST', '/api/seller/products', token, draft('Chè kho ngoại tuyến'));
    const id = created.body.id as string;
    const variantId = created.body.packs[0].id as string;
    const k = key();
    const change = { variantId, delta: 5, reason: 'Nhập mẻ chè mới' };
    const first = await send('POST', `/api/seller/products/${id}/stock`, token, change, k);
    const again = await send('POST', `/api/seller/products/${id}/stock`, token, change, k);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ before: 10, after: 15 });
    const read = await get(`/api/seller/products/${id}`, token);
    expect(read.packs[0].stock).toBe(15);
    const history = await get(`/api/seller/products/${id}/stock`, token);
    expect(history.items).toHaveLength(1);

    const reused = await send('POST', `/api/seller/products/${id}/stock`, token, { ...change, delta: 6 }, k);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency.key_reused');
    expect(reused.body.error.message).toMatch(/đã dùng cho một thay đổi khác/);
    expect((await get(`/api/seller/products/${id}`, token)).packs[0].stock).toBe(15);
  });

  it('a refused change stores nothing: the same key runs again once the refusal is gone', async () => {
    const token = world.actors.member.token;
    const created = await send('POST', '/api/seller/products', token, draft('Chè hết hàng'));
    const id = created.body.id as string;
    const variantId = created.body.packs[0].id as string;
    const k = key();
    const take = { variantId, delta: -12, reason: 'Bán ở chợ phiên' };
    const refused = await send('POST', `/api/seller/products/${id}/stock`, token, take, k);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('stock.negative');
    await send('POST', `/api/seller/products/${id}/stock`, token, {
      variantId,
      delta: 5,
      reason: 'Nhập thêm',
    });
    const retried = await send('POST', `/api/seller/products/${id}/stock`, token, take, k);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ before: 15, after: 3 });
  });

  it('a price change and a photo upload start replay their first answer', async () => {
    const token = world.actors.member.token;
    const created = await send('POST', '/api/seller/products', token, draft('Chè đổi giá'));
    const id = created.body.id as string;
    const packId = created.body.packs[0].id as string;
    const pk = key();
    const price = { packs: [{ id: packId, price: 240_000 }] };
    const first = await send('PATCH', `/api/seller/products/${id}`, token, price, pk);
    const again = await send('PATCH', `/api/seller/products/${id}`, token, price, pk);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.packs[0].price).toBe(240_000);
    const audit = await get(`/api/producers/${world.member.id}/audit`, token);
    const updates = (audit.items as { action: string; subject: { id: string } }[]).filter(
      (e) => e.action === 'product.updated' && e.subject.id === id,
    );
    expect(updates).toHaveLength(1);

    const fk = key();
    const slot = { contentType: 'image/jpeg', bytes: 180_000, alt: 'Búp chè' };
    const s1 = await send('POST', `/api/seller/products/${id}/photos`, token, slot, fk);
    const s2 = await send('POST', `/api/seller/products/${id}/photos`, token, slot, fk);
    expect(s1.status).toBe(201);
    expect(s2.status).toBe(201);
    expect(s2.body.photoId).toBe(s1.body.photoId);
    // The same photo key for another product is another change: refused.
    const other = await send('POST', '/api/seller/products', token, draft('Chè khác'));
    const moved = await send('POST', `/api/seller/products/${other.body.id}/photos`, token, slot, fk);
    expect(moved.status).toBe(422);
  });

  it('keys belong to one account, and a malformed key is refused with words to act on', async () => {
    const k = key();
    const mine = await send('POST', '/api/seller/products', world.actors.member.token, draft('Chè hộ A'), k);
    const theirs = await send(
      'POST',
      '/api/seller/products',
      world.actors.independent.token,
      draft('Chè hộ A'),
      k,
    );
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const bad = await send('POST', '/api/seller/products', world.actors.member.token, draft('Chè'), 'short');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('idempotency.key_invalid');
    expect(bad.body.error.message).toMatch(/8–128 chữ cái/);
  });

  describe('a stock change decided offline on a number, then an order before the retry', () => {
    /** A published listing of the member with 10 packs, ordered through the real checkout. */
    async function publishedPack() {
      const token = world.actors.member.token;
      const created = await send(
        'POST',
        '/api/seller/products',
        token,
        draft(`Chè bán ${key().slice(2, 8)}`),
      );
      const id = created.body.id as string;
      expect((await send('POST', `/api/seller/products/${id}/submit`, token, {})).status).toBe(200);
      const approved = await send(
        'POST',
        `/api/seller/products/${id}/decision`,
        world.actors.managerA.token,
        {
          decision: 'approve',
        },
      );
      expect(approved.body.status).toBe('published');
      return { id, variantId: created.body.packs[0].id as string };
    }

    async function orderTwo(variantId: string) {
      const res = await ordersApp.request('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({
          lines: [{ variantId, quantity: 2 }],
          contact: { name: 'Người mua', phone: '0912345678' },
          delivery: { method: 'pickup' },
          paymentMethod: 'cod',
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }

    const stockOf = async (id: string) =>
      (await get(`/api/seller/products/${id}`, world.actors.member.token)).packs[0].stock;

    it('applied, answer lost, an order, then the retry: the first answer comes back and nothing is added again', async () => {
      const token = world.actors.member.token;
      const { id, variantId } = await publishedPack();
      const k = key();
      const change = { variantId, delta: 5, reason: 'Nhập mẻ chè mới', expectedStock: 10 };
      const first = await send('POST', `/api/seller/products/${id}/stock`, token, change, k);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ before: 10, after: 15 });
      // The answer never reached the phone; a shopper orders 2 before it retries.
      await orderTwo(variantId);
      expect(await stockOf(id)).toBe(13);
      const retry = await send('POST', `/api/seller/products/${id}/stock`, token, change, k);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await stockOf(id)).toBe(13);
      const history = await get(`/api/seller/products/${id}/stock`, token);
      expect(
        (history.items as { reason: string }[]).filter((h) => h.reason === 'Nhập mẻ chè mới'),
      ).toHaveLength(1);
    });

    it('never arrived, an order, then the retry: a conflict with the numbers, and nothing applied', async () => {
      const token = world.actors.member.token;
      const { id, variantId } = await publishedPack();
      const k = key();
      const change = { variantId, delta: 5, reason: 'Nhập mẻ chè mới', expectedStock: 10 };
      // The first attempt was lost on the way out; a shopper orders 2 meanwhile.
      await orderTwo(variantId);
      const retry = await send('POST', `/api/seller/products/${id}/stock`, token, change, k);
      expect(retry.status).toBe(409);
      expect(retry.body.error.code).toBe('stock.changed');
      expect(retry.body.error.message).toMatch(/Số gói đã đổi từ 10 thành 8/);
      expect(await stockOf(id)).toBe(8);
      // Refused, so nothing is stored under the key: once settled on the new number, it applies once.
      const settled = await send(
        'POST',
        `/api/seller/products/${id}/stock`,
        token,
        { ...change, expectedStock: 8 },
        key(),
      );
      expect(settled.body).toMatchObject({ before: 8, after: 13 });
      const history = await get(`/api/seller/products/${id}/stock`, token);
      expect(
        (history.items as { reason: string }[]).filter((h) => h.reason === 'Nhập mẻ chè mới'),
      ).toHaveLength(1);
      // The expected number is checked like every field: not a whole number → 400, not 500.
      const bad = await send('POST', `/api/seller/products/${id}/stock`, token, {
        ...change,
        expectedStock: -1,
      });
      expect(bad.status).toBe(400);
    });
  });
});
