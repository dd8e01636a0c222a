/**
 * What the storefront's product reviews operation answers (functions/catalog/reviews.ts), for the
 * OpenAPI document only (functions/api-document.ts): no handler imports this.
 */
import { ReviewPage } from '../../shared/reviews/model.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { productReviewOperations } from './reviews.ts';

export const productReviewOperationsDocs: OperationDocsOf<typeof productReviewOperations> = {
  listProductReviews: {
    summary: "A product's reviews from verified buyers, newest first (hidden ones excluded)",
    description:
      'The average and the count are on the product (`rating`); each review shows the buyer’s first name and province only.',
    responses: {
      200: jsonResponse(ReviewPage, 'A page of reviews'),
      400: errorResponse('Invalid query or cursor'),
      404: errorResponse('No such product on sale'),
    },
  },
};
