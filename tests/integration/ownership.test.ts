/**
 * The ownership matrix: every route that takes an id, called by each kind of caller. The table
 * below is the expected answer — allowed (2xx) or denied (401/403) — written out in full.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSellerWorld, call, type SellerWorld } from './seller-world.ts';

type Caller =
  'anonymous' | 'owner' | 'otherHousehold' | 'sameCoopMember' | 'otherManager' | 'rightManager' | 'admin';
const CALLERS: Caller[] = [
  'anonymous',
  'owner',
  'otherHousehold',
  'sameCoopMember',
  'otherManager',
  'rightManager',
  'admin',
];

// The listing belongs to `member`, a household of cooperative A. A = allowed, D = denied.
// prettier-ignore
const MATRIX: Record<string, Record<Caller, 'A' | 'D'>> = {
  getSellerProduct:   { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'A' },
  updateProduct:      { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
  adjustStock:        { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
  listStockHistory:   { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'A' },
  uploadProductPhoto: { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
  createLot:          { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
  addOcopCertificate: { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
  decideProduct:      { anonymous: 'D', owner: 'D', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'A' },
  listAudit:          { anonymous: 'D', owner: 'A', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'A' },
  decideMembership:   { anonymous: 'D', owner: 'D', otherHousehold: 'D', sameCoopMember: 'D', otherManager: 'D', rightManager: 'A', admin: 'D' },
};

let world: SellerWorld;
const token = (caller: Caller): string | undefined =>
  ({
    anonymous: undefined,
    owner: world.actors.member.token,
    otherHousehold: world.actors.independent.token,
    sameCoopMember: world.actors.otherMember.token,
    otherManager: world.actors.managerB.token,
    rightManager: world.actors.managerA.token,
    admin: world.actors.admin.token,
  })[caller];

/** A fresh listing of `member`, in the state the route needs. */
async function listing(state: 'draft' | 'in_review' = 'draft'): Promise<string> {
  const created = await call('POST', '/api/seller/products', {
    token: world.actors.member.token,
    body: {
      category: 'che-non',
      name: { vi: 'Chè nõn kiểm thử' },
      description: { vi: 'Mô tả' },
      packs: [{ grams: 200, price: 180_000, stock: 10 }],
    },
  });
  expect(created.status).toBe(201);
  if (state === 'in_review') {
    expect(
      (
        await call('POST', `/api/seller/products/${created.body.id}/submit`, {
          token: world.actors.member.token,
        })
      ).status,
    ).toBe(200);
  }
  return created.body.id as string;
}

async function attempt(route: string, caller: Caller): Promise<number> {
  const t = token(caller);
  switch (route) {
    case 'getSellerProduct':
      return (await call('GET', `/api/seller/products/${await listing()}`, { token: t })).status;
    case 'updateProduct':
      return (
        await call('PATCH', `/api/seller/products/${await listing()}`, {
          token: t,
          body: { name: { vi: 'Tên mới' } },
        })
      ).status;
    case 'adjustStock': {
      const id = await listing();
      const product = await call('GET', `/api/seller/products/${id}`, { token: world.actors.member.token });
      return (
        await call('POST', `/api/seller/products/${id}/stock`, {
          token: t,
          body: { variantId: product.body.packs[0].id, delta: 5, reason: 'Nhập kho' },
        })
      ).status;
    }
    case 'listStockHistory':
      return (await call('GET', `/api/seller/products/${await listing()}/stock`, { token: t })).status;
    case 'uploadProductPhoto':
      return (
        await call('POST', `/api/seller/products/${await listing()}/photos`, {
          token: t,
          body: { contentType: 'image/jpeg', bytes: 2048 },
        })
      ).status;
    case 'createLot':
      return (
        await call('POST', `/api/seller/products/${await listing()}/lots`, {
          token: t,
          body: { harvestDate: '2026-03-01', season: 'Vụ xuân 2026', growingAreaCode: 'TN-01' },
        })
      ).status;
    case 'addOcopCertificate':
      return (
        await call('POST', `/api/seller/products/${await listing()}/ocop`, {
          token: t,
          body: {
            stars: 4,
            decisionNumber: '12/QĐ-UBND',
            decisionDate: '2025-05-01',
            issuer: 'UBND tỉnh Thái Nguyên',
          },
        })
      ).status;
    case 'decideProduct':
      return (
        await call('POST', `/api/seller/products/${await listing('in_review')}/decision`, {
          token: t,
          body: { decision: 'approve' },
        })
      ).status;
    case 'listAudit':
      return (await call('GET', `/api/producers/${world.member.id}/audit`, { token: t })).status;
    case 'decideMembership': {
      // A household that asked to join cooperative A.
      const { producers } = await import('../../shared/db/producers.ts');
      const { createMockProducer } = await import('../fixtures.ts');
      const applicant = await producers.create(
        createMockProducer({
          kind: 'household',
          verification: { status: 'pending' },
          membership: { cooperativeId: world.coopA.id, status: 'requested' },
        }),
      );
      return (
        await call('POST', `/api/producers/${applicant.id}/membership/decision`, {
          token: t,
          body: { decision: 'approve' },
        })
      ).status;
    }
    default:
      throw new Error(route);
  }
}

beforeAll(async () => {
  world = await createSellerWorld();
});

describe('ownership matrix', () => {
  for (const [route, row] of Object.entries(MATRIX)) {
    for (const caller of CALLERS) {
      it(`${route} by ${caller}: ${row[caller] === 'A' ? 'allowed' : 'denied'}`, async () => {
        const status = await attempt(route, caller);
        if (row[caller] === 'A') expect(status, `${route} ${caller}`).toBeLessThan(300);
        else expect([401, 403], `${route} ${caller} got ${status}`).toContain(status);
        if (caller === 'anonymous') expect(status).toBe(401);
      });
    }
  }
});
