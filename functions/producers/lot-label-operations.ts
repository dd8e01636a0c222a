/**
 * The lot label's operation (route and request schemas; functions/labels/routes.ts), for
 * validation; what it answers is documented in lot-label-operations.doc.ts, which only the
 * OpenAPI document imports. The handler is in lot-labels.ts.
 */
import * as z from 'zod';
import { routeOperationDefiner } from '../http.ts';
import { LABEL_ROUTES } from '../labels/routes.ts';
import { TraceParam } from './operations.ts';

const defineOperation = routeOperationDefiner(LABEL_ROUTES);

export const LabelQuery = z.strictObject({ format: z.enum(['svg', 'png']).default('svg') });

export const lotLabelOperations = {
  getLotLabel: defineOperation('getLotLabel', { param: TraceParam, query: LabelQuery }),
};
