/**
 * The route table: the one list of API routes. The CDK API stack creates one HTTP API route per
 * entry, wired to the entry's function; the local runtime mounts the same functions' Hono apps
 * on the same paths. Paths use API Gateway's `{param}` syntax.
 */
/**
 * Functions reached over HTTP; `media` runs on S3 uploads, the job workers on their lanes' SQS
 * queues (functions/orders/jobs.ts) and `statsStream` on the table's stream instead.
 */
export type HttpFunctionName = 'catalog' | 'auth' | 'producers' | 'orders' | 'board';
export type JobFunctionName = 'expiryJobs' | 'reconcileJobs' | 'deliveryJobs';
export type FunctionName = HttpFunctionName | 'media' | JobFunctionName | 'statsStream';

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
  /** Checkout, shoppers' orders and the payment and carrier callbacks: public routes only. */
  orders: { entry: 'functions/orders/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The signed-in side of orders: the cooperative board, a household's order lines, refunds by hand. */
  board: { entry: 'functions/board/handler.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  // The background lanes, one worker each, fed every minute by their SQS queues.
  /** Expiry of unpaid online orders (stock released). */
  expiryJobs: { entry: 'functions/orders/expiry-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** VNPay reconciliation (querydr) and refunds of late payments. */
  reconcileJobs: { entry: 'functions/orders/reconcile-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** Webhook delivery from the outbox. */
  deliveryJobs: { entry: 'functions/orders/delivery-worker.ts', tableAccess: 'readWrite', memoryMiB: 512 },
  /** The programme's counters, from the table's stream (functions/stats/stream-worker.ts). */
  statsStream: { entry: 'functions/stats/handler.ts', tableAccess: 'readWrite', memoryMiB: 256 },
};

/**
 * Functions that send text messages themselves (SMS through SNS: consent codes, COD
 * confirmation codes, order notices). Only these get an SNS messenger (functions/services.ts)
 * and `sns:Publish` (infra/constructs/sms.ts). Sign-in codes are sent by Cognito, not by the
 * auth function.
 */
export const SMS_FUNCTIONS: readonly FunctionName[] = [
  'producers',
  'orders',
  'board',
  'expiryJobs',
  'reconcileJobs',
];

/**
 * The functions that quote, ship and track with the carriers (shared/carriers): checkout and the
 * board (orders) and the job workers (the tracking catch-up). Each gets `carriers`; with
 * CARRIERS_SSM_PATH unset, only the manual carrier.
 */
export const CARRIER_FUNCTIONS: readonly FunctionName[] = [
  'orders',
  'board',
  'expiryJobs',
  'reconcileJobs',
  'deliveryJobs',
];

/**
 * Who may call a route, checked before its handler by one middleware built from this table
 * (functions/guard.ts): `public` for anyone (a shopper's order is reached by its code and phone,
 * a payment by its client secret, the providers' callbacks by their signatures); `signedIn` for
 * a verified bearer token, whose object-level rights the domain then checks; `admin` for the
 * admin group only. Required on every entry, so a new route cannot be public by omission.
 */
export type RouteAuth = 'public' | 'signedIn' | 'admin';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  function: HttpFunctionName;
  operationId: string;
  auth: RouteAuth;
}

export const ROUTES: readonly RouteDefinition[] = [
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

  // Sign-in facade (Cognito in AWS, the local issuer locally).
  { method: 'POST', path: '/api/auth/start', function: 'auth', operationId: 'startSignIn', auth: 'public' },
  { method: 'POST', path: '/api/auth/verify', function: 'auth', operationId: 'verifySignIn', auth: 'public' },

  // Producers: onboarding, membership, verification, audit.
  { method: 'GET', path: '/api/me', function: 'producers', operationId: 'getMe', auth: 'signedIn' },
  // How notices reach the signed-in person: SMS or Zalo (functions/producers/notification-channel.ts).
  {
    method: 'GET',
    path: '/api/me/notification-channel',
    function: 'producers',
    operationId: 'getNotificationChannel',
    auth: 'signedIn',
  },
  {
    method: 'PUT',
    path: '/api/me/notification-channel',
    function: 'producers',
    operationId: 'setNotificationChannel',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/producers',
    function: 'producers',
    operationId: 'signUpProducer',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/membership',
    function: 'producers',
    operationId: 'requestMembership',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/membership/decision',
    function: 'producers',
    operationId: 'decideMembership',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/producers/{producerId}/verification',
    function: 'producers',
    operationId: 'decideProducer',
    auth: 'admin',
  },
  {
    method: 'GET',
    path: '/api/producers/{producerId}/audit',
    function: 'producers',
    operationId: 'listAudit',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/cooperatives/{cooperativeId}/members',
    function: 'producers',
    operationId: 'listMembers',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/admin/pending-producers',
    function: 'producers',
    operationId: 'listPendingProducers',
    auth: 'admin',
  },

  // Listings in the seller center.
  {
    method: 'GET',
    path: '/api/seller/products',
    function: 'producers',
    operationId: 'listSellerProducts',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products',
    function: 'producers',
    operationId: 'createProduct',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}',
    function: 'producers',
    operationId: 'getSellerProduct',
    auth: 'signedIn',
  },
  {
    method: 'PATCH',
    path: '/api/seller/products/{productId}',
    function: 'producers',
    operationId: 'updateProduct',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/submit',
    function: 'producers',
    operationId: 'submitProduct',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/decision',
    function: 'producers',
    operationId: 'decideProduct',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/archive',
    function: 'producers',
    operationId: 'archiveProduct',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/stock',
    function: 'producers',
    operationId: 'adjustStock',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/stock',
    function: 'producers',
    operationId: 'listStockHistory',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/photos',
    function: 'producers',
    operationId: 'uploadProductPhoto',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/photos/{photoId}',
    function: 'producers',
    operationId: 'getProductPhoto',
    auth: 'signedIn',
  },
  {
    method: 'DELETE',
    path: '/api/seller/products/{productId}/photos/{photoId}',
    function: 'producers',
    operationId: 'deleteProductPhoto',
    auth: 'signedIn',
  },
  {
    method: 'PUT',
    path: '/api/seller/products/{productId}/photos/order',
    function: 'producers',
    operationId: 'orderProductPhotos',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/lots',
    function: 'producers',
    operationId: 'createLot',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/seller/lots/{traceCode}/label',
    function: 'producers',
    operationId: 'getLotLabel',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/ocop',
    function: 'producers',
    operationId: 'addOcopCertificate',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/products/{productId}/ocop/{certificateId}/verification',
    function: 'producers',
    operationId: 'verifyOcopCertificate',
    auth: 'admin',
  },
  {
    method: 'GET',
    path: '/api/seller/ocop/expiring',
    function: 'producers',
    operationId: 'listExpiringCertificates',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/proxy-consents',
    function: 'producers',
    operationId: 'startProxyConsent',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/seller/imports',
    function: 'producers',
    operationId: 'importProducts',
    auth: 'signedIn',
  },

  // Checkout and orders: shoppers (code + phone) in the orders function, whose routes are all
  // public; the fulfilling cooperative's board and a household's lines in the board function.
  { method: 'POST', path: '/api/orders', function: 'orders', operationId: 'placeOrder', auth: 'public' },
  {
    method: 'POST',
    path: '/api/orders/quote',
    function: 'orders',
    operationId: 'quoteShipping',
    auth: 'public',
  },
  { method: 'GET', path: '/api/orders/{code}', function: 'orders', operationId: 'getOrder', auth: 'public' },
  {
    method: 'POST',
    path: '/api/orders/{code}/confirm',
    function: 'orders',
    operationId: 'confirmOrder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/cancel',
    function: 'orders',
    operationId: 'cancelOrder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/payment',
    function: 'orders',
    operationId: 'repayOrder',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/seller/order-lines',
    function: 'board',
    operationId: 'listMyOrderLines',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders',
    function: 'board',
    operationId: 'listBoardOrders',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'board',
    operationId: 'getShippingRules',
    auth: 'signedIn',
  },
  {
    method: 'PUT',
    path: '/api/board/{fulfillerId}/shipping',
    function: 'board',
    operationId: 'setShippingRules',
    auth: 'signedIn',
  },
  // The market panel: a household's own product (seller center) and its cooperative's reference prices (board).
  {
    method: 'GET',
    path: '/api/seller/products/{productId}/market',
    function: 'board',
    operationId: 'getMarketPanel',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/reference-prices',
    function: 'board',
    operationId: 'listReferencePrices',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/reference-prices',
    function: 'board',
    operationId: 'setReferencePrices',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders/{code}',
    function: 'board',
    operationId: 'getBoardOrder',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/status',
    function: 'board',
    operationId: 'changeSubOrderStatus',
    auth: 'signedIn',
  },
  // Shipments with the carriers (the orders function): from the board, and the carriers' webhooks.
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment',
    function: 'board',
    operationId: 'createShipment',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment/cancel',
    function: 'board',
    operationId: 'cancelShipment',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/orders/{code}/shipment/label',
    function: 'board',
    operationId: 'getShipmentLabel',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/cod-statements',
    function: 'board',
    operationId: 'importCodStatement',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/carriers/{carrier}/webhook',
    function: 'orders',
    operationId: 'carrierWebhook',
    auth: 'public',
  },

  // Pre-orders: the shopper's routes (the orders function) and the manager's (the board function).
  {
    method: 'GET',
    path: '/api/preorders',
    function: 'orders',
    operationId: 'listPreorderWindows',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/preorders/{windowId}/reservations',
    function: 'orders',
    operationId: 'reservePreorder',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/orders/{code}/preorder-balance',
    function: 'orders',
    operationId: 'payPreorderBalance',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/preorders',
    function: 'board',
    operationId: 'createPreorderWindow',
    auth: 'signedIn',
  },
  {
    method: 'GET',
    path: '/api/board/{fulfillerId}/preorders',
    function: 'board',
    operationId: 'getPreorderBoard',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/preorders/{windowId}/allocation',
    function: 'board',
    operationId: 'allocatePreorder',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/board/{fulfillerId}/orders/{code}/preorder-weight',
    function: 'board',
    operationId: 'settlePreorderWeight',
    auth: 'signedIn',
  },

  // Payments: VNPay's IPN and return, bank notifications for VietQR and our own webhook receiver
  // (the orders function); the admin's unmatched transfers and refunds by hand (the board function).
  {
    method: 'GET',
    path: '/api/payments/vnpay/ipn',
    function: 'orders',
    operationId: 'vnpayIpn',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/payments/vnpay/return',
    function: 'orders',
    operationId: 'vnpayReturn',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/payments/vietqr/notifications',
    function: 'orders',
    operationId: 'vietqrNotification',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/payments/vietqr/unmatched',
    function: 'board',
    operationId: 'listUnmatchedTransfers',
    auth: 'admin',
  },
  {
    method: 'POST',
    path: '/api/payments/vietqr/unmatched/{transferId}/match',
    function: 'board',
    operationId: 'matchTransfer',
    auth: 'admin',
  },
  {
    method: 'POST',
    path: '/api/payments/webhook',
    function: 'orders',
    operationId: 'paymentWebhook',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/payments/{paymentIntentId}',
    function: 'orders',
    operationId: 'getPaymentStatus',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/payments/{paymentIntentId}/manual-refunds',
    function: 'board',
    operationId: 'recordManualRefund',
    auth: 'signedIn',
  },
  // Reviews from verified buyers (the order code and phone prove the buyer); the seller's reply
  // and an admin's hiding.
  {
    method: 'POST',
    path: '/api/review-photos',
    function: 'producers',
    operationId: 'startReviewPhotoUpload',
    auth: 'public',
  },
  {
    method: 'GET',
    path: '/api/review-photos/{photoId}',
    function: 'producers',
    operationId: 'getReviewPhoto',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/reviews',
    function: 'producers',
    operationId: 'createReview',
    auth: 'public',
  },
  {
    method: 'POST',
    path: '/api/reviews/{reviewId}/reply',
    function: 'producers',
    operationId: 'replyToReview',
    auth: 'signedIn',
  },
  {
    method: 'POST',
    path: '/api/reviews/{reviewId}/hide',
    function: 'producers',
    operationId: 'hideReview',
    auth: 'admin',
  },
];

/**
 * For a function that must stay free of the sign-in code (orders: checkout's cold start and
 * bundle): fails at load, and so in every test, if a route of `fn` needs a sign-in.
 */
export function assertPublicOnly(fn: HttpFunctionName): void {
  const guarded = ROUTES.filter((r) => r.function === fn && r.auth !== 'public');
  if (guarded.length > 0) {
    throw new Error(
      `${fn} serves public routes only; move ${guarded.map((r) => r.operationId).join(', ')} to a function that guards them`,
    );
  }
}

/** `{slug}` → `:slug`, for Hono's router. */
export function toHonoPath(path: string): string {
  return path.replace(/\{(\w+)\+?\}/g, ':$1');
}
