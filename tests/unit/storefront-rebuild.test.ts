/**
 * The storefront rebuild's decisions (functions/site-rebuild): which stream records change a
 * static page, whether a build already covers them, and the StartBuild sequence with a fake
 * CodeBuild.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  buildSummary,
  catalogChanges,
  CLOCK_MARGIN_MS,
  planBuild,
  type BuildSummary,
} from '../../functions/site-rebuild/decide.ts';
import { POLL_MS, rebuildForChanges, type BuildApi } from '../../functions/site-rebuild/rebuild.ts';

// ---- stream records -------------------------------------------------------------------------

function attribute(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  return { M: image(value as Record<string, unknown>) };
}
function image(item: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, attribute(v)]));
}

const AT = 1_760_000_000; // stream time, whole seconds

function record(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  at = AT,
): DynamoDBRecord {
  const item = (after ?? before)!;
  return {
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    dynamodb: {
      ApproximateCreationDateTime: at,
      Keys: { pk: { S: String(item.pk) }, sk: { S: String(item.sk) } },
      ...(before ? { OldImage: image(before) } : {}),
      ...(after ? { NewImage: image(after) } : {}),
    },
  };
}

const product = {
  pk: 'PRODUCT#p1',
  sk: 'PRODUCT',
  type: 'product',
  id: 'p1',
  slug: 'che-tan-cuong',
  producerId: 'h1',
  category: 'che',
  name: { vi: 'Chè Tân Cương', en: 'Tan Cuong tea' },
  description: { vi: 'Chè búp', en: 'Tea buds' },
  images: [{ id: 'i1', alt: 'Chè' }],
  status: 'published',
  updatedAt: '2025-05-01T00:00:00.000Z',
  searchName: 'che tan cuong',
};
const pack = { pk: 'PRODUCT#p1', sk: 'VARIANT#v1', type: 'variant', grams: 200, price: 180_000, stock: 10 };
const certificate = {
  pk: 'PRODUCT#p1',
  sk: 'OCOP#c1',
  type: 'ocop',
  stars: 4,
  decisionNumber: '2361/QĐ-UBND',
  decisionDate: '2024-03-01',
  issuer: 'UBND tỉnh Thái Nguyên',
  verified: false,
};
const producer = {
  pk: 'PRODUCER#h1',
  sk: 'PRODUCER',
  type: 'producer',
  slug: 'ho-nguyen-van-thanh',
  kind: 'household',
  name: 'Hộ Nguyễn Văn Thành',
  address: { communeCode: '05500', detail: 'Xóm 1' },
  verification: { status: 'verified' },
  updatedAt: '2025-05-01T00:00:00.000Z',
};

const whatOf = (records: DynamoDBRecord[]) => catalogChanges(records).map((c) => c.what);

describe('catalogChanges: what a static page would show differently', () => {
  it('ignores drafts, whatever changes in them', () => {
    const draft = { ...product, status: 'draft' };
    expect(whatOf([record(undefined, draft)])).toEqual([]);
    expect(whatOf([record(draft, { ...draft, name: { vi: 'Chè mới', en: 'New tea' } })])).toEqual([]);
    expect(whatOf([record({ ...draft, status: 'in_review' }, draft)])).toEqual([]);
  });

  it('sees a product published, unpublished or deleted', () => {
    expect(whatOf([record({ ...product, status: 'in_review' }, product)])).toEqual(['published']);
    expect(whatOf([record(product, { ...product, status: 'archived' })])).toEqual(['unpublished (archived)']);
    expect(whatOf([record(product, undefined)])).toEqual(['deleted']);
  });

  it('sees what a published product page shows, not bookkeeping', () => {
    expect(whatOf([record(product, { ...product, updatedAt: '2025-06-01T00:00:00.000Z' })])).toEqual([]);
    expect(
      whatOf([record(product, { ...product, name: { ...product.name, vi: 'Chè Tân Cương đặc biệt' } })]),
    ).toEqual(['changed: name']);
    expect(
      whatOf([record(product, { ...product, images: [...product.images, { id: 'i2', alt: 'Ấm' }] })]),
    ).toEqual(['changed: images']);
  });

  it('compares maps regardless of key order', () => {
    const reordered = { ...product, name: { en: 'Tan Cuong tea', vi: 'Chè Tân Cương' } };
    expect(whatOf([record(product, reordered)])).toEqual([]);
  });

  it('sees pack prices and sizes, and stock only when it crosses zero', () => {
    expect(whatOf([record(pack, { ...pack, stock: 9 })])).toEqual([]);
    expect(whatOf([record({ ...pack, stock: 1 }, { ...pack, stock: 0 })])).toEqual(['pack sold out']);
    expect(whatOf([record({ ...pack, stock: 0 }, { ...pack, stock: 5 })])).toEqual(['pack back in stock']);
    expect(whatOf([record(pack, { ...pack, price: 190_000, stock: 8 })])).toEqual(['pack price']);
    expect(whatOf([record(undefined, pack)])).toEqual(['pack added']);
    expect(whatOf([record(pack, undefined)])).toEqual(['pack removed']);
  });

  it('sees OCOP badges appear and disappear; unverified certificates show nothing', () => {
    expect(whatOf([record(undefined, certificate)])).toEqual([]);
    const verified = { ...certificate, verified: true };
    expect(whatOf([record(certificate, verified)])).toEqual(['certificate verified']);
    expect(whatOf([record(verified, { ...verified, stars: 5 })])).toEqual(['changed: stars']);
    expect(whatOf([record(verified, undefined)])).toEqual(['certificate removed']);
  });

  it('sees verified producers change, not pending ones', () => {
    const pending = { ...producer, verification: { status: 'pending' } };
    expect(whatOf([record(pending, { ...pending, name: 'Hộ Nguyễn Văn Thành (Tân Cương)' })])).toEqual([]);
    expect(whatOf([record(pending, producer)])).toEqual(['producer verified']);
    expect(whatOf([record(producer, { ...producer, name: 'Hộ Nguyễn Văn Thành (Tân Cương)' })])).toEqual([
      'changed: name',
    ]);
    expect(whatOf([record(producer, { ...producer, updatedAt: '2025-07-01T00:00:00.000Z' })])).toEqual([]);
  });

  it('ignores every other item of the table', () => {
    const lot = { pk: 'PRODUCT#p1', sk: 'LOT#l1', type: 'lot', harvestDate: '2025-04-01' };
    const order = { pk: 'ORDER#o1', sk: 'ORDER', status: 'placed' };
    expect(whatOf([record(undefined, lot), record(undefined, order)])).toEqual([]);
  });

  it('keeps the item key and the write time (ms)', () => {
    const [change] = catalogChanges([record(pack, { ...pack, price: 1 }, AT + 7)]);
    expect(change).toMatchObject({ kind: 'pack', key: 'PRODUCT#p1', at: (AT + 7) * 1000 });
  });
});

// ---- builds ---------------------------------------------------------------------------------

const CHANGE_AT = AT * 1000;
const build = (over: Partial<BuildSummary>): BuildSummary => ({ id: 'b1', status: 'SUCCEEDED', ...over });

describe('planBuild: is a build needed?', () => {
  it('starts one when there is no build yet, or the last one is older than the change', () => {
    expect(planBuild(CHANGE_AT, [])).toEqual({ action: 'start' });
    expect(planBuild(CHANGE_AT, [build({ readsCatalogFrom: CHANGE_AT - 60_000 })])).toEqual({
      action: 'start',
    });
  });

  it('skips when a running build has not read the catalog yet', () => {
    for (const currentPhase of ['QUEUED', 'PROVISIONING', 'INSTALL', 'PRE_BUILD', undefined]) {
      expect(planBuild(CHANGE_AT, [build({ status: 'IN_PROGRESS', currentPhase })]).action).toBe('skip');
    }
  });

  it('skips when a build began reading the catalog after the change', () => {
    const later = CHANGE_AT + CLOCK_MARGIN_MS;
    expect(planBuild(CHANGE_AT, [build({ readsCatalogFrom: later })]).action).toBe('skip');
    expect(
      planBuild(CHANGE_AT, [build({ status: 'IN_PROGRESS', currentPhase: 'BUILD', readsCatalogFrom: later })])
        .action,
    ).toBe('skip');
  });

  it('waits for a running build that may have read the catalog before the change', () => {
    const running = build({ id: 'b2', status: 'IN_PROGRESS', currentPhase: 'BUILD' });
    expect(planBuild(CHANGE_AT, [{ ...running, readsCatalogFrom: CHANGE_AT - 1 }])).toEqual({
      action: 'wait',
      buildId: 'b2',
    });
    // Within the clock margin counts as "maybe before".
    expect(planBuild(CHANGE_AT, [{ ...running, readsCatalogFrom: CHANGE_AT + 1_000 }]).action).toBe('wait');
  });

  it('does not count a failed build as covering anything', () => {
    expect(planBuild(CHANGE_AT, [build({ status: 'FAILED', readsCatalogFrom: CHANGE_AT + 60_000 })])).toEqual(
      {
        action: 'start',
      },
    );
  });

  it('reads CodeBuild builds: status, phase and when the BUILD phase began', () => {
    expect(
      buildSummary({
        id: 'tn-site:1',
        buildStatus: 'IN_PROGRESS',
        currentPhase: 'POST_BUILD',
        phases: [
          { phaseType: 'INSTALL', startTime: new Date(1_000) },
          { phaseType: 'BUILD', startTime: new Date(5_000) },
        ],
      }),
    ).toEqual({
      id: 'tn-site:1',
      status: 'IN_PROGRESS',
      currentPhase: 'POST_BUILD',
      readsCatalogFrom: 5_000,
    });
    expect(buildSummary({ id: 'x', buildStatus: 'IN_PROGRESS', currentPhase: 'QUEUED' })).toEqual({
      id: 'x',
      status: 'IN_PROGRESS',
      currentPhase: 'QUEUED',
    });
  });
});

// ---- the sequence, against a fake CodeBuild -------------------------------------------------

function fakeCodeBuild(script: { builds: BuildSummary[][]; start?: (() => string)[] }) {
  const calls: string[] = [];
  let look = 0;
  let start = 0;
  const api: BuildApi = {
    async recentBuilds() {
      calls.push('list');
      return script.builds[Math.min(look++, script.builds.length - 1)]!;
    },
    async startBuild() {
      calls.push('start');
      const next = script.start?.[start++];
      return next ? next() : 'tn-site:new';
    },
  };
  let remaining = 600_000;
  const deps = {
    api,
    remainingMs: () => remaining,
    sleep: async (ms: number) => {
      calls.push(`sleep ${ms}`);
      remaining -= ms;
    },
  };
  return { deps, calls, setRemaining: (ms: number) => (remaining = ms) };
}

const soldOut = [record({ ...pack, stock: 1 }, { ...pack, stock: 0 })];

describe('rebuildForChanges', () => {
  it('makes no call at all when nothing visible changed', async () => {
    const fake = fakeCodeBuild({ builds: [[]] });
    await expect(rebuildForChanges([record(pack, { ...pack, stock: 3 })], fake.deps)).resolves.toEqual({
      result: 'unchanged',
      records: 1,
    });
    expect(fake.calls).toEqual([]);
  });

  it('starts a build when none covers the change', async () => {
    const fake = fakeCodeBuild({ builds: [[build({ readsCatalogFrom: CHANGE_AT - 3_600_000 })]] });
    const outcome = await rebuildForChanges(soldOut, fake.deps);
    expect(outcome).toMatchObject({ result: 'started', buildId: 'tn-site:new' });
    expect(fake.calls).toEqual(['list', 'start']);
  });

  it('does not start a second build while one that will see the change runs', async () => {
    const fake = fakeCodeBuild({ builds: [[build({ status: 'IN_PROGRESS', currentPhase: 'INSTALL' })]] });
    expect(await rebuildForChanges(soldOut, fake.deps)).toMatchObject({ result: 'covered', buildId: 'b1' });
    expect(fake.calls).toEqual(['list']);
  });

  it('waits for a build that read the catalog too early, then starts the next one', async () => {
    const early = build({
      status: 'IN_PROGRESS',
      currentPhase: 'BUILD',
      readsCatalogFrom: CHANGE_AT - 5_000,
    });
    const fake = fakeCodeBuild({
      builds: [[early], [{ ...early, currentPhase: 'POST_BUILD' }], [{ ...early, status: 'SUCCEEDED' }]],
    });
    expect(await rebuildForChanges(soldOut, fake.deps)).toMatchObject({ result: 'started' });
    expect(fake.calls).toEqual(['list', `sleep ${POLL_MS}`, 'list', `sleep ${POLL_MS}`, 'list', 'start']);
  });

  it('treats "one build at a time" from StartBuild as a race lost to a fresh build', async () => {
    const limit = () => {
      throw Object.assign(new Error('Cannot have more than 1 builds in queue for the project'), {
        name: 'AccountLimitExceededException',
      });
    };
    const fake = fakeCodeBuild({
      builds: [[], [build({ id: 'b9', status: 'IN_PROGRESS', currentPhase: 'PROVISIONING' })]],
      start: [limit],
    });
    expect(await rebuildForChanges(soldOut, fake.deps)).toMatchObject({ result: 'covered', buildId: 'b9' });
    expect(fake.calls).toEqual(['list', 'start', `sleep ${POLL_MS}`, 'list']);
  });

  it('fails the batch (to be retried) when the running build outlasts the invocation', async () => {
    const early = build({
      status: 'IN_PROGRESS',
      currentPhase: 'BUILD',
      readsCatalogFrom: CHANGE_AT - 5_000,
    });
    const fake = fakeCodeBuild({ builds: [[early]] });
    fake.setRemaining(3 * POLL_MS);
    await expect(rebuildForChanges(soldOut, fake.deps)).rejects.toThrow(/Still waiting for b1/);
    expect(fake.calls.filter((c) => c === 'start')).toEqual([]);
  });

  it('lets other CodeBuild errors through', async () => {
    const fake = fakeCodeBuild({
      builds: [[]],
      start: [
        () => {
          throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
        },
      ],
    });
    await expect(rebuildForChanges(soldOut, fake.deps)).rejects.toThrow('not authorized');
  });
});
