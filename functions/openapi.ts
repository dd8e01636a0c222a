/**
 * OpenAPI 3.1 from the zod schemas, with zod's own JSON Schema output (no extra generator in the
 * bundle). Schemas with a `.meta({ id })` become shared components referenced by `$ref`.
 */
import * as z from 'zod';
import type { Operation } from './http.ts';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Json;
  const text = JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $schema: _ignored, $defs, ...root } = JSON.parse(text) as Json & { $defs?: Json };
  Object.assign(components, $defs ?? {});
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) return root;
  components[id] = root;
  return { $ref: `#/components/schemas/${id}` };
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
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
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
  return { openapi: '3.1.0', info, paths, components: { schemas: components } };
}
