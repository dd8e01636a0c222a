/**
 * Work for what is further down a page (the review list's "more", …) started only when it comes
 * near the viewport, so that it costs nothing before or right after the first paint. Browser-only.
 */
export function whenNear(element: Element, work: () => void, margin = '600px'): void {
  if (typeof IntersectionObserver !== 'function') {
    work();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      work();
    },
    { rootMargin: margin },
  );
  observer.observe(element);
}
