import { buildCatalog, type Catalog, type CatalogInput } from '../domain/catalog-query.ts';
import { loadCatalogInput } from './catalog-input.ts';

export { loadCatalogInput };

/**
 * A short-lived in-process snapshot of the catalog. Browsing tolerates a few seconds of
 * staleness; checkout never reads stock from here. Concurrent callers share one load.
 */
export function createCatalogCache(ttlMs: number, load: () => Promise<CatalogInput> = loadCatalogInput) {
  let cached: { at: number; day: string; catalog: Promise<Catalog> } | undefined;
  return {
    get(now = Date.now()): Promise<Catalog> {
      const day = new Date(now).toISOString().slice(0, 10);
      // A new day can expire an OCOP certificate, so the snapshot never spans midnight.
      if (!cached || now - cached.at >= ttlMs || cached.day !== day) {
        const catalog = load().then((input) => buildCatalog(input, day));
        catalog.catch(() => {
          if (cached?.catalog === catalog) cached = undefined;
        });
        cached = { at: now, day, catalog };
      }
      return cached.catalog;
    },
    clear(): void {
      cached = undefined;
    },
  };
}
