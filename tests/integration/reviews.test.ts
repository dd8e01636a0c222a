/**
 * Reviews from verified buyers over HTTP against DynamoDB Local: only a delivered line of the
 * order proven by its code and phone may be reviewed, once; photos go through the listing photos'
 * pipeline and its limits; the seller replies once (nobody else); an admin hides a review, which
 * leaves the product's list and its rating; the catalog shows the rating, "đã bán" and sorts by
 * rating from the aggregate item, never from a scan.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { app as catalogApp, catalogCache } from '../../functions/catalog/app.ts';
import { preorderClock } from '../../functions/orders/preorders.ts';
import { listAudit } from '../../shared/db/audit.ts';
import { db } from '../../shared/db/client.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { completePhotoUpload } from '../../shared/images/upload.ts';
import { createReview } from '../../shared/reviews/reviews.ts';
import { memoryStore } from '../fixtures/images/memory-store.ts';
import { pngBomb } from '../fixtures/images/generate.ts';
import {
  bankTransfer,
  call as apiCall,
  createShop,
  HANOI,
  moveSubOrder,
  newKey,
  notifyTransfer,
  orderBody,
  place,
  SHOPPER,
  type Shop,
} from './orders-world.ts';
import { call } from './seller-world.ts';

let shop: Shop;
const store = memoryStore();

const slugs = new Map<string, string>();
function slugOf(productId: string): string {
  return slugs.get(productId)!;
}

beforeAll(async () => {
  shop = await createShop();
  const list = await catalogGet('/api/catalog/products?limit=60');
  for (const product of list.body.items) slugs.set(product.id, product.slug);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, probed by assertions
type Json = any;

async function catalogGet(path: string): Promise<{ status: number; body: Json }> {
  catalogCache.clear();
  const res = await catalogApp.request(path);
  return { status: res.status, body: await res.json() };
}

/** A COD order of the member's tea (fulfilled by cooperative A) and co-op B's tea; A's part delivered. */
async function deliveredOrder(quantity = 2): Promise<string> {
  const placed = await place(
    orderBody([
      { variantId: shop.packs.memberTea.id, quantity },
      { variantId: shop.packs.coopBTea.id, quantity: 1 },
    ]),
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const code = placed.body.order.code as string;
  for (const to of ['confirmed', 'packed', 'shipped', 'delivered']) {
    const moved = await moveSubOrder(shop.actors.managerA.token, shop.coopA.id, code, {
      to,
      ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP1' } : {}),
      ...(to === 'delivered' ? { cashCollected: true } : {}),
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  return code;
}

const review = (orderCode: string, overrides: Record<string, unknown> = {}) => ({
  orderCode,
  phone: SHOPPER.phone,
  variantId: shop.packs.memberTea.id,
  stars: 5,
  text: 'Chè thơm, nước xanh, gói cẩn thận.',
  ...overrides,
});

async function photoSlot(orderCode: string, bytes = 1000, variantId = shop.packs.memberTea.id) {
  return call('POST', '/api/review-photos', {
    body: { orderCode, phone: SHOPPER.phone, variantId, contentType: 'image/jpeg', bytes },
  });
}

/** An uploaded review photo processed by the media pipeline (as the media function does). */
async function uploadedPhoto(orderCode: string, bytes: Buffer): Promise<string> {
  const slot = await photoSlot(orderCode, bytes.byteLength);
  expect(slot.status, JSON.stringify(slot.body)).toBe(201);
  const photoId = slot.body.photoId as string;
  await completePhotoUpload({ productId: shop.packs.memberTea.productId, photoId, bytes, store });
  return photoId;
}

const jpeg = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: '#4a7c3a' } })
    .jpeg()
    .toBuffer();

describe('who may review', () => {
  it('refuses a line that is not delivered, a pack not in the order, and a wrong phone', async () => {
    const code = await deliveredOrder();
    const notDelivered = await call('POST', '/api/reviews', {
      body: review(code, { variantId: shop.packs.coopBTea.id }),
    });
    expect(notDelivered.status).toBe(403);
    expect(notDelivered.body.error.code).toBe('review.not_delivered');
    expect(notDelivered.body.error.message).toContain('sau khi đã nhận hàng');

    const notBought = await call('POST', '/api/reviews', {
      body: review(code, { variantId: shop.packs.independentTea.id }),
    });
    expect(notBought.status).toBe(403);
    expect(notBought.body.error.code).toBe('review.no_line');

    const wrongPhone = await call('POST', '/api/reviews', { body: review(code, { phone: '0912 999 888' }) });
    expect(wrongPhone.status).toBe(404);
    expect(wrongPhone.body.error.code).toBe('order.not_found');

    // Nothing of the refused attempts was written.
    const list = await catalogGet(`/api/catalog/products/${slugOf(shop.packs.coopBTea.productId)}/reviews`);
    expect(list.body.items).toEqual([]);
  });

  it('refuses unknown fields, out-of-range stars and over-long text with 400', async () => {
    const code = await deliveredOrder();
    for (const body of [
      review(code, { stars: 6 }),
      review(code, { stars: 0 }),
      review(code, { text: 'x'.repeat(1001) }),
      review(code, { author: 'Admin' }),
      review(code, { pack: 'hộp 1 kg' }),
    ]) {
      const res = await call('POST', '/api/reviews', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
    }
  });

  it('closes reviews 60 days after delivery', async () => {
    const code = await deliveredOrder();
    const later = new Date(Date.now() + 61 * 86_400_000);
    const error = await createReview(
      { ...review(code), phone: '+84987654321', photoIds: [] } as Parameters<typeof createReview>[0],
      later,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('review.too_late');
  });
});

describe('a review, once per line, shown with first name and province only', () => {
  it('writes a review with a photo; a second review of the same line is refused, even at once', async () => {
    const code = await deliveredOrder(3);
    const photoId = await uploadedPhoto(code, await jpeg());
    const [first, second] = await Promise.all([
      call('POST', '/api/reviews', {
        body: review(code, { text: 'Ngon <script>alert(1)</script>', photoIds: [photoId] }),
      }),
      call('POST', '/api/reviews', { body: review(code, { stars: 1 }) }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([201, 409]);
    const created = first.status === 201 ? first.body : second.body;
    const refused = first.status === 201 ? second.body : first.body;
    expect(refused.error.code).toBe('review.exists');
    expect(created).toMatchObject({ author: { firstName: 'Hoa' }, verifiedPurchase: true });
    expect(created.author.province).toMatch(/Hà Nội/);
    expect(created.pack).toBe('200 g');
    expect(created.season).toMatch(/^Vụ (xuân|hè|thu|đông) \d{4}$/);
    const text = JSON.stringify(created);
    expect(text).not.toContain('987654321');
    expect(text).not.toContain('Đội Cấn');
    expect(text).not.toContain(code);

    const again = await call('POST', '/api/reviews', { body: review(code, { stars: 2 }) });
    expect(again.status).toBe(409);

    const slug = slugOf(shop.packs.memberTea.productId);
    const list = await catalogGet(`/api/catalog/products/${slug}/reviews`);
    expect(list.status).toBe(200);
    expect(list.body.items.some((r: Json) => r.id === created.id)).toBe(true);
    const product = await catalogGet(`/api/catalog/products/${slug}`);
    expect(product.body.rating.count).toBeGreaterThanOrEqual(1);
    expect(product.body.sold).toBeGreaterThanOrEqual(3);
  });

  it('lists the reviewed lines in the shopper’s order view, so tracking offers no second review', async () => {
    const code = await deliveredOrder(1);
    const track = () =>
      apiCall('GET', `/api/orders/${code}?phone=${encodeURIComponent(SHOPPER.phone)}`).then((r) => {
        expect(r.status).toBe(200);
        return r.body.reviewedVariantIds as string[];
      });
    expect(await track()).toEqual([]);
    const written = await call('POST', '/api/reviews', { body: review(code) });
    expect(written.status).toBe(201);
    // The other cooperative's line is not delivered: not reviewable, not listed.
    expect(await track()).toEqual([shop.packs.memberTea.id]);
  });

  it('limits photos to 3, to this line, and refuses a hostile image through the pipeline', async () => {
    const code = await deliveredOrder();
    const tooMany = await call('POST', '/api/reviews', {
      body: review(code, { photoIds: ['rv-a', 'rv-b', 'rv-c', 'rv-d'] }),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('Tối đa 3 ảnh');

    const tooBig = await photoSlot(code, 16 * 1024 * 1024);
    expect(tooBig.status).toBe(400);

    const bombId = await uploadedPhoto(code, pngBomb());
    const bomb = await call(
      'GET',
      `/api/review-photos/${bombId}?orderCode=${code}&phone=${encodeURIComponent(SHOPPER.phone)}`,
    );
    expect(bomb.status).toBe(200);
    expect(bomb.body.status).toBe('failed');
    const withBomb = await call('POST', '/api/reviews', { body: review(code, { photoIds: [bombId] }) });
    expect(withBomb.status).toBe(400);
    expect(withBomb.body.error.code).toBe('review.photo_refused');

    // A photo uploaded for another order's line cannot be borrowed.
    const other = await deliveredOrder();
    const foreign = await uploadedPhoto(other, await jpeg());
    const borrowed = await call('POST', '/api/reviews', { body: review(code, { photoIds: [foreign] }) });
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.code).toBe('review.photo_unknown');
    // Another phone cannot read the photo's state.
    const peek = await call('GET', `/api/review-photos/${foreign}?orderCode=${other}&phone=0912111222`);
    expect(peek.status).toBe(404);

    // Refused attempts left the line open.
    const ok = await call('POST', '/api/reviews', { body: review(code) });
    expect(ok.status).toBe(201);
  });
  it('keeps a review photo out of every listing photo route, its own product included', async () => {
    const code = await deliveredOrder();
    const slot = await photoSlot(code);
    expect(slot.status, JSON.stringify(slot.body)).toBe(201);
    const photoId = slot.body.photoId as string;
    // The upload slot was handed out two hours ago and nothing arrived yet: a stale pending photo,
    // which the listing routes would settle as failed.
    await db().doc.send(
      new UpdateCommand({
        TableName: db().tableName,
        Key: { pk: `REVIEWPHOTO#${photoId}`, sk: 'PHOTO' },
        UpdateExpression: 'SET createdAt = :then',
        ExpressionAttributeValues: { ':then': new Date(Date.now() - 2 * 3_600_000).toISOString() },
      }),
    );

    const throughOwn = [
      { actor: 'independent', productId: shop.packs.independentTea.productId },
      { actor: 'managerB', productId: shop.packs.coopBTea.productId },
      { actor: 'member', productId: shop.packs.memberTea.productId },
    ] as const;
    for (const { actor, productId } of throughOwn) {
      const read = await call('GET', `/api/seller/products/${productId}/photos/${photoId}`, {
        token: shop.actors[actor].token,
      });
      expect(read.status, actor).toBe(404);
      expect(read.body.error.code).toBe('photo.not_found');
      expect(JSON.stringify(read.body)).not.toContain(code);
      const removed = await call('DELETE', `/api/seller/products/${productId}/photos/${photoId}`, {
        token: shop.actors[actor].token,
      });
      expect(removed.status, actor).toBe(404);
    }

    // The buyer's photo was left as it was: still pending, and usable once its upload arrives.
    const state = await call(
      'GET',
      `/api/review-photos/${photoId}?orderCode=${code}&phone=${encodeURIComponent(SHOPPER.phone)}`,
    );
    expect(state.body.status).toBe('pending');
    await completePhotoUpload({
      productId: shop.packs.memberTea.productId,
      photoId,
      bytes: await jpeg(),
      store,
    });
    const written = await call('POST', '/api/reviews', { body: review(code, { photoIds: [photoId] }) });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body.photos).toHaveLength(1);
  });
});

describe('reply and hide', () => {
  it('lets only the seller (or its cooperative) reply, once; an admin hides with a reason', async () => {
    const code = await deliveredOrder();
    const created = await call('POST', '/api/reviews', { body: review(code, { stars: 2, text: 'Hơi ẩm.' }) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const slug = slugOf(shop.packs.memberTea.productId);
    const before = (await catalogGet(`/api/catalog/products/${slug}`)).body.rating;

    for (const actor of ['otherMember', 'managerB', 'independent'] as const) {
      const res = await call('POST', `/api/reviews/${id}/reply`, {
        token: shop.actors[actor].token,
        body: { text: 'Cảm ơn bạn.' },
      });
      expect(res.status, actor).toBe(403);
      expect(res.body.error.code).toBe('review.not_yours');
    }
    const anonymous = await call('POST', `/api/reviews/${id}/reply`, { body: { text: 'x' } });
    expect(anonymous.status).toBe(401);

    const reply = await call('POST', `/api/reviews/${id}/reply`, {
      token: shop.actors.member.token,
      body: { text: 'Cảm ơn bạn, lần sau chúng tôi sẽ đóng gói kỹ hơn.' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.reply).toMatchObject({ name: shop.member.name });
    const second = await call('POST', `/api/reviews/${id}/reply`, {
      token: shop.actors.managerA.token,
      body: { text: 'Thêm một lần.' },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('review.reply_exists');

    const bySeller = await call('POST', `/api/reviews/${id}/hide`, {
      token: shop.actors.member.token,
      body: { reason: 'Không thích' },
    });
    expect(bySeller.status).toBe(403);
    const noReason = await call('POST', `/api/reviews/${id}/hide`, {
      token: shop.actors.admin.token,
      body: {},
    });
    expect(noReason.status).toBe(400);
    const hidden = await call('POST', `/api/reviews/${id}/hide`, {
      token: shop.actors.admin.token,
      body: { reason: 'Chứa số điện thoại' },
    });
    expect(hidden.status).toBe(200);
    const twice = await call('POST', `/api/reviews/${id}/hide`, {
      token: shop.actors.admin.token,
      body: { reason: 'Lần nữa' },
    });
    expect(twice.status).toBe(409);

    const list = await catalogGet(`/api/catalog/products/${slug}/reviews?limit=30`);
    expect(list.body.items.some((r: Json) => r.id === id)).toBe(false);
    const after = (await catalogGet(`/api/catalog/products/${slug}`)).body.rating;
    expect(after?.count ?? 0).toBe(before.count - 1);

    const audit = await listAudit(shop.member.id);
    expect(audit.find((e) => e.action === 'review.hidden')).toMatchObject({
      subject: { type: 'review', id },
      reason: 'Chứa số điện thoại',
      actor: { role: 'admin' },
    });
    const unknown = await call('POST', '/api/reviews/nope/reply', {
      token: shop.actors.member.token,
      body: { text: 'x' },
    });
    expect(unknown.status).toBe(404);
  });
  it('lets the listing’s owner reply to a pre-order review, not the member household that picked it', async () => {
    // Co-op A opens a pre-order on its member's tea, picked by the other member household.
    const day = (offsetDays: number) =>
      new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const manager = shop.actors.managerA.token;
    const opened = await apiCall('POST', `/api/board/${shop.coopA.id}/preorders`, {
      token: manager,
      body: {
        productId: shop.packs.memberTea.productId,
        season: 'Chè xuân — vụ đầu',
        opensOn: day(-1),
        closesOn: day(0),
        harvestFrom: day(1),
        harvestTo: day(10),
        packs: [{ grams: 200, price: 180_000 }],
        totalKg: 2,
        quotaKg: 2,
        householdIds: [shop.otherMember.id],
        depositPercent: 30,
        graceDays: 2,
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const windowId = opened.body.id as string;
    const reserved = await apiCall('POST', `/api/preorders/${windowId}/reservations`, {
      key: newKey(),
      body: {
        lines: [{ packId: 'p1', quantity: 1 }],
        contact: SHOPPER,
        delivery: { method: 'shipping', address: HANOI },
        paymentMethod: 'vietqr',
        balanceMethod: 'cod',
      },
    });
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(201);
    const code = reserved.body.order.code as string;
    expect(reserved.body.order.lines[0].producerId).toBe(shop.otherMember.id);
    expect((await notifyTransfer(bankTransfer(shop, reserved.body))).status).toBe(200);

    // After the window closes: allocated, weighed, shipped and delivered with the balance in cash.
    preorderClock.now = () => new Date(Date.now() + 2 * 86_400_000);
    try {
      const allocated = await apiCall(
        'POST',
        `/api/board/${shop.coopA.id}/preorders/${windowId}/allocation`,
        {
          token: manager,
          body: { pickings: [{ householdId: shop.otherMember.id, grams: 200 }] },
        },
      );
      expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
      for (const to of ['confirmed', 'packed'])
        expect((await moveSubOrder(manager, shop.coopA.id, code, { to })).status).toBe(200);
      const weighed = await apiCall('POST', `/api/board/${shop.coopA.id}/orders/${code}/preorder-weight`, {
        token: manager,
        body: { lines: [{ packId: 'p1', grams: 200 }] },
      });
      expect(weighed.status, JSON.stringify(weighed.body)).toBe(200);
      const shipped = await moveSubOrder(manager, shop.coopA.id, code, {
        to: 'shipped',
        carrier: 'Viettel Post',
        trackingNumber: 'VTP3',
      });
      expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
      const delivered = await moveSubOrder(manager, shop.coopA.id, code, {
        to: 'delivered',
        cashCollected: true,
      });
      expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    } finally {
      preorderClock.now = () => new Date();
    }

    const created = await call('POST', '/api/reviews', {
      body: review(code, { variantId: `PO-${windowId}-p1`, text: 'Chè xuân đặt trước, đúng hẹn.' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    const byPicker = await call('POST', `/api/reviews/${id}/reply`, {
      token: shop.actors.otherMember.token,
      body: { text: 'Cảm ơn bạn.' },
    });
    expect(byPicker.status).toBe(403);
    expect(byPicker.body.error.code).toBe('review.not_yours');
    const byOwner = await call('POST', `/api/reviews/${id}/reply`, {
      token: shop.actors.member.token,
      body: { text: 'Cảm ơn bạn đã đặt trước chè xuân.' },
    });
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(200);
    expect(byOwner.body.reply).toMatchObject({ name: shop.member.name });
  });
});

describe('ratings in the catalog', () => {
  it('pages reviews newest first and sorts listings by rating', async () => {
    // Co-op B's tea gets a 5-star review; the independent's a 1-star one.
    const place2 = async (variantId: string, fulfiller: { id: string }, token: string) => {
      const placed = await place(orderBody([{ variantId, quantity: 1 }]));
      const code = placed.body.order.code as string;
      for (const to of ['confirmed', 'packed', 'shipped', 'delivered']) {
        const moved = await moveSubOrder(token, fulfiller.id, code, {
          to,
          ...(to === 'shipped' ? { carrier: 'Viettel Post', trackingNumber: 'VTP2' } : {}),
          ...(to === 'delivered' ? { cashCollected: true } : {}),
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
      return code;
    };
    const b = await place2(shop.packs.coopBTea.id, shop.coopB, shop.actors.managerB.token);
    const i = await place2(shop.packs.independentTea.id, shop.independent, shop.actors.independent.token);
    expect(
      (await call('POST', '/api/reviews', { body: review(b, { variantId: shop.packs.coopBTea.id }) })).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/api/reviews', {
          body: review(i, { variantId: shop.packs.independentTea.id, stars: 1 }),
        })
      ).status,
    ).toBe(201);
    const sorted = await catalogGet('/api/catalog/products?sort=rating&limit=60');
    expect(sorted.status).toBe(200);
    const ids = sorted.body.items.map((p: Json) => p.id);
    expect(ids.indexOf(shop.packs.coopBTea.productId)).toBeLessThan(
      ids.indexOf(shop.packs.independentTea.productId),
    );
    const unrated = sorted.body.items.find((p: Json) => p.id === shop.packs.otherMemberTea.productId);
    expect(unrated.rating).toBeUndefined();
    expect(ids.indexOf(shop.packs.independentTea.productId)).toBeLessThan(ids.indexOf(unrated.id));

    // Pages: one review a page, newest first, the cursor sealed to this product's list.
    const slug = slugOf(shop.packs.memberTea.productId);
    const first = await catalogGet(`/api/catalog/products/${slug}/reviews?limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await catalogGet(
      `/api/catalog/products/${slug}/reviews?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.items[0].createdAt <= first.body.items[0].createdAt).toBe(true);
    const foreign = await catalogGet(
      `/api/catalog/products/${slugOf(shop.packs.coopBTea.productId)}/reviews?cursor=${first.body.nextCursor}`,
    );
    expect(foreign.status).toBe(400);
    const extra = await catalogGet(`/api/catalog/products/${slug}/reviews?sort=stars`);
    expect(extra.status).toBe(400);
    expect((await catalogGet('/api/catalog/products/khong-co/reviews')).status).toBe(404);
  });
});
