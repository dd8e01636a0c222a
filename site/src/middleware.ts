/**
 * Islands after the first paint: on a page whose layout asks for it (`islandsAfterPaint`: the
 * catalog's listings and the product page, the pages measured by their largest paint), every
 * module script this build wrote under /_astro/ is sent as `<template data-module-src="…">`, which
 * the browser neither fetches nor runs, and the layout's inline script starts them after the
 * page's largest photo and first paint (site/src/shop/after-paint.ts). Runs for the prebuilt
 * pages at build time and for the pages rendered on request in the renderer alike.
 */
import { defineMiddleware } from 'astro:middleware';
import { deferModuleScripts } from './lib/defer-scripts.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
  // The flag is set while the page renders, so the whole body is read before it is looked at.
  const html = await response.text();
  const body = context.locals.islandsAfterPaint ? deferModuleScripts(html) : html;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
});
