import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../shared/db/accounts.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
});

/** A newly signed-in person with no producer yet. */
async function newcomer(): Promise<string> {
  const sub = `new-${randomInt(1e9)}`;
  const account = await accounts.create({
    sub,
    phone: `+849${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    groups: [],
    createdAt: new Date().toISOString(),
  });
  return (await world.issuer.sign(account)).accessToken;
}

const household = (name = 'Hộ Lê Văn Minh') => ({
  kind: 'household',
  name,
  address: { provinceCode: '19', communeCode: '05818', street: 'Xóm Đồng Tiến' },
  description: { vi: 'Vườn chè 0,8 ha.' },
});

describe('signing up as a producer', () => {
  it('creates a pending producer linked to the account, named from the NFC form', async () => {
    const token = await newcomer();
    const res = await call('POST', '/api/producers', {
      token,
      body: household('Hộ Lê Văn Minh'.normalize('NFD')),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'household',
      name: 'Hộ Lê Văn Minh',
      verification: { status: 'pending' },
    });
    expect(res.body.slug).toMatch(/^ho-le-van-minh/);
    const me = await call('GET', '/api/me', { token });
    expect(me.body.producer.id).toBe(res.body.id);
    expect((await call('POST', '/api/producers', { token, body: household() })).status).toBe(409);
  });

  it('checks the commune against the 2025 units, with the error on the field', async () => {
    const token = await newcomer();
    const res = await call('POST', '/api/producers', {
      token,
      body: { ...household(), address: { provinceCode: '01', communeCode: '05818' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]).toMatchObject({ path: 'address.communeCode' });
    expect(res.body.error.issues[0].message).toMatch(/không thuộc tỉnh/);
  });

  it('cannot submit listings until verified', async () => {
    const token = await newcomer();
    await call('POST', '/api/producers', { token, body: household() });
    const created = await call('POST', '/api/seller/products', {
      token,
      body: {
        category: 'che-bup',
        name: { vi: 'Chè búp' },
        description: { vi: 'Ngon' },
        packs: [{ grams: 500, price: 90_000, stock: 3 }],
      },
    });
    expect(created.status).toBe(201);
    const submitted = await call('POST', `/api/seller/products/${created.body.id}/submit`, { token });
    expect(submitted.status).toBe(409);
    expect(submitted.body.error.code).toBe('producer.not_verified');
  });
});

describe('joining a cooperative', () => {
  it('a household asks, the manager approves, and the household is verified — all audited', async () => {
    const token = await newcomer();
    const me = (await call('POST', '/api/producers', { token, body: household() })).body;
    const asked = await call('POST', `/api/producers/${me.id}/membership`, {
      token,
      body: { cooperativeSlug: world.coopA.slug },
    });
    expect(asked.body.membership).toMatchObject({ cooperativeId: world.coopA.id, status: 'requested' });
    const pending = await call('GET', `/api/cooperatives/${world.coopA.id}/members?status=requested`, {
      token: world.actors.managerA.token,
    });
    expect(pending.body.items.map((p: { id: string }) => p.id)).toContain(me.id);
    expect(
      (
        await call('GET', `/api/cooperatives/${world.coopA.id}/members`, {
          token: world.actors.managerB.token,
        })
      ).status,
    ).toBe(403);
    const approved = await call('POST', `/api/producers/${me.id}/membership/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    expect(approved.body).toMatchObject({
      membership: { status: 'approved' },
      verification: { status: 'verified' },
    });
    const audit = await call('GET', `/api/producers/${me.id}/audit`, { token });
    expect(audit.body.items[0]).toMatchObject({
      action: 'membership.approved',
      actor: { sub: world.actors.managerA.account.sub, role: 'cooperative_manager' },
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'membership.approved',
      'membership.requested',
      'producer.signed_up',
    ]);
  });

  it('a rejection needs a reason, which the household sees', async () => {
    const token = await newcomer();
    const me = (await call('POST', '/api/producers', { token, body: household() })).body;
    await call('POST', `/api/producers/${me.id}/membership`, {
      token,
      body: { cooperativeSlug: world.coopA.slug },
    });
    const noReason = await call('POST', `/api/producers/${me.id}/membership/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'reject' },
    });
    expect(noReason.status).toBe(400);
    await call('POST', `/api/producers/${me.id}/membership/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'reject', reason: 'Hộ không ở trong vùng của hợp tác xã' },
    });
    const audit = await call('GET', `/api/producers/${me.id}/audit`, { token });
    expect(audit.body.items[0]).toMatchObject({
      action: 'membership.rejected',
      reason: 'Hộ không ở trong vùng của hợp tác xã',
    });
    // Asking another (verified) cooperative is allowed after a rejection.
    const again = await call('POST', `/api/producers/${me.id}/membership`, {
      token,
      body: { cooperativeSlug: world.coopB.slug },
    });
    expect(again.status).toBe(200);
  });

  it('only households ask, only to verified cooperatives, and only for themselves', async () => {
    const token = await newcomer();
    const me = (await call('POST', '/api/producers', { token, body: household() })).body;
    expect(
      (
        await call('POST', `/api/producers/${me.id}/membership`, {
          token,
          body: { cooperativeSlug: 'khong-co' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('POST', `/api/producers/${world.independent.id}/membership`, {
          token,
          body: { cooperativeSlug: world.coopA.slug },
        })
      ).status,
    ).toBe(403);
  });
});

describe('admin verification', () => {
  it('an admin verifies a new cooperative, which can then review its members', async () => {
    const token = await newcomer();
    const coop = (
      await call('POST', '/api/producers', {
        token,
        body: {
          kind: 'cooperative',
          name: 'HTX Chè Mới',
          address: { provinceCode: '19', communeCode: '05641' },
        },
      })
    ).body;
    const queue = await call('GET', '/api/admin/pending-producers', { token: world.actors.admin.token });
    expect(queue.body.items.map((p: { id: string }) => p.id)).toContain(coop.id);
    expect((await call('GET', '/api/me', { token })).body.manages).toBeNull();
    expect(
      (
        await call('POST', `/api/producers/${coop.id}/verification`, {
          token: world.actors.managerA.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(403);
    const verified = await call('POST', `/api/producers/${coop.id}/verification`, {
      token: world.actors.admin.token,
      body: { decision: 'approve' },
    });
    expect(verified.body.verification).toMatchObject({
      status: 'verified',
      decidedBy: world.actors.admin.account.sub,
    });
    expect((await call('GET', '/api/me', { token })).body.manages).toMatchObject({ cooperativeId: coop.id });
    expect(
      (
        await call('POST', `/api/producers/${coop.id}/verification`, {
          token: world.actors.admin.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(409);
  });
});
