/**
 * The search page's island: asks the catalog API's search (`GET /api/catalog/products?q=`) as you
 * type, after a short pause, a page of results at a time. The query in the request is folded first
 * (NFD, marks dropped, đ → d, lower-case — the API folds the same way), so "Chè Tân Cương", "che
 * tan cuong" and a decomposed form are one URL: one answer cached at CloudFront for every shopper,
 * and once per page in memory here. A search costs a few small answers (a page of cards each), not
 * the whole catalog: its size does not grow with the catalog. The query lives in the URL (?q=).
 */
import { foldForSearch } from '../../../shared/domain/text.ts';
import { newCard, type LiveSummary } from './live-listing.ts';
import { pageLang, tr } from './lang.ts';

/** Results per answer: a screenful, small enough to stay a few KB gzipped. */
const PAGE_SIZE = 12;
/** Folded letters before the first request: one letter matches nearly everything. */
const MIN_LETTERS = 2;
/** Pause after the last keystroke before asking: typing a word costs one request, not one a letter. */
const DEBOUNCE_MS = 150;

interface SearchPage {
  items: LiveSummary[];
  nextCursor: string | null;
  total: number;
}

/** Whether a query is worth asking about (the page waits for a second letter). */
export function shouldAsk(query: string): boolean {
  return foldForSearch(query).replace(/ /g, '').length >= MIN_LETTERS;
}

/** The API path of one page of a search; the same for every spelling of the same words. */
export function searchPath(query: string, cursor?: string | null): string {
  const params = new URLSearchParams({ q: foldForSearch(query), limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  return `/api/catalog/products?${params}`;
}

const answers = new Map<string, Promise<SearchPage>>();

/**
 * One request per search URL, shared by every search that asks for it, so no one search may
 * cancel it: a search that is overtaken just ignores the answer (see `current` below).
 */
function fetchPage(path: string): Promise<SearchPage> {
  let answer = answers.get(path);
  if (!answer) {
    answer = fetch(path, { headers: { accept: 'application/json' } }).then(async (res) => {
      if (!res.ok) throw new Error(`search answered ${res.status}`);
      return (await res.json()) as SearchPage;
    });
    answers.set(path, answer);
    // A failed answer is not kept: the next keystroke asks again.
    answer.catch(() => answers.delete(path));
  }
  return answer;
}

export function initSearch(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const input = form?.querySelector<HTMLInputElement>('input[name=q]');
  const list = document.querySelector<HTMLElement>('[data-search-results]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const more = document.querySelector<HTMLButtonElement>('[data-search-more]');
  if (!form || !input || !list || !status || !more) return;
  const en = pageLang() === 'en';
  input.value = new URLSearchParams(location.search).get('q') ?? '';

  // The latest search: an answer to any earlier one arrives too late and is dropped.
  let current = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next: string | null = null;

  const keepInUrl = (query: string) => {
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
  };

  const describe = (query: string, total: number) => {
    status.textContent = total
      ? tr(`${total} sản phẩm khớp “${query}”.`, `${total} products match “${query}”.`)
      : tr(
          `Không có sản phẩm nào khớp “${query}”. Thử từ khác, hoặc xem tất cả sản phẩm.`,
          `No products match “${query}”. Try other words, or browse all products.`,
        );
  };

  const search = async (append: boolean) => {
    const query = input.value.trim();
    keepInUrl(query);
    const ticket = ++current;
    if (!shouldAsk(query)) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = tr(
        'Gõ tên sản phẩm, vùng chè hay nhà sản xuất.',
        'Type a product, tea area or producer.',
      );
      return;
    }
    if (!append) status.textContent = tr('Đang tìm…', 'Searching…');
    try {
      const page = await fetchPage(searchPath(query, append ? next : null));
      if (ticket !== current) return; // a newer query is on its way
      const cards = page.items.map((p) => newCard(p, en, false));
      if (append) list.append(...cards);
      else list.replaceChildren(...cards);
      next = page.nextCursor;
      more.hidden = !next;
      describe(query, page.total);
    } catch {
      if (ticket !== current) return;
      status.textContent = tr(
        'Không tìm được lúc này. Hãy thử lại.',
        'Search is not answering right now. Try again.',
      );
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(false), DEBOUNCE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void search(false);
  });
  more.addEventListener('click', () => void search(true));
  void search(false);
}
