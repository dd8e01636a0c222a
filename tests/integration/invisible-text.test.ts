/**
 * Invisible characters through the API: a listing or a producer named with zero-width characters
 * is stored with the visible text only, and a name carrying a bidi override is refused with a
 * Vietnamese message on that field, writing nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
});

const listing = (name: string, unit = 'Hộp giấy') => ({
  category: 'che-tom-non',
  name: { vi: name },
  description: { vi: 'Búp\u200B non\u2060 hái sáng sớm.' },
  packs: [{ unit, price: 220_000, stock: 10 }],
});

async function myListingNames(): Promise<string[]> {
  const res = await call('GET', '/api/seller/products', { token: world.actors.independent.token });
  return (res.body.items as { name: { vi: string } }[]).map((i) => i.name.vi);
}

describe('names and text fields', () => {
  it('stores a listing named with zero-width characters as its visible text', async () => {
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.independent.token,
      body: listing('Chè\u200B Tân\u200D Cương\uFEFF', 'Hộp\u00AD giấy\u2063'),
    });
    expect(res.status).toBe(201);
    expect(res.body.name.vi).toBe('Chè Tân Cương');
    expect(res.body.description.vi).toBe('Búp non hái sáng sớm.');
    expect(res.body.packs[0].unit).toBe('Hộp giấy');
  });

  it('refuses a name with a bidi override, naming the field, and writes nothing', async () => {
    const before = await myListingNames();
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.independent.token,
      body: listing('Chè \u202Egnơưc nâT\u202C'),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('name.vi');
    expect(res.body.error.issues[0].message).toMatch(/ký tự điều khiển hướng chữ ẩn/);
    expect(await myListingNames()).toEqual(before);
  });

  it('answers an empty name when only invisible characters were typed', async () => {
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.independent.token,
      body: listing('\u200B\u3164\u2800'),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]).toMatchObject({ path: 'name.vi', message: 'Không được để trống' });
  });

  it('cleans a producer name at sign-up and refuses an isolate in its street', async () => {
    const clean = await call('POST', '/api/producers', {
      token: world.actors.admin.token,
      body: {
        kind: 'household',
        name: 'Hộ\u200B Nguyễn\u2060 Văn An',
        address: { provinceCode: '19', communeCode: '05503', street: 'Xóm\u2066 Đồng\u2069' },
      },
    });
    expect(clean.status).toBe(400);
    expect(clean.body.error.issues[0].path).toBe('address.street');
    const signedUp = await call('POST', '/api/producers', {
      token: world.actors.admin.token,
      body: {
        kind: 'household',
        name: 'Hộ\u200B Nguyễn\u2060 Văn An',
        address: { provinceCode: '19', communeCode: '05503', street: 'Xóm Đồng' },
      },
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body.name).toBe('Hộ Nguyễn Văn An');
  });
});
