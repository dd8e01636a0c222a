/**
 * A product's reviews for the storefront (public, read only): newest first, hidden ones never
 * listed. The product is found by its slug in the container's catalog read model; the reviews are
 * one Query of the product's own index partition per page. What the operation answers is
 * documented in reviews.doc.ts, which only the OpenAPI document imports.
 */
import type { Env, Hono } from 'hono';
import * as z from 'zod';
import type { CatalogReadModel } from '../../shared/db/catalog-read-model.ts';
import { CursorParam, PageLimit } from '../../shared/domain/cursor.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { REVIEW_LIMITS } from '../../shared/reviews/model.ts';
import { listProductReviews } from '../../shared/reviews/views.ts';
import { routeOperationDefiner, validate } from '../http.ts';
import { CATALOG_ROUTES } from './routes.ts';

const defineOperation = routeOperationDefiner(CATALOG_ROUTES);

const SlugParam = z.object({ slug: z.string().min(1).max(80) });
const ReviewsQuery = z.strictObject({
  limit: PageLimit(REVIEW_LIMITS.pageDefault, REVIEW_LIMITS.pageMax),
  cursor: CursorParam.optional(),
});

export const productReviewOperations = {
  listProductReviews: defineOperation('listProductReviews', { param: SlugParam, query: ReviewsQuery }),
};

// New reviews should show within seconds: a short shared cache only.
const REVIEWS_CACHE = 'public, max-age=10, stale-while-revalidate=30';

export function registerProductReviewRoutes(app: Hono<Env>, catalog: CatalogReadModel): void {
  const o = productReviewOperations.listProductReviews;
  app.on(o.method, o.honoPath, validate('param', SlugParam), validate('query', ReviewsQuery), async (c) => {
    const { slug } = c.req.valid('param');
    const entry = (await catalog.get()).entriesBySlug.get(slug);
    if (!entry)
      throw notFound('product.not_found', `Không có sản phẩm "${slug}" / No product "${slug}" is on sale`);
    c.header('Cache-Control', REVIEWS_CACHE);
    return c.json(await listProductReviews(entry.summary.id, c.req.valid('query')));
  });
}
