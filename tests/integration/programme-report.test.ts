/**
 * The admin's programme report on DynamoDB Local: households, listings, certificates and orders
 * go through the stats worker as stream records (shared/db/stats.ts keeps the report's indexes
 * beside the counters), then the report answers with the figures of that seeded set, as JSON and
 * CSV, against the targets the admin set; a producer or a shopper gets 403. A batch applied twice
 * changes nothing.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME_ROUTES } from '../../functions/board/programme-routes.ts';
import { db } from '../../shared/db/client.ts';
import { producers } from '../../shared/db/producers.ts';
import { applyStatsRecords } from '../../shared/db/stats.ts';
import type { Producer } from '../../shared/domain/producer.ts';
import { PROGRAMME_CSV_HEADER, ProgrammeReport } from '../../shared/stats/programme.ts';
import { createMockProducer } from '../fixtures.ts';
import { createApiWorld, sendTo, type ApiWorld } from './api-world.ts';

const COMMUNE_A = '01849';
const COMMUNE_B = '05503';
const DAY = 86_400_000;
const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
const date = (msFromNow: number) => new Date(now + 7 * 3_600_000 + msFromNow).toISOString().slice(0, 10);
/** The decision date whose certificate (valid 36 months) expires on `expiresOn`. */
const decidedFor = (expiresOn: string) => `${Number(expiresOn.slice(0, 4)) - 3}${expiresOn.slice(4)}`;

let world: ApiWorld;
let seq = 1;
const report = PROGRAMME_ROUTES.find((r) => r.operationId === 'getProgrammeReport')!;
const targets = PROGRAMME_ROUTES.find((r) => r.operationId === 'setProgrammeTargets')!;

type Image = Record<string, unknown>;
function record(image: Image, old?: Image) {
  return {
    eventName: old ? 'MODIFY' : 'INSERT',
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }),
      NewImage: marshall(image, { removeUndefinedValues: true }),
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) } : {}),
      SequenceNumber: String(2_000_000_000_000_000_000 + seq++),
    },
  };
}

const producerImage = (p: Producer): Image => ({
  pk: `PRODUCER#${p.id}`,
  sk: 'PRODUCER',
  type: 'producer',
  ...p,
});

async function household(id: string, commune: string, verifiedAt: string, status = 'verified') {
  const p = await producers.create(
    createMockProducer({
      id,
      kind: 'household',
      name: `Hộ ${id}`,
      phone: `+849877${String(seq).padStart(5, '0')}`,
      address: { provinceCode: '19', communeCode: commune },
      verification: { status: status as 'verified', decidedAt: verifiedAt },
    }),
  );
  seq++;
  return p;
}

function order(code: string, placedAt: string, producerId: string): Image {
  return {
    pk: `ORDER#${code}`,
    sk: 'ORDER',
    type: 'order',
    code,
    paymentMethod: 'cod',
    delivery: { method: 'pickup' },
    history: [{ status: 'placed', at: placedAt }],
    lines: [{ productId: 'p-prog', producerId, quantity: 1, lineTotal: 100_000 }],
    createdAt: placedAt,
  };
}

const product = (id: string, status: string, updatedAt: string, producerId: string): Image => ({
  pk: `PRODUCT#${id}`,
  sk: 'PRODUCT',
  type: 'product',
  id,
  producerId,
  category: 'che-non',
  name: { vi: `Chè ${id}` },
  status,
  createdAt: updatedAt,
  updatedAt,
});

const certificate = (id: string, productId: string, expiresOn: string, verified: boolean): Image => ({
  pk: `PRODUCT#${productId}`,
  sk: `OCOP#${id}`,
  type: 'ocop',
  id,
  productId,
  stars: 4,
  decisionNumber: `QĐ-${id}`,
  decisionDate: decidedFor(expiresOn),
  verified,
});

