/**
 * The route table: the one list of API routes. The CDK API stack creates one HTTP API route per
 * entry, wired to the entry's function; the local runtime mounts the same functions' Hono apps
 * on the same paths. Paths use API Gateway's `{param}` syntax.
 */
export type FunctionName = 'catalog';

export interface FunctionDefinition {
  /** Entry file for NodejsFunction, relative to the repository root. */
  entry: string;
  /** What the function may do to the table: least privilege for the CDK grants. */
  tableAccess: 'read' | 'readWrite';
  memoryMiB: number;
}

export const FUNCTIONS: Record<FunctionName, FunctionDefinition> = {
  catalog: { entry: 'functions/catalog/handler.ts', tableAccess: 'read', memoryMiB: 512 },
};

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  function: FunctionName;
  operationId: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/api/health', function: 'catalog', operationId: 'health' },
  { method: 'GET', path: '/api/openapi.json', function: 'catalog', operationId: 'openApiDocument' },
  { method: 'GET', path: '/api/docs', function: 'catalog', operationId: 'apiDocs' },
  { method: 'GET', path: '/api/catalog/products', function: 'catalog', operationId: 'listProducts' },
  { method: 'GET', path: '/api/catalog/products/{slug}', function: 'catalog', operationId: 'getProduct' },
  { method: 'GET', path: '/api/catalog/producers', function: 'catalog', operationId: 'listProducers' },
  { method: 'GET', path: '/api/catalog/producers/{slug}', function: 'catalog', operationId: 'getProducer' },
  { method: 'GET', path: '/api/catalog/categories', function: 'catalog', operationId: 'listCategories' },
  { method: 'GET', path: '/api/catalog/lots/{traceCode}', function: 'catalog', operationId: 'getLotTrace' },
];

/** `{slug}` → `:slug`, for Hono's router. */
export function toHonoPath(path: string): string {
  return path.replace(/\{(\w+)\+?\}/g, ':$1');
}
