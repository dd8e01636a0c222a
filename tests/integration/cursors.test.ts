/**
 * Paging cursors over HTTP: a malformed or tampered cursor is a 400 (it was a 500 from DynamoDB),
 * a cursor opens only on the list and filters it came from, and a household's cursor over its
 * cooperative's orders never carries another party's order code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createShop, orderBody, place, type Shop } from './orders-world.ts';

let shop: Shop;
const codes: { member: string[]; otherMember: string[] } = { member: [], otherMember: [] };

beforeAll(async () => {
  shop = await createShop({ memberTea: 100, otherMemberTea: 100 });
  // Oldest first: member, otherMember, member, otherMember (the newest).
  for (let i = 0; i < 2; i++) {
    for (const who of ['member', 'otherMember'] as const) {
      const pack = who === 'member' ? shop.packs.memberTea : shop.packs.otherMemberTea;
      const res = await place(orderBody([{ variantId: pack.id, quantity: 1 }]));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      codes[who].push(res.body.order.code);
    }
  }
});

const board = (query: string, token = shop.actors.managerA.token, coop = shop.coopA.id) =>
  call('GET', `/api/board/${coop}/orders?${query}`, { token });

describe('board cursors', () => {
  it('page through the board with sealed cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await board(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((s: { orderCode: string }) => s.orderCode));
      cursor = page.body.nextCursor;
      if (cursor) expect(cursor).not.toMatch(/ORDER|TN-/);
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining([...codes.member, ...codes.otherMember]));
  });

  it.each([
    ['garbage', 'garbage'],
    ['a raw index position', encodeURIComponent('ORDER#2026-01-01T00:00:00.000Z#TN-AAAAA')],
    ['base64 of a position', Buffer.from('"ORDER#2026-01-01T00:00:00.000Z#TN-AAAAA"').toString('base64url')],
  ])('answers 400 to %s, not 500', async (_what, cursor) => {
    const res = await board(`limit=1&cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Con trỏ trang không hợp lệ/);
  });

  it('answers 400 to a tampered cursor', async () => {
    const first = await board('limit=1');
    const raw = Buffer.from(first.body.nextCursor as string, 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x20;
    const res = await board(`limit=1&cursor=${raw.toString('base64url')}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('request.invalid_cursor');
  });

  it('refuses a cursor on another board or with other filters', async () => {
    const cursor = (await board('limit=1')).body.nextCursor as string;
    expect((await board(`limit=1&status=placed&cursor=${cursor}`)).status).toBe(400);
    const other = await board(`limit=1&cursor=${cursor}`, shop.actors.managerB.token, shop.coopB.id);
    expect(other.status).toBe(400);
  });
});

describe("a household's order lines", () => {
  it("page on sealed cursors that never carry another household's order code", async () => {
    const token = shop.actors.member.token;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call('GET', `/api/seller/order-lines?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: { orderCode: string }) => i.orderCode));
      cursor = page.body.nextCursor;
      if (cursor) {
        const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
        for (const code of [...codes.otherMember, ...codes.member]) {
          expect(cursor).not.toContain(code);
          expect(decoded).not.toContain(code);
        }
      }
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(expect.arrayContaining(codes.member));
    expect(seen).not.toEqual(expect.arrayContaining([codes.otherMember[0]]));
  });

  it("refuses the cooperative board's cursor", async () => {
    const cursor = (await board('limit=1')).body.nextCursor as string;
    const res = await call('GET', `/api/seller/order-lines?cursor=${cursor}`, {
      token: shop.actors.member.token,
    });
    expect(res.status).toBe(400);
  });
});
