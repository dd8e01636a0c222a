/**
 * What the review operations answer (functions/producers/review-operations.ts), for the OpenAPI
 * document only (functions/api-document.ts): no handler imports this.
 */
import * as z from 'zod';
import { ImageView } from '../../shared/domain/catalog-view.ts';
import { ReviewView } from '../../shared/reviews/model.ts';
import { errorResponse, jsonResponse, type OperationDocsOf } from '../http.ts';
import type { reviewOperations } from './review-operations.ts';

const UploadSlot = z
  .object({
    photoId: z.string(),
    upload: z.object({
      method: z.literal('PUT'),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
    }),
  })
  .meta({ id: 'ReviewPhotoSlot' });

const ReviewPhoto = z
  .object({
    photoId: z.string(),
    status: z.enum(['pending', 'ready', 'failed']),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    image: ImageView.optional(),
  })
  .meta({ id: 'ReviewPhoto' });

const buyerRefusals = {
  400: errorResponse('Invalid'),
  403: errorResponse('No delivered line of this pack in the order, or the review period is over'),
  404: errorResponse('No such order for this phone'),
  409: errorResponse('This line was reviewed already'),
};
const signedIn = {
  401: errorResponse('Not signed in, or the token is invalid'),
  403: errorResponse('Not allowed for this caller'),
};

export const reviewOperationsDocs: OperationDocsOf<typeof reviewOperations> = {
  startReviewPhotoUpload: {
    summary: 'An upload slot for a photo of a review (the buyer proves the order by its code and phone)',
    description:
      'PUT the file to `upload.url` with `upload.headers`, then poll getReviewPhoto until it is ready. The same image pipeline and limits as listing photos.',
    responses: {
      201: jsonResponse(UploadSlot, 'The slot'),
      ...buyerRefusals,
      429: errorResponse('Too many uploads for this line today'),
    },
  },
  getReviewPhoto: {
    summary: "A review photo's processing state, for the order's phone",
    responses: {
      200: jsonResponse(ReviewPhoto, 'Pending, ready or refused (with the reason)'),
      404: errorResponse('No such photo for this order'),
    },
  },
  createReview: {
    summary: 'A verified buyer reviews a delivered line: 1–5 stars, text, up to 3 photos',
    description:
      'Once per order line, within 60 days of delivery. The pack, the season, the first name and the province shown are taken from the order, never from the body.',
    responses: { 201: jsonResponse(ReviewView, 'The review as shown'), ...buyerRefusals },
  },
  replyToReview: {
    summary: "The product's seller (or its cooperative's manager) replies to a review, once",
    responses: {
      200: jsonResponse(ReviewView, 'The review with its reply'),
      400: errorResponse('Invalid'),
      404: errorResponse('No such review'),
      409: errorResponse('Replied already, or the review is hidden'),
      ...signedIn,
    },
  },
  hideReview: {
    summary: 'An admin hides a review with a reason (recorded in the seller’s audit trail)',
    responses: {
      200: jsonResponse(
        z.object({ id: z.string(), hidden: z.literal(true), reason: z.string() }),
        'Hidden: gone from the product page, its list and its rating',
      ),
      400: errorResponse('Invalid'),
      404: errorResponse('No such review'),
      409: errorResponse('Hidden already'),
      ...signedIn,
    },
  },
};
