/**
 * The review routes of the producers function: thin handlers over shared/reviews.
 */
import type { Hono } from 'hono';
import {
  createReview,
  getReviewPhoto,
  hideReview,
  replyToReview,
  startReviewPhotoUpload,
} from '../../shared/reviews/reviews.ts';
import {
  CreateReviewBody,
  HideReviewBody,
  ReplyToReviewBody,
  ReviewPhotoQuery,
  StartReviewPhotoBody,
} from '../../shared/reviews/model.ts';
import { validate } from '../http.ts';
import type { SignedInEnv } from '../principal.ts';
import { ReviewParam, ReviewPhotoParam, reviewOperations as o } from './review-operations.ts';

export function registerReviewRoutes(app: Hono<SignedInEnv>): void {
  app.on(
    o.startReviewPhotoUpload.method,
    o.startReviewPhotoUpload.honoPath,
    validate('json', StartReviewPhotoBody),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await startReviewPhotoUpload(c.req.valid('json'), new Date()), 201);
    },
  );
  app.on(
    o.getReviewPhoto.method,
    o.getReviewPhoto.honoPath,
    validate('param', ReviewPhotoParam),
    validate('query', ReviewPhotoQuery),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await getReviewPhoto(c.req.valid('param').photoId, c.req.valid('query')));
    },
  );
  app.on(o.createReview.method, o.createReview.honoPath, validate('json', CreateReviewBody), async (c) =>
    c.json(await createReview(c.req.valid('json'), new Date()), 201),
  );
  app.on(
    o.replyToReview.method,
    o.replyToReview.honoPath,
    validate('param', ReviewParam),
    validate('json', ReplyToReviewBody),
    async (c) =>
      c.json(
        await replyToReview(
          c.get('principal'),
          c.req.valid('param').reviewId,
          c.req.valid('json').text,
          new Date(),
        ),
      ),
  );
  app.on(
    o.hideReview.method,
    o.hideReview.honoPath,
    validate('param', ReviewParam),
    validate('json', HideReviewBody),
    async (c) =>
      c.json(
        await hideReview(
          c.get('principal'),
          c.req.valid('param').reviewId,
          c.req.valid('json').reason,
          new Date(),
        ),
      ),
  );
}
