/**
 * The search page's island: searches the built catalog (/search-index.json) in the browser as you
 * type — no server round trip — ignoring diacritics and case, and adds products published after
 * the build from the catalog API. The query lives in the URL (?q=), so results can be shared.
 */
import { foldForSearch } from '../../../shared/domain/text.ts';
import { newCard, type LiveSummary } from './live-listing.ts';
import { pageLang, tr } from './lang.ts';
import { searchEntries, toSearchEntry, type SearchEntry } from './search-entry.ts';

const MAX_RESULTS = 48;

async function loadEntries(): Promise<SearchEntry[]> {
  const built = (await (await fetch('/search-index.json')).json()) as {
    builtAt: string;
    items: SearchEntry[];
  };
  const entries = built.items;
  try {
    const res = await fetch('/api/catalog/products?sort=newest&limit=60', {
      headers: { accept: 'application/json' },
      cache: 'no-cache',
    });
    if (res.ok) {
      const known = new Set(entries.map((e) => e.slug));
      const page = (await res.json()) as { items: (LiveSummary & { category: SearchEntry['category'] })[] };
      for (const p of page.items) {
        if (!known.has(p.slug) && p.publishedAt > built.builtAt)
          entries.unshift(toSearchEntry(p, foldForSearch));
      }
    }
  } catch {
    // Offline or API down: the built index still answers.
  }
  return entries;
}

export function initSearch(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const input = form?.querySelector<HTMLInputElement>('input[name=q]');
  const list = document.querySelector<HTMLElement>('[data-search-results]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  if (!form || !input || !list || !status) return;
  const en = pageLang() === 'en';
  input.value = new URLSearchParams(location.search).get('q') ?? '';
  status.textContent = tr('Đang tải danh mục…', 'Loading the catalog…');

  let entries: SearchEntry[] = [];
  const render = () => {
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!query) {
      list.replaceChildren();
      status.textContent = tr(
        `Gõ tên sản phẩm, vùng chè hay nhà sản xuất — ${entries.length} sản phẩm.`,
        `Type a product, tea area or producer — ${entries.length} products.`,
      );
      return;
    }
    const found = searchEntries(entries, query, foldForSearch);
    list.replaceChildren(...found.slice(0, MAX_RESULTS).map((e) => newCard(e, en, false)));
    status.textContent = found.length
      ? tr(`${found.length} sản phẩm khớp “${query}”.`, `${found.length} products match “${query}”.`)
      : tr(
          `Không có sản phẩm nào khớp “${query}”. Thử từ khác, hoặc xem tất cả sản phẩm.`,
          `No products match “${query}”. Try other words, or browse all products.`,
        );
  };

  loadEntries()
    .then((loaded) => {
      entries = loaded;
      render();
      input.addEventListener('input', render);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        render();
      });
    })
    .catch(() => {
      status.textContent = tr(
        'Không tải được danh mục sản phẩm. Hãy thử tải lại trang.',
        'The catalog could not be loaded. Try reloading the page.',
      );
    });
}
