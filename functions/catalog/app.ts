/**
 * The catalog function: what shoppers browse. Reads only. Every answer comes from the
 * container's read model of the catalog (loaded once, then kept current from each shard's
 * changes): lists, search, filters, product pages with their lots, producers and trace records
 * need no Query of their own. What the operations answer is documented in app.doc.ts, which only
 * the OpenAPI document imports.
 */
import { brotliDecompressSync } from 'node:zlib';
import * as z from 'zod';
import { config, services } from '../../shared/services.ts';
import { createCatalogReadModel } from '../../shared/db/catalog-read-model.ts';
import { categoryCounts, ListProductsQuery, queryCatalog } from '../../shared/domain/catalog-query.ts';
import {
  type LotTrace,
  lotView,
  plainSummary,
  type ProducerDetail,
  producerCard,
  producerProfile,
  type ProductDetail,
} from '../../shared/domain/catalog-view.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { isVisibleToShoppers, type Producer } from '../../shared/domain/producer.ts';
import { createApiApp, errorBody, routeOperationDefiner, validate } from '../http.ts';
import { CATALOG_ROUTES } from './routes.ts';
import { guardRoutes } from '../guard.ts';
import { apiDocsPage } from './docs.ts';
import { API_DOCUMENT_BROTLI } from './api-document.generated.ts';
import { registerProductReviewRoutes } from './reviews.ts';
import { registerStatsRoutes } from './stats.ts';

const defineOperation = routeOperationDefiner(CATALOG_ROUTES);

/** The container's read model of the catalog (`clear()` makes the next request load it again). */
export const catalogCache = createCatalogReadModel({
  // Read on use: the module loads before its composition root installs the configuration.
  get pollMs() {
    return config().catalog.pollMs;
  },
  get overlapMs() {
    return config().catalog.overlapMs;
  },
  // A cold container starts from the shards' snapshots when there are recent ones.
  snapshots: () => services().catalogSnapshots,
});

// Catalog reads may be a few seconds stale; a short shared cache keeps CloudFront's load low.
const PUBLIC_CACHE = 'public, max-age=15, stale-while-revalidate=60';

const SlugParam = z.object({ slug: z.string().min(1).max(80) });
const TraceCodeParam = z.object({ traceCode: z.string().regex(/^[A-Za-z0-9-]{6,32}$/, 'Not a trace code') });

export const operations = {
  health: defineOperation('health'),
  listProducts: defineOperation('listProducts', { query: ListProductsQuery }),
  getProduct: defineOperation('getProduct', { param: SlugParam }),
  listProducers: defineOperation('listProducers'),
  getProducer: defineOperation('getProducer', { param: SlugParam }),
  listCategories: defineOperation('listCategories'),
  getLotTrace: defineOperation('getLotTrace', { param: TraceCodeParam }),
};

export const app = createApiApp();
guardRoutes(app, CATALOG_ROUTES);

app.on(operations.health.method, operations.health.honoPath, (c) => c.json({ ok: true as const }));

app.on(
  operations.listProducts.method,
  operations.listProducts.honoPath,
  validate('query', ListProductsQuery),
  async (c) => {
    const catalog = await catalogCache.get();
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(queryCatalog(catalog, c.req.valid('query')));
  },
);

app.on(
  operations.getProduct.method,
  operations.getProduct.honoPath,
  validate('param', SlugParam),
  async (c) => {
    const { slug } = c.req.valid('param');
    const catalog = await catalogCache.get();
    const entry = catalog.entriesBySlug.get(slug);
    if (!entry && catalog.isArchived(slug)) {
      c.header('Cache-Control', PUBLIC_CACHE);
      return c.json(
        errorBody('product.gone', `Sản phẩm "${slug}" đã ngừng bán / Product "${slug}" is no longer sold`),
        410,
      );
    }
    if (!entry) throw notFound('product.not_found', `No product "${slug}" is on sale`);
    const producer = catalog.producersById.get(entry.producerId)!;
    const lots = catalog.lotsOf(entry.summary.id);
    const detail: ProductDetail = {
      ...plainSummary(entry.summary),
      description: entry.description,
      producer: producerProfile(producer, cooperativeOf(producer, catalog.producersById)),
      lots: lots.map((lot) => lotView(lot, visible(catalog.producersById.get(lot.householdId)))),
    };
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(detail);
  },
);

