/**
 * The `sizes` of the storefront's photo slots, shared by the `<picture>` (Picture.astro) and the
 * layout's `<link rel="preload" as="image">` of the page's largest photo: the preload picks the
 * same rendition as the `<img>` only when both say the same.
 */
/** A product card in a grid: two columns on phones. */
export const CARD_SIZES = '(min-width: 72rem) 17rem, (min-width: 40rem) 30vw, 50vw';
/** The product page's main photo. */
export const PRODUCT_PHOTO_SIZES = '(min-width: 72rem) 37rem, (min-width: 60rem) 52vw, 100vw';
/** The producer page's photo. */
export const PRODUCER_PHOTO_SIZES = '(min-width: 48rem) 18rem, 100vw';
