import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogCache } from '../../functions/catalog/app.ts';
import { handler } from '../../functions/catalog/handler.ts';
import { seedDemoData } from '../../infra/local/demo/seed.ts';
import { fileMediaStore } from '../../infra/local/media-store.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Parameters<
    typeof handler
  >[0];
const context = { awsRequestId: 'test', functionName: 'catalog' } as Context;
const invoke = async (name: string) => (await handler(fixture(name), context)) as APIGatewayProxyResult;

beforeAll(async () => {
  await seedDemoData(fileMediaStore(mkdtempSync(join(tmpdir(), 'media-'))));
  catalogCache.clear();
}, 60_000);

describe('catalog Lambda entry with API Gateway v2 events', () => {
  it('lists products for a Vietnamese search query', async () => {
    const result = await invoke('apigw-v2-list-products');
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toContain('application/json');
    const body = JSON.parse(result.body) as { items: { slug: string }[]; nextCursor: string | null };
    expect(body.items).toHaveLength(2);
    expect(body.items[0]?.slug).toMatch(/tan-cuong/);
    expect(body.nextCursor).not.toBeNull();
  });

  it('returns a product by slug', async () => {
    const result = await invoke('apigw-v2-get-product');
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      slug: 'che-dinh-tan-cuong-thuong-hang',
      ocop: { stars: 5 },
    });
  });

  it('answers 400, not 500, to bad input', async () => {
    const result = await invoke('apigw-v2-bad-query');
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('request.invalid');
  });
});
