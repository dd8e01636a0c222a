import { beforeAll, describe, expect, it } from 'vitest';
import { catalogCache, app as catalogApp } from '../../functions/catalog/app.ts';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
});

const newListing = (extra: Record<string, unknown> = {}) => ({
  category: 'che-tom-non',
  name: { vi: 'Chè tôm nõn Tân Cương vụ xuân' },
  description: { vi: 'Búp non hái sáng sớm.' },
  packs: [
    { grams: 100, price: 220_000, stock: 10 },
    { grams: 200, price: 430_000, stock: 5 },
  ],
  ...extra,
});

describe('mass assignment: write schemas are strict', () => {
  it.each([
    ['status', { status: 'published' }],
    ['producerId', { producerId: 'someone-else' }],
    ['verified', { verified: true }],
    ['images', { images: [] }],
  ])('createProduct refuses %s', async (field, extra) => {
    const res = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing(extra),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].message).toContain(field);
  });

  it('addOcopCertificate refuses verified, and sign-up refuses a verification', async () => {
    const created = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing(),
    });
    const ocop = await call('POST', `/api/seller/products/${created.body.id}/ocop`, {
      token: world.actors.member.token,
      body: { stars: 5, decisionNumber: '1/QĐ', decisionDate: '2025-01-01', issuer: 'UBND', verified: true },
    });
    expect(ocop.status).toBe(400);
    const signUp = await call('POST', '/api/producers', {
      token: world.actors.admin.token,
      body: {
        kind: 'cooperative',
        name: 'HTX X',
        address: { provinceCode: '19', communeCode: '05503' },
        verification: { status: 'verified' },
      },
    });
    expect(signUp.status).toBe(400);
  });

  it('updateProduct cannot change status or stock', async () => {
    const created = await call('POST', '/api/seller/products', {
      token: world.actors.member.token,
      body: newListing(),
    });
    const id = created.body.id;
    const packId = created.body.packs[0].id;
    // Stock of an existing pack changes only through adjustStock; status only through decisions.
    for (const body of [{ status: 'published' }, { packs: [{ id: packId, price: 1000, stock: 999 }] }]) {
      const res = await call('PATCH', `/api/seller/products/${id}`, {
        token: world.actors.member.token,
        body,
      });
      expect(res.status).toBe(400);
    }
    const after = await call('GET', `/api/seller/products/${id}`, { token: world.actors.member.token });
    expect(after.body).toMatchObject({ status: 'draft' });
    expect(after.body.packs[0]).toMatchObject({ price: 220_000, stock: 10 });
  });
});

describe('a listing from draft to the catalog', () => {
  it('is created as a draft, reviewed by the cooperative, and then sold in the catalog', async () => {
    const token = world.actors.member.token;
    const created = await call('POST', '/api/seller/products', { token, body: newListing() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      reviewer: 'cooperative',
      producer: { slug: world.member.slug },
    });
    const id = created.body.id;
    expect((await call('POST', `/api/seller/products/${id}/submit`, { token })).body.status).toBe(
      'in_review',
    );
    const queue = await call('GET', '/api/seller/products?scope=review', {
      token: world.actors.managerA.token,
    });
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
    const otherQueue = await call('GET', '/api/seller/products?scope=review', {
      token: world.actors.managerB.token,
    });
    expect(otherQueue.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const rejected = await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'reject' },
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.issues[0].path).toBe('reason');
    const approved = await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    expect(approved.body.status).toBe('published');
    catalogCache.clear();
    const listed = await (
      await catalogApp.request(`/api/catalog/products?q=${encodeURIComponent('tom non tan cuong vu xuan')}`)
    ).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(id);
    const audit = await call('GET', `/api/producers/${world.member.id}/audit`, { token });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['product.created', 'product.submitted', 'product.approved']),
    );
  });

  it('goes back to review when its content changes while on sale; price edits do not', async () => {
    const token = world.actors.member.token;
    const id = (await call('POST', '/api/seller/products', { token, body: newListing() })).body.id;
    await call('POST', `/api/seller/products/${id}/submit`, { token });
    const on = await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    const packId = on.body.packs[0].id;
    const repriced = await call('PATCH', `/api/seller/products/${id}`, {
      token,
      body: { packs: [{ id: packId, price: 199_000 }] },
    });
    expect(repriced.body).toMatchObject({ status: 'published' });
    expect(repriced.body.packs[0].price).toBe(199_000);
    const renamed = await call('PATCH', `/api/seller/products/${id}`, {
      token,
      body: { name: { vi: 'Tên khác' } },
    });
    expect(renamed.body.status).toBe('in_review');
  });

  it('keeps a stock history and never goes below zero', async () => {
    const token = world.actors.member.token;
    const created = await call('POST', '/api/seller/products', { token, body: newListing() });
    const variantId = created.body.packs[0].id;
    const add = await call('POST', `/api/seller/products/${created.body.id}/stock`, {
      token,
      body: { variantId, delta: 7, reason: 'Mẻ mới' },
    });
    expect(add.body).toMatchObject({ before: 10, after: 17, reason: 'Mẻ mới' });
    const tooMany = await call('POST', `/api/seller/products/${created.body.id}/stock`, {
      token,
      body: { variantId, delta: -18, reason: 'Bán' },
    });
    expect(tooMany.status).toBe(409);
    const history = await call('GET', `/api/seller/products/${created.body.id}/stock`, { token });
    expect(history.body.items.map((h: { after: number }) => h.after)).toEqual([17]);
    const audit = await call('GET', `/api/producers/${world.member.id}/audit`, { token });
    expect(audit.body.items[0]).toMatchObject({
      action: 'stock.adjusted',
      reason: 'Mẻ mới',
      details: { delta: 7, after: 17 },
    });
  });
});

