/**
 * The page's language for the islands: the layout sets `<html lang>` from the URL (`/en/…`), so
 * scripts read it back instead of shipping both dictionaries. Browser-only.
 */
export type PageLang = 'vi' | 'en';

export function pageLang(): PageLang {
  return typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'vi';
}

/** Pick the wording of the page's language: `tr('Giỏ hàng', 'Cart')`. */
export function tr(vi: string, en: string): string {
  return pageLang() === 'en' ? en : vi;
}

/** A site path in the page's language (`/gio-hang/` → `/en/gio-hang/` on English pages). */
export function localHref(path: string): string {
  return pageLang() === 'en' && path.startsWith('/') ? `/en${path}` : path;
}

/** Runs non-urgent work (the freshness islands) once the page has painted and the main thread is idle. */
export function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(work, 200);
}
