/**
 * Fuzzing from the OpenAPI document: for every documented operation, fast-check generates
 * requests (path ids of other parties' objects or made up, query values, JSON bodies shaped by the
 * operation's schema or not at all, broken JSON, odd content types, and the tokens of each kind of
 * caller, forged ones included) and sends them to the in-process functions on DynamoDB Local.
 * Every answer: never a 5xx, never a stack trace or an internal name; another party's object
 * is never handed over (401/403/404, or 400 for a request malformed before any object is read). Bounded: a fixed seed and
 * a fixed number of runs per operation.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../functions/routes.ts';
import { servedOpenApiDocument } from '../../infra/tools/api-types.ts';
import { createApiWorld, sendTo, type ApiWorld } from './api-world.ts';
import { recompose } from '../../infra/local/services.ts';
import { startIdentityProvider, type RunningIdentityProvider } from '../../infra/local/identity-provider.ts';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  enum?: unknown[];
};
type Operation = {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
};

const RUNS_PER_OPERATION = 12;
/** What an answer must never show: stack frames, source paths, store and SDK internals. */
const LEAKS =
  /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\/work\/|file:\/\/|DynamoDB|ConditionalCheckFailed|TransactionCanceled|ValidationException|ResourceNotFound|"pk"\s*:|"sk"\s*:|AccessDenied|TypeError|ReferenceError|SyntaxError: Unexpected|undefined is not|Cannot read prop/;

let world: ApiWorld;
let document: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
/** Real ids of objects that belong to `member` and cooperative A (the "other party" for most callers). */
let theirs: Record<string, string>;
/** The digital-identity routes run against a real local OpenID Connect provider, as in `npm start`. */
let identityProvider: RunningIdentityProvider;

beforeAll(async () => {
  world = await createApiWorld();
  const client = {
    clientId: 'tn-exchange',
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUris: ['http://127.0.0.1:9/dang-nhap/dinh-danh/'],
  };
  identityProvider = await startIdentityProvider({ port: 0, clients: [client] });
  recompose({
    identity: {
      issuer: identityProvider.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri: client.redirectUris[0]!,
      allowHttp: true,
    },
  });
  document = (await servedOpenApiDocument()) as typeof document;
  const created = await sendTo({ function: 'producers', method: 'POST' }, '/api/seller/products', {
    token: world.actors.member.token,
    body: JSON.stringify({
      category: 'che-non',
      name: { vi: 'Chè nõn của hộ thành viên' },
      description: { vi: 'Mô tả' },
      packs: [{ grams: 200, price: 180_000, stock: 10 }],
    }),
  });
  expect(created.status, created.text).toBe(201);
  theirs = {
    productId: created.body.id,
    producerId: world.member.id,
    cooperativeId: world.coopA.id,
    fulfillerId: world.coopA.id,
  };
});

afterAll(async () => {
  await identityProvider?.stop();
});

const resolve = (schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

/** A value for a schema: often of the right type, sometimes anything at all. */
function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const any = fc.jsonValue({ maxDepth: 2 });
  if (!s || depth > 3) return any;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const typed: fc.Arbitrary<unknown> | undefined = s.enum
    ? fc.constantFrom(...s.enum)
    : type === 'string'
      ? fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom('', ' ', '0912345678', '\u200b', '<script>', '../..'),
        )
      : type === 'integer' || type === 'number'
        ? fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1e15, 0.5))
        : type === 'boolean'
          ? fc.boolean()
          : type === 'array'
            ? fc.array(any, { maxLength: 3 })
            : type === 'object'
              ? bodyFor(s, depth + 1)
              : undefined;
  return typed ? fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: any }) : any;
}

function bodyFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const entries = Object.entries(s?.properties ?? {});
  if (entries.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }));
  return fc.record(Object.fromEntries(entries.map(([name, property]) => [name, valueFor(property, depth)])), {
    requiredKeys: [],
  });
}

const callers = () => ({
  anonymous: undefined,
  shopper: world.shopper.token,
  owner: world.actors.member.token,
  otherHousehold: world.actors.independent.token,
  otherManager: world.actors.managerB.token,
  rightManager: world.actors.managerA.token,
  admin: world.actors.admin.token,
  forged: `${world.actors.admin.token.slice(0, -6)}AAAAAA`,
  garbage: 'not-a-token',
});
type CallerName = keyof ReturnType<typeof callers>;
/** Callers who are not party to member's and cooperative A's objects. */
const STRANGERS: CallerName[] = [
  'anonymous',
  'shopper',
  'otherHousehold',
  'otherManager',
  'forged',
  'garbage',
];

function requestFor(route: RouteDefinition, op: Operation) {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content['application/json'].schema;
  return fc.record({
    caller: fc.constantFrom(...(Object.keys(callers()) as CallerName[])),
    ids: fc.record(
      Object.fromEntries(
        pathParams.map((p) => [
          p.name,
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(theirs[p.name] ?? 'x') },
            { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) },
            { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', 'a'.repeat(3000), 'TN-7K3Q9', '\u0000') },
          ),
        ]),
      ),
    ),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema)])), {
      requiredKeys: [],
    }),
    body: bodySchema
      ? fc.oneof(
          { weight: 4, arbitrary: bodyFor(bodySchema).map((b) => JSON.stringify(b)) },
          { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '[]', '{"__proto__":{"admin":true}}') },
        )
      : fc.option(fc.constantFrom('{}', '{"x":1}', 'garbage'), { nil: undefined }),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
    ),
    idempotencyKey: fc.option(fc.string({ minLength: 1, maxLength: 80 }), { nil: undefined }),
  });
}

describe('fuzzing every documented operation', () => {
  const documented = ROUTES.filter((r) => !['openApiDocument', 'apiDocs'].includes(r.operationId));

  for (const route of documented) {
    it(`${route.operationId}: no 5xx, no leaks, no other party's objects`, async () => {
      const op = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.operationId} is documented`).toBeDefined();
      await fc.assert(
        fc.asyncProperty(requestFor(route, op!), async (r) => {
          const ids = r.ids as Record<string, string>;
          let path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
            encodeURIComponent(ids[name] ?? 'x'),
          );
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(r.query)) {
            if (value !== undefined)
              query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
          }
          if ([...query].length) path += `?${query}`;
          const token = callers()[r.caller];
          // fetch sends no body with GET.
          const body = route.method === 'GET' ? undefined : r.body;
          const answer = await sendTo(route, path, {
            ...(token ? { token } : {}),
            ...(body !== undefined ? { body } : {}),
            headers: {
              ...(body !== undefined ? { 'content-type': r.contentType } : {}),
              ...(r.idempotencyKey ? { 'idempotency-key': r.idempotencyKey } : {}),
            },
          });
          const what = `${route.method} ${path} as ${r.caller}: ${answer.status} ${answer.text.slice(0, 300)}`;
          expect(answer.status, what).toBeLessThan(500);
          expect(answer.text, what).not.toMatch(LEAKS);
          const aimsAtTheirs = Object.entries(ids).some(([name, value]) => theirs[name] === value);
          if (route.auth !== 'public' && aimsAtTheirs && STRANGERS.includes(r.caller)) {
            // 401/403/404, or 400 when the request is malformed before anyone's object is read.
            expect([400, 401, 403, 404], what).toContain(answer.status);
            if (answer.status === 400) expect(answer.body?.error?.code, what).toBe('request.invalid');
          }
        }),
        { numRuns: RUNS_PER_OPERATION, seed: 20_261_205, endOnFailure: true },
      );
    });
  }
});
