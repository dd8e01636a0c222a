/**
 * /search-index.json: the built catalog for the search page (site/src/shop/search.ts), which
 * searches it in the browser without a server round trip. Each entry carries what a result card
 * shows plus `f`, its text folded for diacritic- and case-insensitive matching (the same folding as
 * the catalog API). `builtAt` lets the page ask the API only for products published since.
 */
import type { APIRoute } from 'astro';
import { foldForSearch } from '../../../shared/domain/text.ts';
import { getProducts } from '../lib/catalog.ts';
import { toSearchEntry } from '../shop/search-entry.ts';

export const GET: APIRoute = async () => {
  const products = await getProducts();
  const body = {
    builtAt: new Date().toISOString(),
    items: products.map((p) => toSearchEntry(p, foldForSearch)),
  };
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
};
