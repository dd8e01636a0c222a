/**
 * The review operations the producers function hosts (it has the table writes and the upload
 * targets): a buyer's photo slots and review, the seller's reply, an admin's hiding. No handlers
 * here (reviews.ts), so the OpenAPI document can be built without loading them; what they answer
 * is in review-operations.doc.ts.
 */
import * as z from 'zod';
import {
  CreateReviewBody,
  HideReviewBody,
  ReplyToReviewBody,
  ReviewPhotoQuery,
  StartReviewPhotoBody,
} from '../../shared/reviews/model.ts';
import { routeOperationDefiner } from '../http.ts';
import { PRODUCERS_ROUTES } from './routes.ts';

const defineOperation = routeOperationDefiner(PRODUCERS_ROUTES);

export const ReviewParam = z.object({ reviewId: z.string().min(1).max(64) });
export const ReviewPhotoParam = z.object({ photoId: z.string().min(1).max(64) });

export const reviewOperations = {
  startReviewPhotoUpload: defineOperation('startReviewPhotoUpload', { json: StartReviewPhotoBody }),
  getReviewPhoto: defineOperation('getReviewPhoto', { param: ReviewPhotoParam, query: ReviewPhotoQuery }),
  createReview: defineOperation('createReview', { json: CreateReviewBody }),
  replyToReview: defineOperation('replyToReview', { param: ReviewParam, json: ReplyToReviewBody }),
  hideReview: defineOperation('hideReview', { param: ReviewParam, json: HideReviewBody }),
};
