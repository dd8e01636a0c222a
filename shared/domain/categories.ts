/**
 * Product categories: the tea grades buyers look for, then the OCOP product groups.
 */
export interface Category {
  slug: string;
  name: { vi: string; en: string };
  group: 'tea' | 'ocop';
}

export const CATEGORIES: readonly Category[] = [
  { slug: 'che-dinh', name: { vi: 'Chè đinh', en: 'Premium bud tea' }, group: 'tea' },
  { slug: 'che-tom-non', name: { vi: 'Chè tôm nõn', en: 'Young bud tea' }, group: 'tea' },
  { slug: 'che-non', name: { vi: 'Chè nõn', en: 'Young shoot tea' }, group: 'tea' },
  { slug: 'che-moc-cau', name: { vi: 'Chè móc câu', en: 'Hook-leaf tea' }, group: 'tea' },
  { slug: 'che-bup', name: { vi: 'Chè búp', en: 'Bud and leaf tea' }, group: 'tea' },
  { slug: 'tra-tui-loc', name: { vi: 'Trà túi lọc', en: 'Tea bags' }, group: 'tea' },
  { slug: 'tra-gaba', name: { vi: 'Trà GABA', en: 'GABA tea' }, group: 'tea' },
  { slug: 'mat-ong', name: { vi: 'Mật ong', en: 'Honey' }, group: 'ocop' },
  { slug: 'mang-kho', name: { vi: 'Măng khô', en: 'Dried bamboo shoots' }, group: 'ocop' },
  { slug: 'nam', name: { vi: 'Nấm', en: 'Mushrooms' }, group: 'ocop' },
  { slug: 'mien-gao', name: { vi: 'Miến và gạo', en: 'Vermicelli and rice' }, group: 'ocop' },
  { slug: 'trai-cay', name: { vi: 'Trái cây', en: 'Fruit' }, group: 'ocop' },
] as const;

export const CATEGORY_SLUGS = CATEGORIES.map((c) => c.slug) as [string, ...string[]];

export function findCategory(slug: string): Category | undefined {
  return CATEGORIES.find((c) => c.slug === slug);
}