describe('proxy listing with the household’s consent', () => {
  it('lists for a member after the household’s code, and records who, when and how', async () => {
    const manager = world.actors.managerA.token;
    const consent = await call('POST', '/api/seller/proxy-consents', {
      token: manager,
      body: { householdId: world.member.id },
    });
    expect(consent.status).toBe(201);
    const message = (await devInbox.list()).find(
      (m) => m.to === world.member.phone && m.kind === 'consent_code',
    );
    const code = /(\d{6})/.exec(message!.text)![1]!;
    const wrong = await call('POST', '/api/seller/products', {
      token: manager,
      body: newListing({
        onBehalfOf: {
          householdId: world.member.id,
          consentId: consent.body.consentId,
          code: code === '000000' ? '111111' : '000000',
        },
      }),
    });
    expect(wrong.status).toBe(400);
    const listed = await call('POST', '/api/seller/products', {
      token: manager,
      body: newListing({
        onBehalfOf: { householdId: world.member.id, consentId: consent.body.consentId, code },
      }),
    });
    expect(listed.status).toBe(201);
    expect(listed.body).toMatchObject({
      producerId: world.member.id,
      listedBy: {
        cooperativeId: world.coopA.id,
        consent: { consentId: consent.body.consentId, via: 'sms_code' },
      },
    });
    // The code was used up.
    const again = await call('POST', '/api/seller/products', {
      token: manager,
      body: newListing({
        onBehalfOf: { householdId: world.member.id, consentId: consent.body.consentId, code },
      }),
    });
    expect(again.status).toBe(400);
  });

  it('a consent code has an attempt limit: after 30 wrong codes the right one is refused', async () => {
    const manager = world.actors.managerA.token;
    const consent = await call('POST', '/api/seller/proxy-consents', {
      token: manager,
      body: { householdId: world.member.id },
    });
    expect(consent.status).toBe(201);
    const messages = (await devInbox.list()).filter(
      (m) => m.to === world.member.phone && m.kind === 'consent_code',
    );
    const code = /(\d{6})/.exec(messages.at(-1)!.text)![1]!;
    const wrongCode = (i: number) => {
      const candidate = String(100_000 + i * 7919).padStart(6, '0');
      return candidate === code ? '999999' : candidate;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const wrong = await call('POST', '/api/seller/products', {
        token: manager,
        body: newListing({
          onBehalfOf: { householdId: world.member.id, consentId: consent.body.consentId, code: wrongCode(i) },
        }),
      });
      statuses.push(wrong.status);
    }
    // Five tries are answered "wrong code"; from then on the consent is locked.
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    const right = await call('POST', '/api/seller/products', {
      token: manager,
      body: newListing({
        onBehalfOf: { householdId: world.member.id, consentId: consent.body.consentId, code },
      }),
    });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('consent.locked');
    expect(right.body.error.message).toContain('Nhập sai mã đồng ý quá nhiều lần');
    // Nothing was listed for the household by any of those tries.
    const mine = await call('GET', '/api/seller/products', { token: world.actors.member.token });
    expect(
      mine.body.items.filter(
        (p: { listedBy?: { consent?: { consentId: string } } }) =>
          p.listedBy?.consent?.consentId === consent.body.consentId,
      ),
    ).toEqual([]);
  });

  it('a household gets at most 5 consent codes per 15 minutes', async () => {
    const manager = world.actors.managerA.token;
    const sentBefore = (await devInbox.list()).filter(
      (m) => m.to === world.member.phone && m.kind === 'consent_code',
    ).length;
    const allowed = Math.max(0, 5 - sentBefore);
    const statuses: number[] = [];
    for (let i = 0; i < allowed + 2; i++) {
      const res = await call('POST', '/api/seller/proxy-consents', {
        token: manager,
        body: { householdId: world.member.id },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error.code).toBe('consent.too_many_codes');
    }
    expect(statuses).toEqual([...Array(allowed).fill(201), 429, 429]);
  });

  it('is refused for a household of another cooperative', async () => {
    const res = await call('POST', '/api/seller/proxy-consents', {
      token: world.actors.managerB.token,
      body: { householdId: world.member.id },
    });
    expect(res.status).toBe(403);
  });
});

describe('OCOP certificates and lots', () => {
  it('shows a badge only after an admin verifies the certificate', async () => {
    const token = world.actors.member.token;
    const created = await call('POST', '/api/seller/products', { token, body: newListing() });
    const id = created.body.id;
    const cert = await call('POST', `/api/seller/products/${id}/ocop`, {
      token,
      body: {
        stars: 4,
        decisionNumber: '2361/QĐ-UBND',
        decisionDate: '2025-06-12',
        issuer: 'UBND tỉnh Thái Nguyên',
      },
    });
    expect(cert.body.verified).toBe(false);
    await call('POST', `/api/seller/products/${id}/submit`, { token });
    await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    catalogCache.clear();
    const slug = created.body.slug;
    expect((await (await catalogApp.request(`/api/catalog/products/${slug}`)).json()).ocop).toBeNull();
    const byManager = await call('POST', `/api/seller/products/${id}/ocop/${cert.body.id}/verification`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    expect(byManager.status).toBe(403);
    const verified = await call('POST', `/api/seller/products/${id}/ocop/${cert.body.id}/verification`, {
      token: world.actors.admin.token,
      body: { decision: 'approve' },
    });
    expect(verified.body.verified).toBe(true);
    catalogCache.clear();
    expect((await (await catalogApp.request(`/api/catalog/products/${slug}`)).json()).ocop).toMatchObject({
      stars: 4,
      expiresOn: '2028-06-12',
    });
  });

  it('gives a lot a trace code and a printable label that points to its trace page', async () => {
    const token = world.actors.member.token;
    const created = await call('POST', '/api/seller/products', { token, body: newListing() });
    const lot = await call('POST', `/api/seller/products/${created.body.id}/lots`, {
      token,
      body: {
        harvestDate: '2026-03-18',
        season: 'Vụ xuân 2026',
        growingAreaCode: 'TN-TC-VT-014',
        certifications: ['VietGAP'],
      },
    });
    expect(lot.status).toBe(201);
    expect(lot.body.traceCode).toMatch(/^TN2603-[2-9A-Z]{5}$/);
    const svg = await call('GET', `/api/seller/lots/${lot.body.traceCode}/label?format=svg`, { token });
    expect(svg.status).toBe(200);
    expect(svg.body).toContain('<svg');
    expect(svg.body).toContain(lot.body.traceCode);
    const future = await call('POST', `/api/seller/products/${created.body.id}/lots`, {
      token,
      body: { harvestDate: '2099-01-01', season: 'x', growingAreaCode: 'x' },
    });
    expect(future.status).toBe(400);
  });
});

describe('CSV import', () => {
  it('imports each row whole or not at all, with errors by line', async () => {
    const res = await call('POST', '/api/seller/imports', {
      token: world.actors.managerA.token,
      body: {
        rows: [
          {
            line: 2,
            values: {
              category: 'mat-ong',
              name_vi: 'Mật ong rừng',
              name_en: '',
              description_vi: 'Mật ong nguyên chất',
              packs: 'chai 500 ml:180000:20|chai 1 lít:340000:10',
            },
          },
          {
            line: 3,
            values: {
              category: 'khong-co',
              name_vi: 'Sai danh mục',
              description_vi: 'x',
              packs: '200g:100000:5',
            },
          },
          {
            line: 4,
            values: { category: 'che-non', name_vi: 'Chè nõn', description_vi: 'Ngon', packs: '200g:-5:5' },
          },
          {
            line: 5,
            values: {
              category: 'che-non',
              name_vi: 'Chè nõn 1kg',
              description_vi: 'Ngon',
              packs: '1kg:820000:12',
              color: 'xanh',
            },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [ok, badCategory, badPrice, unknownColumn] = res.body.results;
    expect(ok).toMatchObject({ line: 2, ok: true });
    expect(badCategory).toMatchObject({ line: 3, ok: false, errors: [{ field: 'category' }] });
    expect(badPrice).toMatchObject({ line: 4, ok: false });
    expect(unknownColumn).toMatchObject({ line: 5, ok: false, errors: [{ field: 'color' }] });
    const mine = await call('GET', '/api/seller/products', { token: world.actors.managerA.token });
    const honey = mine.body.items.find((i: { id: string }) => i.id === ok.productId);
    expect(honey.packs.map((p: { unit: string }) => p.unit)).toEqual(['chai 500 ml', 'chai 1 lít']);
  });
});

describe('photos', () => {
  it('adds product photos to the gallery, but keeps certificate scans out of it', async () => {
    const { default: sharp } = await import('sharp');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { completePhotoUpload } = await import('../../shared/images/upload.ts');
    const { fileMediaStore } = await import('../../infra/local/media-store.ts');
    const store = fileMediaStore(mkdtempSync(join(tmpdir(), 'media-')));
    const jpeg = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#4a7c3a' } })
      .jpeg()
      .toBuffer();
    const token = world.actors.member.token;
    const id = (await call('POST', '/api/seller/products', { token, body: newListing() })).body.id;
    for (const purpose of ['product', 'certificate_scan']) {
      const slot = await call('POST', `/api/seller/products/${id}/photos`, {
        token,
        body: { contentType: 'image/jpeg', bytes: jpeg.byteLength, purpose },
      });
      expect(slot.status).toBe(201);
      const outcome = await completePhotoUpload({
        productId: id,
        photoId: slot.body.photoId,
        bytes: jpeg,
        store,
      });
      expect(outcome.status).toBe('ready');
    }
    const listing = await call('GET', `/api/seller/products/${id}`, { token });
    expect(listing.body.images).toHaveLength(1);
    expect(listing.body.images[0]).toMatchObject({ width: 1280, height: 960 });
  });

  it('an upload that never arrives fails after an hour and stops counting toward the photo limit', async () => {
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db } = await import('../../shared/db/client.ts');
    const { MAX_PHOTOS_PER_PRODUCT } = await import('../../shared/seller/photos.ts');
    const token = world.actors.member.token;
    const id = (await call('POST', '/api/seller/products', { token, body: newListing() })).body.id;
    const slot = () =>
      call('POST', `/api/seller/products/${id}/photos`, {
        token,
        body: { contentType: 'image/jpeg', bytes: 1000 },
      });
    const ids: string[] = [];
    for (let i = 0; i < MAX_PHOTOS_PER_PRODUCT; i++) {
      const res = await slot();
      expect(res.status).toBe(201);
      ids.push(res.body.photoId);
    }
    expect((await slot()).status).toBe(409); // twelve uploads under way
    const poll = (photoId: string) => call('GET', `/api/seller/products/${id}/photos/${photoId}`, { token });
    expect((await poll(ids[0]!)).body.status).toBe('pending');

    // Their slots were handed out 61 minutes ago and nothing came.
    const longAgo = new Date(Date.now() - 61 * 60_000).toISOString();
    for (const photoId of ids) {
      await db().doc.send(
        new UpdateCommand({
          TableName: db().tableName,
          Key: { pk: `PRODUCT#${id}`, sk: `PHOTO#${photoId}` },
          UpdateExpression: 'SET createdAt = :t',
          ExpressionAttributeValues: { ':t': longAgo },
        }),
      );
    }
    const listing = await call('GET', `/api/seller/products/${id}`, { token });
    expect(listing.body.pendingPhotos.map((p: { status: string }) => p.status)).toEqual(
      ids.map(() => 'failed'),
    );
    const polled = await poll(ids[0]!);
    expect(polled.body).toMatchObject({ status: 'failed', error: { code: 'photo.upload_missing' } });
    // A new upload is accepted again, and the stale ones are recorded as failed.
    expect((await slot()).status).toBe(201);
    expect((await poll(ids[5]!)).body.status).toBe('failed');
  });

  it('refuses HEIC up front: the pipeline cannot decode it', async () => {
    const id = (
      await call('POST', '/api/seller/products', { token: world.actors.member.token, body: newListing() })
    ).body.id;
    const res = await call('POST', `/api/seller/products/${id}/photos`, {
      token: world.actors.member.token,
      body: { contentType: 'image/heic', bytes: 1000 },
    });
    expect(res.status).toBe(400);
  });
});
