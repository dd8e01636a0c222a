/**
 * The reviews part of a product's JSON-LD: `aggregateRating` and `review` only when the product
 * has real, visible reviews (search engines penalize ratings that a page does not show). Pure:
 * used by the product page and its tests.
 */
import type { ProductSummary } from '../../../shared/domain/catalog-view.ts';
import type { ReviewView } from '../../../shared/reviews/model.ts';

export function reviewJsonLd(
  rating: ProductSummary['rating'],
  reviews: readonly Pick<ReviewView, 'stars' | 'text' | 'createdAt' | 'author'>[],
): Record<string, unknown> {
  if (!rating || rating.count < 1 || reviews.length === 0) return {};
  return {
    aggregateRating: {
      '@type': 'AggregateRating',
      ratingValue: rating.average,
      reviewCount: rating.count,
      bestRating: 5,
      worstRating: 1,
    },
    review: reviews.slice(0, 5).map((r) => ({
      '@type': 'Review',
      reviewRating: { '@type': 'Rating', ratingValue: r.stars, bestRating: 5, worstRating: 1 },
      author: { '@type': 'Person', name: r.author.firstName },
      datePublished: r.createdAt.slice(0, 10),
      reviewBody: r.text,
    })),
  };
}
