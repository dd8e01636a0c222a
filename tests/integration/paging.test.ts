/**
 * Every list of the seller center and the admin pages is paged: at most `limit` items (1–100,
 * default 50) and a sealed cursor to the next page, which a tampered copy or another caller cannot
 * use. And one seller holds at most SELLER_LISTING_CAP listings, archived ones aside.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call as producersCall } from './seller-world.ts';
import { recompose } from '../../infra/local/services.ts';
import { config } from '../../shared/services.ts';
import { bankTransfer, call as ordersCall, createShop, notifyTransfer, type Shop } from './orders-world.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await createShop();
});

type Call = typeof producersCall;

/** Follows nextCursor from the first page; every page must hold at most `limit` items. */
async function allPages(call: Call, path: string, token: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, {
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...(res.body.items as { id: string }[]).map((i) => i.id ?? JSON.stringify(i)));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 200);
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, pages };
}

const listing = (n: number) => ({
  category: 'che-tom-non',
  name: { vi: `Chè búp Tân Cương số ${n}` },
  description: { vi: 'Búp non hái sáng sớm.' },
  packs: [{ grams: 100, price: 200_000, stock: 10 }],
});

describe('paged lists', () => {
  it("seller products: the caller's listings, two at a time", async () => {
    const token = shop.actors.independent.token;
    const created: string[] = [];
    for (let n = 0; n < 5; n++) {
      const res = await producersCall('POST', '/api/seller/products', { token, body: listing(n) });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }
    const { ids, pages } = await allPages(producersCall, '/api/seller/products', token, 2);
    expect(ids).toEqual(expect.arrayContaining(created));
    expect(pages).toBeGreaterThanOrEqual(3);
    // Newest first.
    expect(ids.indexOf(created[4]!)).toBeLessThan(ids.indexOf(created[0]!));
  });

  it("seller products: a manager's listings and its members' merge into one paged list", async () => {
    const member = await producersCall('POST', '/api/seller/products', {
      token: shop.actors.member.token,
      body: listing(10),
    });
    const own = await producersCall('POST', '/api/seller/products', {
      token: shop.actors.managerA.token,
      body: listing(11),
    });
    const { ids } = await allPages(producersCall, '/api/seller/products', shop.actors.managerA.token, 1);
    expect(ids).toEqual(expect.arrayContaining([member.body.id, own.body.id]));
  });

  it('seller products: the review queue pages too', async () => {
    const token = shop.actors.independent.token;
    const mine = await producersCall('GET', '/api/seller/products?limit=3', { token });
    for (const item of mine.body.items as { id: string }[]) {
      expect((await producersCall('POST', `/api/seller/products/${item.id}/submit`, { token })).status).toBe(
        200,
      );
    }
    const { ids } = await allPages(
      producersCall,
      '/api/seller/products?scope=review',
      shop.actors.admin.token,
      2,
    );
    expect(ids).toEqual(expect.arrayContaining(mine.body.items.map((i: { id: string }) => i.id)));
  });

  it('members: a cooperative’s households one at a time', async () => {
    const { ids } = await allPages(
      producersCall,
      `/api/cooperatives/${shop.coopA.id}/members?status=approved`,
      shop.actors.managerA.token,
      1,
    );
    expect(ids.sort()).toEqual([shop.member.id, shop.otherMember.id].sort());
  });

  it('stock history: newest first, two at a time', async () => {
    const token = shop.actors.independent.token;
    const product = await producersCall('POST', '/api/seller/products', { token, body: listing(20) });
    const variantId = product.body.packs[0].id;
    for (const delta of [5, -2, 7, -1, 3]) {
      const res = await producersCall('POST', `/api/seller/products/${product.body.id}/stock`, {
        token,
        body: { variantId, delta, reason: 'Kiểm kho' },
      });
      expect(res.status).toBe(200);
    }
    const deltas: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await producersCall(
        'GET',
        `/api/seller/products/${product.body.id}/stock?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      deltas.push(...res.body.items.map((c: { delta: number }) => c.delta));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(deltas).toEqual([3, -1, 7, -2, 5]);
  });

  it('pending producers: every one once, two at a time', async () => {
    const { ids } = await allPages(producersCall, '/api/admin/pending-producers', shop.actors.admin.token, 2);
    const all = await producersCall('GET', '/api/admin/pending-producers?limit=100', {
      token: shop.actors.admin.token,
    });
    expect(ids.slice(0, all.body.items.length)).toEqual(all.body.items.map((p: { id: string }) => p.id));
  });

  it('unmatched transfers: oldest first, two at a time', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const transfer = bankTransfer(shop, {
        payment: { next_action: { vietqr: { memo: `TNZZ${i}QQ`, amount: 5000 } } },
      });
      expect((await notifyTransfer(transfer)).status).toBe(200);
      sent.push(JSON.parse(transfer.raw).id);
    }
    const { ids } = await allPages(ordersCall, '/api/payments/vietqr/unmatched', shop.actors.admin.token, 2);
    expect(ids.filter((id) => sent.includes(id))).toEqual(sent);
  });

  it.each([
    ['/api/seller/products?limit=101', producersCall],
    ['/api/seller/products?limit=0', producersCall],
    ['/api/admin/pending-producers?limit=500', producersCall],
    ['/api/payments/vietqr/unmatched?limit=1000', ordersCall],
  ] as const)('refuses a page larger than the cap: %s', async (path, call) => {
    const res = await (call as Call)('GET', path, { token: shop.actors.admin.token });
    expect(res.status).toBe(400);
  });

  it("refuses a tampered cursor, and another caller's", async () => {
    const token = shop.actors.independent.token;
    const first = await producersCall('GET', '/api/seller/products?limit=1', { token });
    const cursor = first.body.nextCursor as string;
    const raw = Buffer.from(cursor, 'base64url');
    raw[20] = raw[20]! ^ 0xff;
    const tampered = await producersCall(
      'GET',
      `/api/seller/products?limit=1&cursor=${raw.toString('base64url')}`,
      {
        token,
      },
    );
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.code).toBe('request.invalid_cursor');
    const stolen = await producersCall('GET', `/api/seller/products?limit=1&cursor=${cursor}`, {
      token: shop.actors.member.token,
    });
    expect(stolen.status).toBe(400);
  });
});

describe('the per-seller listing cap', () => {
  it('refuses a listing past the cap with a Vietnamese message; archiving one makes room', async () => {
    const token = shop.actors.otherMember.token;
    const mine = await producersCall('GET', '/api/seller/products?limit=100', { token });
    const live = (mine.body.items as { status: string }[]).filter((i) => i.status !== 'archived').length;
    const before = config();
    recompose({ config: { ...before, sellerListingCap: live + 2 } });
    try {
      const first = await producersCall('POST', '/api/seller/products', { token, body: listing(30) });
      expect(first.status).toBe(201);
      expect((await producersCall('POST', '/api/seller/products', { token, body: listing(31) })).status).toBe(
        201,
      );
      const refused = await producersCall('POST', '/api/seller/products', { token, body: listing(32) });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('product.listing_cap');
      expect(refused.body.error.message).toMatch(/tối đa \d+ sản phẩm/);
      const archived = await producersCall('POST', `/api/seller/products/${first.body.id}/archive`, {
        token,
      });
      expect(archived.status).toBe(200);
      expect((await producersCall('POST', '/api/seller/products', { token, body: listing(33) })).status).toBe(
        201,
      );
    } finally {
      recompose({ config: before });
    }
  });
});
