/**
 * `npx tsx tests/bench/catalog-heap.ts --data-dir DIR [--runs N]`: the catalog function's memory
 * on a catalog seeded by `npm run seed:scale`, in a fresh process that loads only the bundled
 * catalog app (as the catalog bench's RSS figure, tests/bench/catalog-scale.ts), then what its
 * heap holds: a heap snapshot summed by constructor (self size), the heaviest first. RSS and heap
 * are the medians of `--runs` processes (default 3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { localConfig } from '../../infra/local/services.ts';
import { catalogRss } from './catalog-scale.ts';

interface HeapSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Strings by the property that holds them (`description`, `searchText`, …: the first property
 * edge found to each string), with how many distinct values they hold: a property whose strings
 * repeat one value many times is a candidate for interning.
 */
export function stringsByProperty(
  file: string,
): { property: string; bytes: number; count: number; distinct: number }[] {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const { node_fields: nf, node_types, edge_fields: ef, edge_types } = heap.snapshot.meta;
  const types = node_types[0];
  const edgeTypes = edge_types[0];
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    nf.indexOf(f),
  );
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f));
  const owner = new Map<number, string>();
  let edge = 0;
  for (let i = 0; i < heap.nodes.length; i += nf.length) {
    const edges = heap.nodes[i + edgeCountAt!]!;
    for (let e = 0; e < edges; e++, edge += ef.length) {
      const to = heap.edges[edge + toAt!]!;
      if (!/string/.test(types[heap.nodes[to + typeAt!]!]!) || owner.has(to)) continue;
      const kind = edgeTypes[heap.edges[edge + edgeTypeAt!]!];
      const name =
        kind === 'property'
          ? heap.strings[heap.edges[edge + edgeNameAt!]!]!
          : kind === 'element'
            ? '[element]'
            : `(${kind})`;
      owner.set(to, name);
    }
  }
  const sums = new Map<string, { bytes: number; count: number; values: Set<string> }>();
  for (let i = 0; i < heap.nodes.length; i += nf.length) {
    if (!/string/.test(types[heap.nodes[i + typeAt!]!]!)) continue;
    const property = owner.get(i) ?? '(no owner)';
    const sum = sums.get(property) ?? { bytes: 0, count: 0, values: new Set<string>() };
    sum.bytes += heap.nodes[i + sizeAt!]!;
    sum.count += 1;
    sum.values.add(heap.strings[heap.nodes[i + nameAt!]!]!);
    sums.set(property, sum);
  }
  return [...sums]
    .map(([property, s]) => ({ property, bytes: s.bytes, count: s.count, distinct: s.values.size }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Self sizes of a heap snapshot summed by node type and constructor name. */
export function heapByConstructor(file: string): { name: string; bytes: number; count: number }[] {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const sums = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt!]!]!;
    // Strings by kind (their text is no name); objects by constructor; the rest by type and name.
    const name = /string/.test(type)
      ? `(${type})`
      : type === 'object'
        ? heap.strings[heap.nodes[i + nameAt!]!]!
        : `(${type}) ${heap.strings[heap.nodes[i + nameAt!]!]!.slice(0, 40)}`;
    const sum = sums.get(name) ?? { bytes: 0, count: 0 };
    sum.bytes += heap.nodes[i + sizeAt!]!;
    sum.count += 1;
    sums.set(name, sum);
  }
  return [...sums].map(([name, s]) => ({ name, ...s })).sort((a, b) => b.bytes - a.bytes);
}

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, runs: { type: 'string' } } });
const dataDir = values['data-dir'];
if (!dataDir) throw new Error('--data-dir DIR: a folder seeded by npm run seed:scale');
const runs = Number(values.runs ?? 3);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dynamodb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
const work = mkdtempSync(join(tmpdir(), 'catalog-heap-'));
try {
  const { tableName } = localConfig({ dynamodbEndpoint: dynamodb.endpoint, region: 'local' });
  const figures: Awaited<ReturnType<typeof catalogRss>>[] = [];
  for (let i = 0; i < runs; i++) {
    const last = i === runs - 1;
    figures.push(
      await catalogRss(
        dynamodb.endpoint,
        tableName,
        last ? { heapSnapshot: join(work, 'catalog.heapsnapshot') } : {},
      ),
    );
  }
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log(
    `catalog function after loading the catalog, ${runs} processes: RSS median ${median(figures.map((f) => f.rssMb)).toFixed(1)} MB ` +
      `(${figures.map((f) => f.rssMb.toFixed(1)).join(', ')}), heap used median ${median(figures.map((f) => f.heapMb)).toFixed(1)} MB ` +
      `(${figures.map((f) => f.heapMb.toFixed(1)).join(', ')}), heap committed median ${median(figures.map((f) => f.heapTotalMb)).toFixed(1)} MB, ` +
      `external median ${median(figures.map((f) => f.externalMb)).toFixed(1)} MB; load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
  );
  const top = heapByConstructor(join(work, 'catalog.heapsnapshot'));
  const total = top.reduce((sum, t) => sum + t.bytes, 0);
  console.log(`Heap snapshot: ${(total / 2 ** 20).toFixed(1)} MB in all; the heaviest 25 by self size:`);
  console.table(
    top.slice(0, 25).map((t) => ({ what: t.name, MB: (t.bytes / 2 ** 20).toFixed(2), count: t.count })),
  );
  console.log('Strings by the property that holds them, the heaviest 25:');
  console.table(
    stringsByProperty(join(work, 'catalog.heapsnapshot'))
      .slice(0, 25)
      .map((t) => ({
        property: t.property,
        MB: (t.bytes / 2 ** 20).toFixed(2),
        count: t.count,
        distinct: t.distinct,
      })),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  await dynamodb.stop();
}