app.on(operations.listProducers.method, operations.listProducers.honoPath, async (c) => {
  const catalog = await catalogCache.get();
  const items = [...catalog.producersById.values()]
    .filter(isVisibleToShoppers)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map((p) => producerProfile(p, cooperativeOf(p, catalog.producersById)));
  c.header('Cache-Control', PUBLIC_CACHE);
  return c.json({ items });
});

app.on(
  operations.getProducer.method,
  operations.getProducer.honoPath,
  validate('param', SlugParam),
  async (c) => {
    const { slug } = c.req.valid('param');
    const catalog = await catalogCache.get();
    const producer = visible(catalog.producersBySlug.get(slug));
    if (!producer) throw notFound('producer.not_found', `No producer "${slug}" on the exchange`);
    const members = [...catalog.producersById.values()].filter(
      (p) =>
        isVisibleToShoppers(p) &&
        p.membership?.status === 'approved' &&
        p.membership.cooperativeId === producer.id,
    );
    const sellerIds = new Set([producer.id, ...members.map((m) => m.id)]);
    const detail: ProducerDetail = {
      ...producerProfile(producer, cooperativeOf(producer, catalog.producersById)),
      members: members.map(producerCard),
      products: catalog.entries.filter((e) => sellerIds.has(e.producerId)).map((e) => e.summary),
    };
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(detail);
  },
);

app.on(operations.listCategories.method, operations.listCategories.honoPath, async (c) => {
  const catalog = await catalogCache.get();
  c.header('Cache-Control', PUBLIC_CACHE);
  return c.json({ items: categoryCounts(catalog) });
});

app.on(
  operations.getLotTrace.method,
  operations.getLotTrace.honoPath,
  validate('param', TraceCodeParam),
  async (c) => {
    const traceCode = c.req.valid('param').traceCode.toUpperCase();
    const catalog = await catalogCache.get();
    const lot = catalog.lotByTraceCode(traceCode);
    const entry = lot && catalog.entriesById.get(lot.productId);
    if (!lot || !entry) throw notFound('lot.not_found', `No lot with trace code ${traceCode}`);
    const seller = catalog.producersById.get(entry.producerId)!;
    const household = visible(catalog.producersById.get(lot.householdId));
    const cooperative =
      cooperativeOf(household ?? seller, catalog.producersById) ??
      (seller.kind === 'cooperative' ? seller : undefined);
    const trace: LotTrace = {
      ...lotView(lot, household),
      product: { slug: entry.summary.slug, name: entry.summary.name, category: entry.summary.category },
      producer: producerCard(seller),
      cooperative: cooperative ? producerCard(cooperative) : null,
    };
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(trace);
  },
);

registerProductReviewRoutes(app, catalogCache);
registerStatsRoutes(app);

/**
 * The whole API's OpenAPI document, built from every function's operations by `npm run api:types`
 * (functions/api-document.ts) and kept here Brotli-compressed: building it here would bundle every
 * other function's schemas into this one (about 60 KB of its bundle). Read once, on first ask.
 */
let document: Record<string, unknown> | undefined;
const apiDocument = () =>
  (document ??= JSON.parse(
    brotliDecompressSync(Buffer.from(API_DOCUMENT_BROTLI, 'base64')).toString('utf8'),
  ) as Record<string, unknown>);

app.get('/api/openapi.json', (c) => c.json(apiDocument()));
app.get('/api/docs', (c) => c.html(apiDocsPage(apiDocument() as Parameters<typeof apiDocsPage>[0])));

function visible(producer: Producer | undefined): Producer | undefined {
  return producer && isVisibleToShoppers(producer) ? producer : undefined;
}

function cooperativeOf(producer: Producer, byId: ReadonlyMap<string, Producer>): Producer | undefined {
  const m = producer.membership;
  return m?.status === 'approved' ? visible(byId.get(m.cooperativeId)) : undefined;
}
