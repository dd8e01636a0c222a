/**
 * The route table: the one list of API routes. The CDK API stack creates one HTTP API route per
 * entry, wired to the entry's function; the local runtime mounts the same functions' Hono apps
 * on the same paths. Paths use API Gateway's `{param}` syntax.
 */
/**
 * Functions reached over HTTP; `media` runs on S3 uploads and the job workers on their lanes' SQS
 * queues instead (functions/orders/jobs.ts).
 */
export type HttpFunctionName = 'catalog' | 'auth' | 'producers' | 'orders';
export type JobFunctionName = 'expiryJobs' | 'reconcileJobs' | 'deliveryJobs';
export type FunctionName = HttpFunctionName | 'media' | JobFunctionName;

export interface FunctionDefinition {
  /** Entry file for NodejsFunction, relative to the repository root. */
  entry: string;
  /** What the function may do to the table: least privilege for the CDK grants. */
  tableAccess: 'read' | 'readWrite';
  memoryMiB: number;
}

export const FUNCTIONS: Record<FunctionName, FunctionDefinition> = {
  catalog: { entry: 'functions/catalog/handler.ts', tableAccess: 'read', memoryMiB: 512 },
  auth: { entry: 'functions/auth/handler.ts', tableAccess: 'readWrite', memoryMiB: 256 },
  producers: { entry: 'functions/producers/handler.ts', tableAccess: 'readWrite', memoryMiB: 1024 },
  media: { entry: 'functions/media/handler.ts', tableAccess: 'readWrite', memoryMiB: 1536 },
  orders: { entry: 'functions/orders/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  // The background lanes, one worker each, fed every minute by their SQS queues.
  /** Expiry of unpaid online orders (stock released). */
  expiryJobs: { entry: 'functions/orders/expiry-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** VNPay reconciliation (querydr) and refunds of late payments. */
  reconcileJobs: { entry: 'functions/orders/reconcile-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** Webhook delivery from the outbox. */
  deliveryJobs: { entry: 'functions/orders/delivery-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
};

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  function: HttpFunctionName;
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

  // Sign-in facade (Cognito in AWS, the local issuer locally).
  { method: 'POST', path: '/api/auth/start', function: 'auth', operationId: 'startSignIn' },
  { method: 'POST', path: '/api/auth/verify', function: 'auth', operationId: 'verifySignIn' },

  // Producers: onboarding, membership, verification, audit.
  { method: 'GET', path: '/api/me', function: 'producers', operationId: 'getMe' },
  { method: 'POST', path: '/api/producers', function: 'producers', operationId: 'signUpProducer' },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/membership',
    function: 'producers',
    operationId: 'requestMembership',
  },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/membership/decision',
    function: 'producers',
    operationId: 'decideMembership',
  },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/verification',
    function: 'producers',
    operationId: 'decideProducer',
  },
  {
    method: 'GET',
    path: '/api/producers/{producerId}/audit',
    function: 'producers',
    operationId: 'listAudit',
  },
  {
    method: 'GET',
    path: '/api/cooperatives/{cooperativeId}/members',
    function: 'producers',
    operationId: 'listMembers',
  },
  {
    method: 'GET',
    path: '/api/admin/pending-producers',
    function: 'producers',
    operationId: 'listPendingProducers',
  },

  // Listings in the seller center.
  { method: 'GET', path: '/api/seller/products', function: 'producers', operationId: 'listSellerProducts' },
  { method: 'POST', path: '/api/seller/products', function: 'producers', operationId: 'createProduct' },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}',
    function: 'producers',
    operationId: 'getSellerProduct',
  },
  {
    method: 'PATCH',
    path: '/api/seller/products/{productId}',
    function: 'producers',
    operationId: 'updateProduct',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/submit',
    function: 'producers',
    operationId: 'submitProduct',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/decision',
    function: 'producers',
    operationId: 'decideProduct',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/archive',
    function: 'producers',
    operationId: 'archiveProduct',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/stock',
    function: 'producers',
    operationId: 'adjustStock',
  },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/stock',
    function: 'producers',
    operationId: 'listStockHistory',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/photos',
    function: 'producers',
    operationId: 'uploadProductPhoto',
  },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/photos/{photoId}',
    function: 'producers',
    operationId: 'getProductPhoto',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/lots',
    function: 'producers',
    operationId: 'createLot',
  },
  {
    method: 'GET',
    path: '/api/seller/lots/{traceCode}/label',
    function: 'producers',
    operationId: 'getLotLabel',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/ocop',
    function: 'producers',
    operationId: 'addOcopCertificate',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/ocop/{certificateId}/verification',
    function: 'producers',
    operationId: 'verifyOcopCertificate',
  },
  {
    method: 'GET',
    path: '/api/seller/ocop/expiring',
    function: 'producers',
    operationId: 'listExpiringCertificates',
  },
  {
    method: 'POST',
    path: '/api/seller/proxy-consents',
    function: 'producers',
    operationId: 'startProxyConsent',
  },
  { method: 'POST', path: '/api/seller/imports', function: 'producers', operationId: 'importProducts' },

  // Checkout and orders: shoppers (code + phone), and the fulfilling cooperative's board.
  { method: 'POST', path: '/api/orders', function: 'orders', operationId: 'placeOrder' },
  { method: 'GET', path: '/api/orders/{code}', function: 'orders', operationId: 'getOrder' },
  { method: 'POST', path: '/api/orders/{code}/confirm', function: 'orders', operationId: 'confirmOrder' },
  { method: 'POST', path: '/api/orders/{code}/cancel', function: 'orders', operationId: 'cancelOrder' },
  {
    method: 'GET',
    path: '/api/seller/order-lines',
    function: 'orders',
    operationId: 'listMyOrderLines',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders',
    function: 'orders',
    operationId: 'listBoardOrders',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'orders',
    operationId: 'getShippingRules',
  },
  {
    method: 'PUT',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'orders',
    operationId: 'setShippingRules',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders/{code}',
    function: 'orders',
    operationId: 'getBoardOrder',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/status',
    function: 'orders',
    operationId: 'changeSubOrderStatus',
  },

  // Payments (the orders function): VNPay's IPN and return, bank notifications for VietQR,
  // the manager's unmatched transfers and manual refunds, and our own webhook receiver.
  { method: 'GET', path: '/api/payments/vnpay/ipn', function: 'orders', operationId: 'vnpayIpn' },
  { method: 'GET', path: '/api/payments/vnpay/return', function: 'orders', operationId: 'vnpayReturn' },
  {
    method: 'POST',
    path: '/api/payments/vietqr/notifications',
    function: 'orders',
    operationId: 'vietqrNotification',
  },
  {
    method: 'GET',
    path: '/api/payments/vietqr/unmatched',
    function: 'orders',
    operationId: 'listUnmatchedTransfers',
  },
  {
    method: 'POST',
    path: '/api/payments/vietqr/unmatched/{transferId}/match',
    function: 'orders',
    operationId: 'matchTransfer',
  },
  { method: 'POST', path: '/api/payments/webhook', function: 'orders', operationId: 'paymentWebhook' },
  {
    method: 'GET',
    path: '/api/payments/{paymentIntentId}',
    function: 'orders',
    operationId: 'getPaymentStatus',
  },
  {
    method: 'POST',
    path: '/api/payments/{paymentIntentId}/manual-refunds',
    function: 'orders',
    operationId: 'recordManualRefund',
  },
];

/** `{slug}` → `:slug`, for Hono's router. */
export function toHonoPath(path: string): string {
  return path.replace(/\{(\w+)\+?\}/g, ':$1');
}
