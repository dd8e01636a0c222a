/** Small display helpers shared by pages and components (pure; no data access). */
import type { ProducerCard, ProductSummary } from '../../../shared/domain/catalog-view.ts';

const KIND_LABELS: Record<ProducerCard['kind'], string> = {
  household: 'Hộ sản xuất',
  cooperative: 'Hợp tác xã',
  enterprise: 'Doanh nghiệp',
};

/** "Hộ sản xuất" / "Hợp tác xã" / "Doanh nghiệp". */
export function kindLabel(kind: ProducerCard['kind']): string {
  return KIND_LABELS[kind];
}

/** "2025-04-12" or an ISO date-time → "12/04/2025" (the date as written, no time-zone shift). */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

const CERTIFICATION_LABELS: Record<string, string> = {
  organic: 'Hữu cơ',
  VietGAP: 'VietGAP',
  GlobalGAP: 'GlobalGAP',
  OCOP: 'OCOP',
};

export function certificationLabel(code: string): string {
  return CERTIFICATION_LABELS[code] ?? code;
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
export function starsLabel(stars: number): string {
  return `${stars} sao`;
}

/** Link targets, in one place so that every page agrees on the URL shape. */
export const href = {
  product: (slug: string) => `/san-pham/${slug}/`,
  category: (slug: string) => `/san-pham/danh-muc/${slug}/`,
  producer: (slug: string) => `/nha-san-xuat/${slug}/`,
  trace: (code: string) => `/truy-xuat/${encodeURIComponent(code)}/`,
};
