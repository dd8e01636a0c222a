/**
 * One product in the search index and how a query matches it. Pure: the index is built from the
 * catalog at build time (pages/search-index.json.ts) and extended in the browser with products
 * published after the build (shop/search.ts), both through `toSearchEntry`.
 */
import type { LiveSummary } from './live-listing.ts';

export interface SearchEntry extends LiveSummary {
  category: { slug: string; name: { vi: string; en?: string | undefined } };
  /** Folded name (Vietnamese and English). */
  fn: string;
  /** Folded name, category, producer and commune. */
  f: string;
}

type Source = LiveSummary & { category: SearchEntry['category'] };

/** Shapes a catalog summary as an index entry (only what a result card needs, plus folded text). */
export function toSearchEntry(p: Source, fold: (text: string) => string): SearchEntry {
  const fn = fold(`${p.name.vi} ${p.name.en ?? ''}`);
  return {
    slug: p.slug,
    name: p.name,
    category: { slug: p.category.slug, name: p.category.name },
    producer: { name: p.producer.name, commune: { name: p.producer.commune.name } },
    price: p.price,
    inStock: p.inStock,
    publishedAt: p.publishedAt,
    ocop: p.ocop ? { stars: p.ocop.stars } : null,
    images: p.images.slice(0, 1).map((i) => ({
      src: i.src,
      alt: i.alt,
      width: i.width,
      height: i.height,
      srcset: { jpeg: i.srcset.jpeg },
    })),
    fn,
    f: fold(
      [fn, p.category.name.vi, p.category.name.en, p.producer.name, p.producer.commune.name]
        .filter(Boolean)
        .join(' '),
    ),
  };
}

/**
 * The entries matching a query, best first: every word of the query must appear in the entry's
 * text (as the start of a word, so "tan" finds "Tân Cương" but not "Sơn Tân"… unless typed whole);
 * entries whose name holds more of the words come first, then in-stock, then more OCOP stars.
 */
export function searchEntries(
  entries: readonly SearchEntry[],
  query: string,
  fold: (text: string) => string,
): SearchEntry[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (!words.length) return [];
  const startsWord = (text: string, word: string) => ` ${text}`.includes(` ${word}`);
  const scored: { entry: SearchEntry; score: number }[] = [];
  for (const entry of entries) {
    if (!words.every((w) => startsWord(entry.f, w))) continue;
    const inName = words.filter((w) => startsWord(entry.fn, w)).length;
    scored.push({ entry, score: inName * 100 + (entry.inStock ? 10 : 0) + (entry.ocop?.stars ?? 0) });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.entry);
}
