/**
 * What the lot label's operation answers (functions/producers/lot-label-operations.ts), for the
 * OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import { errorResponse, type OperationDocsOf } from '../http.ts';
import type { lotLabelOperations } from './lot-label-operations.ts';
import { signedIn } from './operations.doc.ts';

export const lotLabelOperationsDocs: OperationDocsOf<typeof lotLabelOperations> = {
  getLotLabel: {
    summary: 'Printable QR label of a lot (SVG or PNG)',
    responses: {
      200: { description: 'The label (image/svg+xml or image/png)' },
      ...signedIn,
      404: errorResponse('Unknown trace code'),
    },
  },
};
