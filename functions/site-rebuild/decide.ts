/**
 * Did anything a storefront page shows change? Decided from the table's stream: pure functions,
 * no AWS calls (invalidate.ts turns the changes into paths, invalidate-handler.ts calls
 * CloudFront). The event-source filter already lets through only product, pack, certificate,
 * producer and lot items (see infra/constructs/site-render.ts); here old and new images are
 * compared field by field, which a filter cannot do.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

export type CatalogItemKind = 'product' | 'pack' | 'certificate' | 'producer';

export interface CatalogChange {
  kind: CatalogItemKind;
  /** The item's partition key, e.g. `PRODUCT#01h…`. */
  key: string;
  /** What changed, for the log. */
  what: string;
  /** When the write happened, ms since the epoch (the stream gives whole seconds). */
  at: number;
}

/** What a product page, a card and the sitemap show of a product (besides its packs). */
export const PRODUCT_PAGE_FIELDS = ['slug', 'name', 'description', 'category', 'images', 'producerId'];
/** What a pack row shows: size and price. Stock is shown only as in stock / sold out. */
export const PACK_PAGE_FIELDS = ['grams', 'unit', 'price'];
/** What a producer page and the producer lines on product pages show. */
export const PRODUCER_PAGE_FIELDS = ['slug', 'kind', 'name', 'address', 'description', 'photo', 'membership'];
/** What the OCOP badge shows. */
export const CERTIFICATE_PAGE_FIELDS = ['stars', 'decisionNumber', 'decisionDate', 'issuer', 'productId'];

type Image = Record<string, unknown>;

/** The item kind, from the sort key (see shared/db/items.ts), or undefined for other items. */
export function itemKind(sortKey: string | undefined): CatalogItemKind | undefined {
  if (sortKey === 'PRODUCT') return 'product';
  if (sortKey === 'PRODUCER') return 'producer';
  if (sortKey?.startsWith('VARIANT#')) return 'pack';
  if (sortKey?.startsWith('OCOP#')) return 'certificate';
  return undefined;
}

/** Every change a static page would show, in stream order. */
export function catalogChanges(records: readonly DynamoDBRecord[]): CatalogChange[] {
  const changes: CatalogChange[] = [];
  for (const record of records) {
    const stream = record.dynamodb;
    const kind = itemKind(stream?.Keys?.sk?.S);
    if (!stream || !kind) continue;
    const before = stream.OldImage ? fromImage(stream.OldImage) : undefined;
    const after = stream.NewImage ? fromImage(stream.NewImage) : undefined;
    const what = RULES[kind](before, after);
    if (what) {
      changes.push({
        kind,
        key: String(stream.Keys?.pk?.S ?? ''),
        what,
        at: Math.round((stream.ApproximateCreationDateTime ?? 0) * 1000),
      });
    }
  }
  return changes;
}

const RULES: Record<CatalogItemKind, (before?: Image, after?: Image) => string | undefined> = {
  // Only published products have pages; a draft changing is nobody's business yet.
  product: (before, after) =>
    visibility(before, after, (p) => p.status === 'published', {
      shown: 'published',
      hidden: after ? `unpublished (${String(after.status)})` : 'deleted',
      fields: PRODUCT_PAGE_FIELDS,
    }),
  // A pack's item does not say whether its product is published: every visible change counts.
  pack: (before, after) => {
    if (!before) return 'pack added';
    if (!after) return 'pack removed';
    const changed = changedFields(before, after, PACK_PAGE_FIELDS);
    // The HTML shows "Còn hàng" / "Hết hàng"; exact counts are refreshed by the page's island,
    // so a sale that leaves stock above zero needs no rebuild.
    if (inStock(before) !== inStock(after)) changed.push(inStock(after) ? 'back in stock' : 'sold out');
    return changed.length > 0 ? `pack ${changed.join(', ')}` : undefined;
  },
  // Only a verified certificate shows a badge.
  certificate: (before, after) =>
    visibility(before, after, (c) => c.verified === true, {
      shown: 'certificate verified',
      hidden: after ? 'certificate no longer verified' : 'certificate removed',
      fields: CERTIFICATE_PAGE_FIELDS,
    }),
  // Products of producers that are not verified are not listed.
  producer: (before, after) =>
    visibility(before, after, (p) => (p.verification as Image | undefined)?.status === 'verified', {
      shown: 'producer verified',
      hidden: after ? 'producer no longer verified' : 'producer removed',
      fields: PRODUCER_PAGE_FIELDS,
    }),
};

function visibility(
  before: Image | undefined,
  after: Image | undefined,
  visible: (item: Image) => boolean,
  says: { shown: string; hidden: string; fields: readonly string[] },
): string | undefined {
  const was = before !== undefined && visible(before);
  const is = after !== undefined && visible(after);
  if (!was && !is) return undefined;
  if (!was) return says.shown;
  if (!is) return says.hidden;
  const changed = changedFields(before!, after!, says.fields);
  return changed.length > 0 ? `changed: ${changed.join(', ')}` : undefined;
}

function inStock(pack: Image): boolean {
  return typeof pack.stock === 'number' && pack.stock > 0;
}

function changedFields(before: Image, after: Image, fields: readonly string[]): string[] {
  return fields.filter((field) => !sameValue(before[field], after[field]));
}

/** Deep equality of plain values; maps compare regardless of key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const aKeys = Object.keys(a as Image).filter((k) => (a as Image)[k] !== undefined);
  const bKeys = Object.keys(b as Image).filter((k) => (b as Image)[k] !== undefined);
  return aKeys.length === bKeys.length && aKeys.every((k) => sameValue((a as Image)[k], (b as Image)[k]));
}

/** A stream image (DynamoDB JSON) as plain values. Sets become sorted arrays. */
export function fromImage(image: Record<string, AttributeValue>): Image {
  const out: Image = {};
  for (const [name, value] of Object.entries(image)) out[name] = fromAttribute(value);
  return out;
}

function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.M) return fromImage(value.M);
  if (value.L) return value.L.map(fromAttribute);
  if (value.SS) return [...value.SS].sort();
  if (value.NS) return value.NS.map(Number).sort((x, y) => x - y);
  if (value.B !== undefined) return value.B;
  if (value.BS) return [...value.BS].sort();
  return undefined;
}
