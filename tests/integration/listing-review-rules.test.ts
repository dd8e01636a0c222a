/**
 * Marketplace rules on listings over HTTP: a new pack or a price cut of more than half on a
 * listing that is on sale sends it back to review (off the shop until approved); names, pack
 * labels and producer names refuse phone numbers, links and Zalo handles, naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogCache, app as catalogApp } from '../../functions/catalog/app.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
});

const newListing = (extra: Record<string, unknown> = {}) => ({
  category: 'che-tom-non',
  name: { vi: 'Chè tôm nõn Tân Cương vụ hè' },
  description: { vi: 'Búp non hái sáng sớm.' },
  packs: [{ grams: 100, price: 200_000, stock: 10 }],
  ...extra,
});

/** A listing of the member household, approved by its cooperative and on sale. */
async function publishedListing(): Promise<{ id: string; packId: string }> {
  const token = world.actors.member.token;
  const id = (await call('POST', '/api/seller/products', { token, body: newListing() })).body.id;
  await call('POST', `/api/seller/products/${id}/submit`, { token });
  const on = await call('POST', `/api/seller/products/${id}/decision`, {
    token: world.actors.managerA.token,
    body: { decision: 'approve' },
  });
  expect(on.body.status).toBe('published');
  return { id, packId: on.body.packs[0].id };
}

const edit = (id: string, body: unknown) =>
  call('PATCH', `/api/seller/products/${id}`, { token: world.actors.member.token, body });

async function onSale(id: string): Promise<boolean> {
  catalogCache.clear();
  const res = await catalogApp.request(`/api/catalog/products?limit=60&producer=${world.member.slug}`);
  return ((await res.json()).items as { id: string }[]).some((i) => i.id === id);
}

describe('changes that go back to review', () => {
  it('a new pack on a published listing', async () => {
    const { id } = await publishedListing();
    expect(await onSale(id)).toBe(true);
    const res = await edit(id, { packs: [{ grams: 500, price: 900_000, stock: 3 }] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('in_review');
    expect(res.body.packs).toHaveLength(2);
    expect(await onSale(id)).toBe(false);
    const queue = await call('GET', '/api/seller/products?scope=review&limit=100', {
      token: world.actors.managerA.token,
    });
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
  });

  it('a price cut of more than half', async () => {
    const { id, packId } = await publishedListing();
    const res = await edit(id, { packs: [{ id: packId, price: 99_999 }] });
    expect(res.body).toMatchObject({ status: 'in_review' });
    expect(res.body.packs[0].price).toBe(99_999);
  });

  it('but not a cut of half or less, nor a raise', async () => {
    const { id, packId } = await publishedListing();
    expect((await edit(id, { packs: [{ id: packId, price: 100_000 }] })).body.status).toBe('published');
    expect((await edit(id, { packs: [{ id: packId, price: 150_000 }] })).body.status).toBe('published');
    expect(await onSale(id)).toBe(true);
  });

  it('a new pack on a draft keeps it a draft', async () => {
    const token = world.actors.member.token;
    const id = (await call('POST', '/api/seller/products', { token, body: newListing() })).body.id;
    expect((await edit(id, { packs: [{ unit: 'hộp quà', price: 300_000, stock: 2 }] })).body.status).toBe(
      'draft',
    );
  });
});

describe('contact details stay off listings', () => {
  it.each([
    ['a phone number', 'Chè Tân Cương LH 0912 345 678'],
    ['a dotted phone number', 'Chè ngon 0912.345.678'],
    ['an international phone number', 'Chè ngon +84 912 345 678'],
    ['a link', 'Chè ngon xem chetancuong.vn'],
    ['a web address', 'Chè ngon https://example.com/che'],
    ['a Zalo handle', 'Chè ngon Zalo chị Lan'],
    ['a Zalo handle with diacritics', 'Chè ngon zá lô'],
    ['an @handle', 'Chè ngon @chelan_tn'],
  ])('a product name with %s is refused, naming the field', async (_what, name) => {
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing({ name: { vi: name } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('name.vi');
    expect(res.body.error.issues[0].message).toMatch(/^Tên sản phẩm không được chứa/);
  });

  it('a pack label with a phone number is refused, on create and on edit', async () => {
    const created = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing({ packs: [{ unit: 'hộp, gọi 0987654321', price: 100_000, stock: 1 }] }),
    });
    expect(created.status).toBe(400);
    expect(created.body.error.issues[0].path).toBe('packs.0.unit');
    expect(created.body.error.issues[0].message).toMatch(/^Nhãn gói không được chứa số điện thoại/);
    const { id } = await publishedListing();
    const edited = await edit(id, { packs: [{ unit: 'túi zalo 0987654321', price: 100_000, stock: 1 }] });
    expect(edited.status).toBe(400);
    expect(edited.body.error.issues[0].message).toMatch(/^Nhãn gói không được chứa/);
    expect(await onSale(id)).toBe(true);
  });

  it('an English name and a producer name are held to the same rule', async () => {
    const en = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing({ name: { vi: 'Chè búp', en: 'Tea, call 0912345678' } }),
    });
    expect(en.status).toBe(400);
    expect(en.body.error.issues[0].path).toBe('name.en');
    const producer = await call('POST', '/api/producers', {
      token: world.actors.admin.token,
      body: {
        kind: 'household',
        name: 'Hộ Lan zalo 0912345678',
        address: { provinceCode: '19', communeCode: '05503' },
      },
    });
    expect(producer.status).toBe(400);
    expect(producer.body.error.issues[0].message).toMatch(/^Tên nhà sản xuất không được chứa/);
  });

  it('ordinary names and labels pass', async () => {
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing({
        name: { vi: 'Chè đinh Tân Cương 2025 hạng 1', en: 'Tan Cuong needle tea 2025' },
        packs: [{ unit: 'hộp 10 gói × 5 g', price: 120_000, stock: 5 }],
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
