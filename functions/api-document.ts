/**
 * The OpenAPI document of the whole API, built from every function's operations (their route and
 * request schemas, joined by `documented` with their `*.doc.ts` documentation). Not imported by any function: `npm run api:types` (infra/tools/api-types.ts) writes it,
 * Brotli-compressed, to functions/catalog/api-document.generated.ts, which the catalog function
 * serves at /api/openapi.json and /api/docs. So no bundle carries the other functions' schemas,
 * and tests/unit/openapi-document.test.ts fails when the kept copy is not this document.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { operations as authOperations } from './auth/operations.ts';
import { operationsDocs as authDocs } from './auth/operations.doc.ts';
import { backOfficeOperations } from './board/back-office-operations.ts';
import { backOfficeOperationsDocs } from './board/back-office-operations.doc.ts';
import { invoiceOperations } from './board/invoice-operations.ts';
import { invoiceOperationsDocs } from './board/invoice-operations.doc.ts';
import { operations as boardOperations } from './board/operations.ts';
import { operationsDocs as boardDocs } from './board/operations.doc.ts';
import { programmeOperations } from './board/programme.ts';
import { programmeOperationsDocs } from './board/programme.doc.ts';
import { operations as catalogOperations } from './catalog/app.ts';
import { operationsDocs as catalogDocs } from './catalog/app.doc.ts';
import { productReviewOperations } from './catalog/reviews.ts';
import { productReviewOperationsDocs } from './catalog/reviews.doc.ts';
import { statsOperations } from './catalog/stats.ts';
import { statsOperationsDocs } from './catalog/stats.doc.ts';
import { documented } from './http.ts';
import { openApiDocument } from './openapi.ts';
import { callbackOperations } from './orders/callback-operations.ts';
import { callbackOperationsDocs } from './orders/callback-operations.doc.ts';
import { orderInvoiceOperations } from './orders/invoice-operations.ts';
import { orderInvoiceOperationsDocs } from './orders/invoice-operations.doc.ts';
import { operations as orderOperations } from './orders/operations.ts';
import { operationsDocs as orderDocs } from './orders/operations.doc.ts';
import { lotLabelOperations } from './producers/lot-label-operations.ts';
import { lotLabelOperationsDocs } from './producers/lot-label-operations.doc.ts';
import { notificationChannelOperations } from './producers/notification-channel.ts';
import { notificationChannelOperationsDocs } from './producers/notification-channel.doc.ts';
import { operations as producerOperations } from './producers/operations.ts';
import { operationsDocs as producerDocs } from './producers/operations.doc.ts';
import { reviewOperations } from './producers/review-operations.ts';
import { reviewOperationsDocs } from './producers/review-operations.doc.ts';
import { marketOperations } from './board/market-operations.ts';
import { marketOperationsDocs } from './board/market-operations.doc.ts';
import { preorderManagerOperations } from './board/preorder-operations.ts';
import { preorderManagerOperationsDocs } from './board/preorder-operations.doc.ts';
import { preorderOperations } from './orders/preorder-operations.ts';
import { preorderOperationsDocs } from './orders/preorder-operations.doc.ts';

const API_INFO = {
  title: 'Sàn OCOP Thái Nguyên API',
  version: '0.1.0',
  description:
    'Thái Nguyên tea and OCOP exchange: catalog, sign-in, producers and listings. Amounts are whole VND. Seller routes need `Authorization: Bearer <accessToken>` from verifySignIn.',
};

/** One document for the whole API: every function's operations. */
export function buildApiDocument(): Record<string, unknown> {
  return openApiDocument(
    [
      ...documented(catalogOperations, catalogDocs),
      ...documented(authOperations, authDocs),
      ...documented(producerOperations, producerDocs),
      ...documented(lotLabelOperations, lotLabelOperationsDocs),
      ...documented(orderOperations, orderDocs),
      ...documented(callbackOperations, callbackOperationsDocs),
      ...documented(boardOperations, boardDocs),
      ...documented(backOfficeOperations, backOfficeOperationsDocs),
      // The seasons function's.
      ...documented(preorderOperations, preorderOperationsDocs),
      ...documented(preorderManagerOperations, preorderManagerOperationsDocs),
      ...documented(marketOperations, marketOperationsDocs),
      ...documented(invoiceOperations, invoiceOperationsDocs),
      ...documented(orderInvoiceOperations, orderInvoiceOperationsDocs),
      ...documented(productReviewOperations, productReviewOperationsDocs),
      ...documented(reviewOperations, reviewOperationsDocs),
      ...documented(notificationChannelOperations, notificationChannelOperationsDocs),
      ...documented(statsOperations, statsOperationsDocs),
      ...documented(programmeOperations, programmeOperationsDocs),
    ],
    API_INFO,
  ) as Record<string, unknown>;
}

/** The source of functions/catalog/api-document.generated.ts for `document`. */
export function apiDocumentModule(document: Record<string, unknown>): string {
  const brotli = brotliCompressSync(Buffer.from(JSON.stringify(document)), {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  return [
    '// Generated by `npm run api:types` from functions/api-document.ts; do not edit. The OpenAPI',
    '// document as JSON, Brotli-compressed, base64 (the catalog function serves it).',
    'export const API_DOCUMENT_BROTLI =',
    `  '${brotli.toString('base64')}';`,
    '',
  ].join('\n');
}