let batch: ReturnType<typeof record>[];
let hh: Record<'recent' | 'old' | 'never' | 'otherCommune' | 'pending', Producer>;
const EXPIRING_ON = date(30 * DAY);

beforeAll(async () => {
  world = await createApiWorld();
  hh = {
    recent: await household('hh-recent', COMMUNE_A, '2026-02-10T03:00:00.000Z'),
    old: await household('hh-old', COMMUNE_A, '2026-02-11T03:00:00.000Z'),
    never: await household('hh-never', COMMUNE_A, '2026-02-12T03:00:00.000Z'),
    otherCommune: await household('hh-b', COMMUNE_B, '2026-03-02T03:00:00.000Z'),
    pending: await household('hh-pending', COMMUNE_B, '2026-03-03T03:00:00.000Z', 'pending'),
  };
  const inReview = product('p-review', 'in_review', iso(5 * DAY), hh.old.id);
  // The listing itself, as the report reads its name (the stream brings only its changes).
  await db().doc.send(new PutCommand({ TableName: db().tableName, Item: inReview }));
  const reviewedThenPublished = product('p-done', 'published', iso(1 * DAY), hh.old.id);
  batch = [
    ...Object.values(hh).map((p) => record(producerImage(p))),
    // A household's sale 10 days ago keeps it off the list; one 120 days ago does not.
    record(order('PRG-1', iso(10 * DAY), hh.recent.id)),
    record(order('PRG-2', iso(120 * DAY), hh.old.id)),
    record(inReview),
    record(product('p-done', 'in_review', iso(9 * DAY), hh.old.id)),
    record(reviewedThenPublished, product('p-done', 'in_review', iso(9 * DAY), hh.old.id)),
    record(certificate('c-soon', 'p-review', EXPIRING_ON, true)),
    record(certificate('c-later', 'p-review', date(100 * DAY), true)),
    record(certificate('c-unverified', 'p-review', date(20 * DAY), false)),
  ];
  const applied = await applyStatsRecords(batch, now);
  expect(applied.failedAt, String(applied.error)).toBeUndefined();
}, 60_000);

const get = (token: string | undefined, query = '') =>
  sendTo(report, `/api/admin/programme-report${query}`, token ? { token } : {});
const put = (token: string, body: unknown) =>
  sendTo(targets, '/api/admin/programme-targets', { token, body: JSON.stringify(body) });

describe('admins only', () => {
  it('refuses a shopper, a household, a cooperative manager (403) and anyone signed out (401)', async () => {
    expect((await get(undefined)).status).toBe(401);
    for (const token of [world.shopper.token, world.actors.member.token, world.actors.managerA.token]) {
      const answer = await get(token);
      expect(answer.status, answer.text).toBe(403);
      expect(answer.text).not.toContain('hh-never');
      expect((await get(token, '?format=csv')).status).toBe(403);
      expect((await put(token, { monthlyHouseholds: 1 })).status).toBe(403);
    }
  });
});

