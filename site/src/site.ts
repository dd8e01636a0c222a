/** Site-wide constants: one place for the storefront's name, wording and build flags. */

export const SITE = {
  name: 'Sàn OCOP Thái Nguyên',
  shortName: 'OCOP Thái Nguyên',
  tagline: 'Chè Thái Nguyên và sản phẩm OCOP, mua tận gốc từ hộ trồng chè và hợp tác xã',
  description:
    'Sàn thương mại điện tử của hộ sản xuất và hợp tác xã tỉnh Thái Nguyên: chè Tân Cương, La Bằng, Khe Cốc… và sản phẩm OCOP 3–5 sao, rõ nguồn gốc từng lô.',
  locale: 'vi_VN',
  lang: 'vi',
  themeColor: '#1f4d2c',
} as const;

/** Main navigation; `match` is the path prefix that marks the item as current. */
export const NAV = [
  { href: '/san-pham/', label: 'Sản phẩm', match: '/san-pham/' },
  { href: '/nha-san-xuat/', label: 'Nhà sản xuất', match: '/nha-san-xuat/' },
  { href: '/#ocop', label: 'Về OCOP', match: null },
] as const;

/**
 * Set PUBLIC_DEMO_DATA=true when building against made-up seed data (the local runtime does):
 * the footer then says so on every page.
 */
export const DEMO_DATA =
  import.meta.env.PUBLIC_DEMO_DATA === 'true' || process.env.PUBLIC_DEMO_DATA === 'true';

export const DEMO_NOTICE = 'Dữ liệu minh hoạ — chạy cục bộ';
