/**
 * OpenAPI 3.1 from the zod schemas, with zod's own JSON Schema output (no extra generator in the
 * bundle). Schemas with a `.meta({ id })` become shared components referenced by `$ref`.
 */
import * as z from 'zod';
import type { Operation } from './http.ts';
import { ROUTES } from './routes.ts';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Json;
  let text = JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/');
  let parsed = JSON.parse(text) as Json & { $defs?: Json };
  // A named schema whose request shape differs from its response shape (a transform, a default)
  // gets a second component, `<Name>Input` or `<Name>Output`, and the references follow it; a
  // schema that refers to a renamed one differs too, so repeat until nothing changes.
  const renamed = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, definition] of Object.entries(parsed.$defs ?? {})) {
      if (renamed.has(name) || !differs(components[name], definition)) continue;
      const other = `${name}${io === 'input' ? 'Input' : 'Output'}`;
      renamed.set(name, other);
      text = text.replaceAll(`"#/components/schemas/${name}"`, `"#/components/schemas/${other}"`);
      parsed = JSON.parse(text) as Json & { $defs?: Json };
      changed = true;
    }
  }
  const { $schema: _ignored, $defs, ...root } = parsed;
  for (const [name, definition] of Object.entries($defs ?? {})) {
    addComponent(components, renamed.get(name) ?? name, definition);
  }
  const registered = z.globalRegistry.get(schema)?.id;
  if (!registered) return root;
  const id = renamed.get(registered) ?? registered;
  // zod puts a named root in $defs and answers `{ $ref }` to it: storing that answer under the
  // same name would make the component a reference to itself, unreadable by any tool.
  const ref = `#/components/schemas/${id}`;
  if (root.$ref !== ref) addComponent(components, id, root);
  return { $ref: ref };
}

const differs = (existing: unknown, definition: unknown) =>
  existing !== undefined && JSON.stringify(existing) !== JSON.stringify(definition);

/** One definition per name: two shapes under one name would make one of them a lie. */
function addComponent(components: Json, name: string, definition: unknown): void {
  if (differs(components[name], definition)) {
    throw new Error(`Schema ${name} has two different shapes in the OpenAPI document`);
  }
  components[name] = definition;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Json): Json[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input', components) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

export function openApiDocument(
  operations: readonly Operation[],
  info: { title: string; version: string; description: string },
): Json {
  const components: Json = {};
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema
            ? {
                content: {
                  [r.contentType ?? 'application/json']: {
                    schema: jsonSchema(r.schema, 'output', components),
                  },
                },
              }
            : {}),
        },
      ]),
    );
    // The route's access rule, as the guard applies it: no token, or a bearer token (admins only
    // on admin routes, said in the description as OpenAPI has no roles for bearer tokens).
    const auth = ROUTES.find((r) => r.operationId === op.operationId)?.auth ?? 'signedIn';
    const description = [op.description, auth === 'admin' ? 'Admins only.' : undefined]
      .filter(Boolean)
      .join(' ');
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(description ? { description } : {}),
      security: auth === 'public' ? [] : [{ bearerAuth: [] }],
      parameters: [
        ...parameters(op.request?.param, 'path', components),
        ...parameters(op.request?.query, 'query', components),
      ],
      ...(op.request?.json
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.request.json, 'input', components) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } },
    servers: [{ url: '/', description: 'The exchange this document is served from' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The accessToken answered by verifySignIn',
        },
      },
    },
  };
}