describe('the targets', () => {
  it('are validated strictly, with messages in Vietnamese', async () => {
    const admin = world.actors.admin.token;
    const unknownField = await put(admin, { monthlyHouseholds: 2, extra: 1 });
    expect(unknownField.status).toBe(400);
    const negative = await put(admin, { monthlyHouseholds: -1 });
    expect(negative.status).toBe(400);
    expect(negative.text).toContain('Chỉ tiêu không được âm');
    const noCommune = await put(admin, {
      monthlyHouseholds: 2,
      communes: [{ code: '99999', monthlyHouseholds: 1 }],
    });
    expect(noCommune.status).toBe(400);
    expect(noCommune.text).toContain('Không có xã với mã này');
    const twice = await put(admin, {
      monthlyHouseholds: 2,
      communes: [
        { code: COMMUNE_A, monthlyHouseholds: 1 },
        { code: COMMUNE_A, monthlyHouseholds: 3 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('Mỗi xã chỉ ghi một lần');
  });

  it('are saved: a default, and a commune of its own', async () => {
    const saved = await put(world.actors.admin.token, {
      monthlyHouseholds: 2,
      communes: [{ code: COMMUNE_A, monthlyHouseholds: 5 }],
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toEqual({
      monthlyHouseholds: 2,
      communes: [{ code: COMMUNE_A, monthlyHouseholds: 5 }],
    });
  });
});

describe('the report', () => {
  it('has the figures of the seeded set', async () => {
    const answer = await get(world.actors.admin.token);
    expect(answer.status, answer.text).toBe(200);
    const body = ProgrammeReport.parse(answer.body);
    // Verified households by the month of their verification, against the targets.
    expect(body.onboarding.map((r) => [r.month, r.communeCode, r.onboarded, r.target])).toEqual([
      ['2026-03', COMMUNE_B, 1, 2],
      ['2026-02', COMMUNE_A, 3, 5],
    ]);
    expect(body.listingsAwaitingReview).toEqual([
      expect.objectContaining({
        productId: 'p-review',
        name: 'Chè p-review',
        producerName: 'Hộ hh-old',
        ageDays: 5,
      }),
    ]);
    expect(body.expiringCertificates).toEqual([
      expect.objectContaining({
        certificateId: 'c-soon',
        productName: 'Chè p-review',
        expiresOn: EXPIRING_ON,
        daysLeft: 30,
      }),
    ]);
    // Never sold first, then the oldest sale; the pending household is not on the exchange.
    expect(body.householdsWithoutSale.map((h) => [h.producerId, h.daysSinceSale])).toEqual([
      ['hh-never', null],
      ['hh-b', null],
      ['hh-old', 120],
    ]);
    expect(body.householdsWithoutSale[0]).toMatchObject({ name: 'Hộ hh-never', phone: hh.never.phone });
  });

  it('moves a household off the list when it sells, and is unchanged by a retried batch', async () => {
    const before = (await get(world.actors.admin.token)).body;
    const again = await applyStatsRecords(batch, now);
    expect(again.failedAt).toBeUndefined();
    const after = (await get(world.actors.admin.token)).body;
    expect({ ...after, generatedAt: '' }).toEqual({ ...before, generatedAt: '' });

    await applyStatsRecords([record(order('PRG-3', iso(2 * DAY), hh.old.id))], now);
    // An older sale seen late does not move the last sale back.
    await applyStatsRecords([record(order('PRG-4', iso(200 * DAY), hh.old.id))], now);
    const sold = ProgrammeReport.parse((await get(world.actors.admin.token)).body);
    expect(sold.householdsWithoutSale.map((h) => h.producerId)).toEqual(['hh-never', 'hh-b']);
  });

  it('downloads as CSV: one header, a row per table line, a section column', async () => {
    const answer = await get(world.actors.admin.token, '?format=csv');
    expect(answer.status).toBe(200);
    const lines = answer.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(PROGRAMME_CSV_HEADER.join(','));
    expect(lines.at(-1)).toBe('');
    const sections = lines.slice(1, -1).map((l) => l.split(',')[0]);
    expect(sections).toEqual(['onboarding', 'onboarding', 'review', 'certificate', 'no_sale', 'no_sale']);
    const onboardingA = lines.find((l) => l.startsWith(`onboarding,${COMMUNE_A},`))!;
    expect(onboardingA.split(',').slice(7)).toEqual(['2026-02', '3', '5', '']);
    const never = lines.find((l) => l.startsWith('no_sale,hh-never,'))!.split(',');
    // Quoted against spreadsheet formulas (a leading +), as every CSV of the exchange.
    expect(never[3]).toBe(`'${hh.never.phone}`);
    expect(never[7]).toBe('');
    expect((await get(world.actors.admin.token, '?format=xml')).status).toBe(400);
    expect((await get(world.actors.admin.token, '?x=1')).status).toBe(400);
  });
});
