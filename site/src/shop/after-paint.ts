/**
 * Islands after the first paint (Layout `islandsAfterPaint`: the catalog's listings and the product
 * page). The server sends such a page's island scripts as `<template data-module-src>` instead of
 * `<script type="module" src>` (site/src/middleware.ts), so the browser does not fetch them
 * alongside the document; this starts them once the browser has painted the page's largest
 * photo, or something larger than it (`largest-contentful-paint`; where that is not reported, two
 * frames after the photo is decoded). On a slow 4G phone
 * their requests then never compete with that photo, nor sit in front of the page's largest
 * paint. Their buttons stay disabled until their code is wired (`wired`), so a tap never falls
 * through to the form's plain submit.
 *
 * Bundled into the layout's inline script: it must import nothing (see cart-count.ts).
 */

/** A photo slow to come never keeps the page's buttons waiting longer than this. */
export const ISLANDS_MAX_WAIT_MS = 3000;

/** Starts the page's waiting island scripts at the moment described above; returns at once. */
export function startIslandsAfterPaint(doc: Document = document): void {
  const waiting = [...doc.querySelectorAll<HTMLTemplateElement>('template[data-module-src]')];
  if (waiting.length === 0) return;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const template of waiting) {
      const script = doc.createElement('script');
      script.type = 'module';
      script.src = template.dataset.moduleSrc!;
      template.replaceWith(script);
    }
  };
  const photo = doc.querySelector<HTMLImageElement>('img[fetchpriority="high"]');
  if (PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint')) {
    // The browser reports its largest paint: start once that is the photo, or something no
    // smaller than the photo's area on screen (so the photo cannot be the largest any more).
    const rect = photo?.getBoundingClientRect();
    const photoArea = rect
      ? Math.max(0, Math.min(rect.right, innerWidth) - Math.max(rect.left, 0)) *
        Math.max(0, Math.min(rect.bottom, innerHeight) - Math.max(rect.top, 0))
      : 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        element: Element | null;
        size: number;
      })[]) {
        if (entry.element === photo || entry.size >= photoArea) {
          observer.disconnect();
          setTimeout(start, 0);
          return;
        }
      }
    });
    observer.observe({ type: 'largest-contentful-paint', buffered: true });
  } else {
    // Otherwise frames are the guide: two frames after the photo is decoded (or the first frame).
    const afterNextPaint = () =>
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 0)));
    if (photo) photo.decode().then(afterNextPaint, start);
    else afterNextPaint();
  }
  setTimeout(start, ISLANDS_MAX_WAIT_MS);
}
