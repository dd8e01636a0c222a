/**
 * What the catalog function's operations answer (functions/catalog/app.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this, so no bundle carries it.
 */
import * as z from 'zod';
import {
  CategoryView,
  LotTrace,
  ProducerDetail,
  ProductDetail,
  ProducerProfile,
  ProductSummary,
} from '../../shared/domain/catalog-view.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { operations } from './app.ts';

const ProductPage = z
  .object({
    items: z.array(ProductSummary),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    total: z.int(),
  })
  .meta({ id: 'ProductPage' });

export const operationsDocs: OperationDocsOf<typeof operations> = {
  health: {
    summary: 'Liveness check',
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Up') },
  },
  listProducts: {
    summary: 'List, filter, sort and search published products',
    description:
      '`q` searches names, categories, producers and places ignoring Vietnamese diacritics, case and Unicode form; results are ranked by relevance unless `sort` is given.',
    responses: { 200: jsonResponse(ProductPage, 'A page of products'), 400: errorResponse('Invalid query') },
  },
  getProduct: {
    summary: 'A product with its packs, producer, lots and valid OCOP certificate',
    responses: {
      200: jsonResponse(ProductDetail, 'The product'),
      404: errorResponse('No such published product'),
      410: errorResponse('The product was taken off sale for good (archived)'),
    },
  },
  listProducers: {
    summary: 'Verified producers and cooperatives',
    responses: { 200: jsonResponse(z.object({ items: z.array(ProducerProfile) }), 'Producers') },
  },
  getProducer: {
    summary: "A producer or cooperative with its members and products (a cooperative's include its members')",
    responses: {
      200: jsonResponse(ProducerDetail, 'The producer'),
      404: errorResponse('No such verified producer'),
    },
  },
  listCategories: {
    summary: 'Categories with their number of products on sale',
    responses: { 200: jsonResponse(z.object({ items: z.array(CategoryView) }), 'Categories') },
  },
  getLotTrace: {
    summary: "A lot's public trace record: origin, growing area, harvest, household, certificates",
    responses: {
      200: jsonResponse(LotTrace, 'The trace record'),
      400: errorResponse('Not a trace code'),
      404: errorResponse('Unknown trace code'),
    },
  },
};
