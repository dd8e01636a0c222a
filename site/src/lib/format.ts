/** Small display helpers shared by pages and components (pure; no data access). */
import type { ProducerCard, ProductSummary } from '../../../shared/domain/catalog-view.ts';
import { localizePath, messages, type Lang } from '../i18n/index.ts';

/** "Hộ sản xuất" / "Hợp tác xã" / "Doanh nghiệp" (or "Household" / … in English). */
export function kindLabel(kind: ProducerCard['kind'], lang: Lang = 'vi'): string {
  return messages(lang).kinds[kind];
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "2025-04-12" or an ISO date-time → "12/04/2025" in Vietnamese, "12 Apr 2025" in English (the
 * date as written, no time-zone shift).
 */
export function formatDate(iso: string, lang: Lang = 'vi'): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  if (lang === 'en') return `${Number(d)} ${MONTHS_EN[Number(m) - 1] ?? m} ${y}`;
  return `${d}/${m}/${y}`;
}

/** "Hữu cơ" / "Organic"; VietGAP, GlobalGAP and OCOP are names in both languages. */
export function certificationLabel(code: string, lang: Lang = 'vi'): string {
  return messages(lang).certifications[code] ?? code;
}

/** "Xã Tân Cương, Tỉnh Thái Nguyên" */
export function placeLabel(p: Pick<ProducerCard, 'commune' | 'province'>): string {
  return [p.commune.name, p.province.name].filter(Boolean).join(', ');
}

/** The cheapest price per 100 g among a product's weighed packs, or null when none is weighed. */
export function lowestPer100g(product: Pick<ProductSummary, 'variants'>): number | null {
  const values = product.variants.map((v) => v.pricePer100g).filter((v): v is number => v !== null);
  return values.length ? Math.min(...values) : null;
}

/** Paragraphs of a plain-text description (blank lines or single newlines split them). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** "5 sao" — the accessible name of a star rating. */
export function starsLabel(stars: number, lang: Lang = 'vi'): string {
  return messages(lang).stars(stars);
}

/** Link targets, in one place so that every page agrees on the URL shape. */
export const href = {
  product: (slug: string) => `/san-pham/${slug}/`,
  category: (slug: string) => `/san-pham/danh-muc/${slug}/`,
  producer: (slug: string) => `/nha-san-xuat/${slug}/`,
  trace: (code: string) => `/truy-xuat/${encodeURIComponent(code)}/`,
};

/** The same link targets in a language (`/en/…` in English). */
export function hrefs(lang: Lang) {
  const L = (path: string) => localizePath(lang, path);
  return {
    home: L('/'),
    products: L('/san-pham/'),
    producers: L('/nha-san-xuat/'),
    search: L('/tim-kiem/'),
    product: (slug: string) => L(href.product(slug)),
    category: (slug: string) => L(href.category(slug)),
    producer: (slug: string) => L(href.producer(slug)),
    trace: (code: string) => L(href.trace(code)),
    page: L,
  };
}
