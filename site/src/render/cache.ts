/**
 * Cache-Control of the storefront's responses, shared by the render entry, the local server and
 * the CDK stack, so that locally and in AWS a page is kept for the same time.
 *
 * Pages rendered on demand: browsers always revalidate (`max-age=0`); CloudFront keeps a page 40 s
 * and may serve it 10 s more while it fetches a fresh one. A change is invalidated by path as soon
 * as the table's stream sees it (functions/site-rebuild/), usually within seconds; if that
 * invalidation is lost, the page is still at most 50 s old, plus the renderer's own view of the
 * catalog (read per request, no memo across requests): within the 60 s.
 */
export const PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=40, stale-while-revalidate=10';

/** A slug that does not exist (yet): kept briefly, so that a product approved just now shows soon. */
export const NOT_FOUND_CACHE_CONTROL = 'public, max-age=0, s-maxage=10';

/** sitemap.xml and the OG cards: read by crawlers and link previews, not shoppers. */
export const SLOW_CACHE_CONTROL = 'public, max-age=300, s-maxage=3600';

/** Astro's fingerprinted assets (`/_astro/`), and the prebuilt HTML (revalidated on each request). */
export const STATIC_CACHE_CONTROL = {
  assets: 'public, max-age=31536000, immutable',
  pages: 'public, max-age=0, must-revalidate',
} as const;

/** Answers that must never be shared (errors of the renderer itself). */
export const NO_STORE = 'no-store';

/** The Cache-Control for a rendered answer that did not set its own. */
export function renderedCacheControl(status: number): string {
  if (status === 200) return PAGE_CACHE_CONTROL;
  if (status === 404 || status === 410) return NOT_FOUND_CACHE_CONTROL;
  return NO_STORE;
}
