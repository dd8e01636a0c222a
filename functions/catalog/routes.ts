import type { RouteDefinition } from '../routes.ts';

/**
 * The catalog function's routes: health, the API document, the public catalog (products,
 * producers, categories, lots) and a product's reviews. All public.
 * Each function bundles only its own list; functions/routes.ts joins them into ROUTES.
 */
export const CATALOG_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/api/health', function: 'catalog', operationId: 'health', auth: 'public' },
  {
    method: 'GET',
    path: '/api/openapi.json',
    function: 'catalog',
    operationId: 'openApiDocument',
    auth: 'public',
  },
  { method: 'GET', path: '/api/docs', function: 'catalog', operationId: 'apiDocs', auth: 'public' },
  {
    method: 'GET',
    path: '/api/catalog/products',
    function: 'catalog',
    operationId: 'listProducts',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/products/{slug}',
    function: 'catalog',
    operationId: 'getProduct',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/producers',
    function: 'catalog',
    operationId: 'listProducers',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/producers/{slug}',
    function: 'catalog',
    operationId: 'getProducer',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/categories',
    function: 'catalog',
    operationId: 'listCategories',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/lots/{traceCode}',
    function: 'catalog',
    operationId: 'getLotTrace',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/catalog/products/{slug}/reviews',
    function: 'catalog',
    operationId: 'listProductReviews',
    auth: 'public',
  },
  // The programme's open statistics (functions/catalog/stats.ts), cached at the edge.
  { method: 'GET', path: '/api/stats', function: 'catalog', operationId: 'getStatistics', auth: 'public' },
  {
    method: 'GET',
    path: '/api/stats/{file}',
    function: 'catalog',
    operationId: 'downloadOpenData',
    auth: 'public',
  },
  // The IOC feed's pull: no sign-in, the IOC's x-api-key checked by the route (functions/catalog/stats.ts).
  {
    method: 'GET',
    path: '/api/ioc/export/{date}',
    function: 'catalog',
    operationId: 'getIocExport',
    auth: 'public',
  },
];
