/** Helpers of the pages rendered on demand (the `prerender = false` routes). */

/**
 * Whether a `[...lang]` rest parameter is a language: nothing (Vietnamese) or `en`. A prebuilt
 * page only ever had those two; a rendered one must refuse `/xx/san-pham/…` itself.
 */
export function isLangParam(param: string | undefined): boolean {
  return param === undefined || param === 'en';
}
