/**
 * The OpenAPI document served at /api/openapi.json is readable by standard tools: every schema
 * resolves (no component is a reference to itself), Redocly's recommended rules pass, and
 * openapi-typescript generates the site's API types from it, identical to the checked-in file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.ts';
import { buildApiDocument } from '../../functions/api-document.ts';
import { API_TYPES_FILE, apiTypesSource, servedOpenApiDocument } from '../../infra/tools/api-types.ts';

type Json = Record<string, unknown>;
let document: Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Json } };

beforeAll(async () => {
  document = (await servedOpenApiDocument()) as typeof document;
});

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => refs(item, `${at}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [{ at, ref: inner }] : refs(inner, `${at}/${key}`),
  );
}

describe('OpenAPI document', () => {
  it('has no schema that is a reference to itself, and every reference resolves', () => {
    const schemas = document.components.schemas as Record<string, Json>;
    expect(Object.keys(schemas).length).toBeGreaterThan(30);
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema.$ref, name).not.toBe(`#/components/schemas/${name}`);
    }
    for (const { at, ref } of refs(document)) {
      expect(ref, at).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.slice('#/components/schemas/'.length)], `${at} → ${ref}`).toBeDefined();
    }
    // Request bodies are real schemas a client can read.
    const create = schemas.CreateProduct as { type?: string; properties?: Json };
    expect(create.type).toBe('object');
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(['name', 'packs']));
    expect((schemas.Decision as { type?: string }).type).toBe('object');
  });

  it('documents every route with the route’s access rule as its security', () => {
    // The document and its page describe the others, not themselves.
    for (const route of ROUTES.filter((r) => !['openApiDocument', 'apiDocs'].includes(r.operationId))) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
      expect(operation?.security).toEqual(route.auth === 'public' ? [] : [{ bearerAuth: [] }]);
    }
  });

  it('shows each request body’s fields on /api/docs', async () => {
    const { app } = await import('../../functions/catalog/app.ts');
    const page = await (await app.request('/api/docs')).text();
    const section = page.slice(page.indexOf('<section id="createProduct">'));
    expect(section).toContain('Body <code>CreateProduct</code>');
    expect(section.slice(0, section.indexOf('</section>'))).toContain('<code>packs</code>');
  });

  it('passes Redocly’s recommended rules', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      rules: {
        // The API is the exchange's own; it publishes no licence.
        'info-license': 'off',
        // The health check and VNPay's callbacks answer 200 to everything, by their protocols.
        'operation-4xx-response': 'off',
      },
    });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: '/api/openapi.json',
      config,
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it('is served as the operations give it: the catalog function’s copy is current (npm run api:types)', () => {
    // Compared decoded: Brotli's bytes may differ between Node releases, the document may not.
    expect(document, 'the served document is stale: run npm run api:types').toEqual(buildApiDocument());
  });

  it('generates the site’s API types, identical to site/src/api-types.ts (npm run api:types)', async () => {
    const generated = await apiTypesSource();
    expect(generated).toContain('CreateProduct: {');
    expect(generated, 'site/src/api-types.ts is stale: run npm run api:types').toBe(
      await readFile(API_TYPES_FILE, 'utf8'),
    );
  }, 60_000);

  it('keeps the operations’ documentation (*.doc.ts) out of every function: only the document builder imports it', async () => {
    const root = new URL('../../functions/', import.meta.url).pathname;
    const files = (await readdir(root, { recursive: true }))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(root, f));
    const importers: string[] = [];
    for (const file of files) {
      const name = relative(root, file);
      if (name === 'api-document.ts' || name.endsWith('.doc.ts')) continue;
      if (/(from|import)\s*'[^']+\.doc\.ts'/.test(await readFile(file, 'utf8'))) importers.push(name);
    }
    expect(importers).toEqual([]);
  });
});
