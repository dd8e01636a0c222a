/**
 * A readable page for the OpenAPI document, rendered on the server with no external scripts
 * (the local runtime has no internet, and the docs should work offline).
 */
type Doc = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation | undefined> | undefined>;
  components?: { schemas?: Record<string, Schema> };
};
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
};
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
  responses?: Record<string, { description?: string }>;
};

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function schemaType(schema: unknown): string {
  const s = schema as Schema | undefined;
  if (s?.$ref) return s.$ref.replace('#/components/schemas/', '');
  if (s?.enum) return s.enum.map(String).join(' | ');
  return Array.isArray(s?.type) ? s.type.join(' | ') : (s?.type ?? '');
}

/** The request body's fields (one level, named schemas by name), so readers see what to send. */
function bodyTable(op: Operation, schemas: Record<string, Schema>): string {
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (!body) return '';
  const name = body.$ref?.replace('#/components/schemas/', '');
  const schema = name ? schemas[name] : body;
  const rows = Object.entries(schema?.properties ?? {})
    .map(
      ([field, property]) =>
        `<tr><td><code>${escape(field)}</code></td><td>${schema?.required?.includes(field) ? 'yes' : ''}</td><td>${escape(schemaType(property))}</td><td>${escape(property.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<p>Body${name ? ` <code>${escape(name)}</code>` : ''} (JSON; unknown fields are refused):</p>
<table><thead><tr><th>Field</th><th>Required</th><th>Type</th><th>About</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function apiDocsPage(document: { info: Doc['info']; paths?: object; components?: object }): string {
  const doc = document as Doc;
  const schemas = doc.components?.schemas ?? {};
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods ?? {}).map(([method, op]) => ({ path, method, op: op ?? {} })),
  );
  const sections = operations
    .map(({ path, method, op }) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td><td>${escape(schemaType(p.schema))}</td></tr>`,
        )
        .join('');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><code>${status}</code> ${escape(r.description ?? '')}</li>`)
        .join('');
      return `<section id="${escape(op.operationId ?? '')}">
<h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
<p><strong>${escape(op.operationId ?? '')}</strong> — ${escape(op.summary ?? '')}${op.security?.length ? ' <em>(Authorization: Bearer)</em>' : ''}</p>
${op.description ? `<p>${escape(op.description)}</p>` : ''}
${params ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Type</th></tr></thead><tbody>${params}</tbody></table>` : ''}
${bodyTable(op, schemas)}
<ul>${responses}</ul></section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(doc.info.title)} — API reference</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1f2a1f}h2{font-size:1.1rem;margin-top:2rem}.m{background:#2f6b3a;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.9rem}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.2rem .5rem;text-align:left}code{font-size:.95em}</style>
</head><body><h1>${escape(doc.info.title)} <small>v${escape(doc.info.version)}</small></h1>
<p>${escape(doc.info.description ?? '')}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav><ul>${operations.map(({ op }) => `<li><a href="#${escape(op.operationId ?? '')}">${escape(op.operationId ?? '')}</a></li>`).join('')}</ul></nav>
${sections}</body></html>`;
}
