/**
 * The VAT rate of each product category, for a seller's e-invoice lines, written once with the
 * legal ground beside each row.
 *
 * Law: Law on VAT No. 48/2024/QH15 (in force 1 July 2025) and the temporary 2 % reduction of
 * Resolution 204/2025/QH15 (1 July 2025 – 31 December 2026), applied by Decree 174/2025/NĐ-CP.
 *  - Art. 5(1) Law 48/2024: products of cultivation and husbandry "chưa chế biến thành các sản
 *    phẩm khác hoặc chỉ qua sơ chế thông thường" sold by the organisation or person who grew them
 *    are not subject to VAT (không chịu thuế, printed "KCT").
 *  - Art. 9(2) Law 48/2024: the same products at the commercial stage (sold by someone who did not
 *    grow them) are at 5 %.
 *  - Art. 9(3) Law 48/2024: everything else is at 10 %; Resolution 204/2025/QH15 and Decree
 *    174/2025/NĐ-CP reduce goods at 10 % to 8 % until 31 December 2026 (processed food is not on
 *    the excluded lists of the decree's appendices).
 * "Sơ chế thông thường" (cleaning, sun or oven drying, husking, cutting, salting, chilling) is the
 * list of Decree 181/2025/NĐ-CP guiding the law: drying bamboo shoots or mushrooms, milling rice
 * and extracting honey stay within it; pan-firing and rolling tea leaves (sao, vò) and making tea
 * bags or vermicelli make another product.
 *
 * Whether the seller grew what it sells is its own statement in the invoice settings
 * (`grower`): a cooperative selling its members' own harvest or an enterprise with its own farms
 * says so; a trader does not. A seller's tax office has the last word on a borderline product:
 * this table is the exchange's default, shown to the seller on the board.
 */
import type { Category } from '../domain/categories.ts';

/** A line's VAT treatment: a rate in percent, or "KCT" (không chịu thuế, not subject to VAT). */
export type VatRate = 0 | 5 | 8 | 10 | 'KCT';

/** The printed form of a rate (QĐ 1450 `TSuat`): "KCT", "5%", "8%", "10%". */
export const vatLabel = (rate: VatRate): string => (rate === 'KCT' ? 'KCT' : `${rate}%`);

interface VatRow {
  /** Unprocessed or only ordinarily pre-processed farm produce (Art. 5(1) / 9(2)). */
  unprocessed: boolean;
  /** Why, with the legal reference. */
  ground: string;
}

type Slug = Category['slug'];

/** One row per category of shared/domain/categories.ts (a unit test checks none is missing). */
export const VAT_TABLE: Readonly<Record<Slug, VatRow>> = {
  'che-dinh': {
    unprocessed: false,
    ground:
      'Chè đã sao, vò, sấy: sản phẩm chế biến — Law 48/2024 Art. 9(3); 8 % until 31/12/2026 (Resolution 204/2025/QH15, Decree 174/2025/NĐ-CP)',
  },
  'che-tom-non': {
    unprocessed: false,
    ground: 'Chè đã sao, vò, sấy — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'che-non': {
    unprocessed: false,
    ground: 'Chè đã sao, vò, sấy — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'che-moc-cau': {
    unprocessed: false,
    ground: 'Chè đã sao, vò, sấy — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'che-bup': {
    unprocessed: false,
    ground: 'Chè đã sao, vò, sấy — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'tra-tui-loc': {
    unprocessed: false,
    ground: 'Trà túi lọc: thực phẩm chế biến — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'tra-gaba': {
    unprocessed: false,
    ground: 'Trà GABA: thực phẩm chế biến — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'mat-ong': {
    unprocessed: true,
    ground:
      'Mật ong tự nhiên chưa chế biến (sản phẩm chăn nuôi) — Law 48/2024 Art. 5(1) KCT by the beekeeper, Art. 9(2) 5 % otherwise',
  },
  'mang-kho': {
    unprocessed: true,
    ground:
      'Măng phơi, sấy khô: sơ chế thông thường — Law 48/2024 Art. 5(1) KCT by the grower, Art. 9(2) 5 % otherwise',
  },
  nam: {
    unprocessed: true,
    ground:
      'Nấm tươi hoặc sấy khô: sơ chế thông thường — Law 48/2024 Art. 5(1) KCT by the grower, Art. 9(2) 5 % otherwise',
  },
  'mien-gao': {
    unprocessed: false,
    ground:
      'Miến (and packed rice sold with it): thực phẩm chế biến — Law 48/2024 Art. 9(3); 8 % (Resolution 204/2025/QH15)',
  },
  'trai-cay': {
    unprocessed: true,
    ground: 'Trái cây tươi — Law 48/2024 Art. 5(1) KCT by the grower, Art. 9(2) 5 % otherwise',
  },
};

/** The last day of the 8 % reduction (Resolution 204/2025/QH15 Art. 1). */
export const REDUCED_RATE_UNTIL = '2026-12-31';

/**
 * The rate of a line of `category` sold on `date` (YYYY-MM-DD, Vietnam time) by a seller that
 * grew it (`grower`) or not. Throws on a category the table does not know.
 */
export function vatRateFor(category: string, options: { grower: boolean; date: string }): VatRate {
  if (category === SHIPPING_CATEGORY) return options.date <= REDUCED_RATE_UNTIL ? 8 : 10;
  const row = (VAT_TABLE as Record<string, VatRow | undefined>)[category];
  if (!row) throw new Error(`No VAT row for category ${category}`);
  if (row.unprocessed) return options.grower ? 'KCT' : 5;
  return options.date <= REDUCED_RATE_UNTIL ? 8 : 10;
}

/**
 * The shipping a seller charges on its part: a transport service, Law 48/2024 Art. 9(3), at 8 %
 * under Resolution 204/2025/QH15 until 31 December 2026 (transport is not excluded).
 */
export const SHIPPING_CATEGORY = 'van-chuyen';

/** VAT of a line amount before tax, rounded to whole đồng; 0 for KCT. */
export function vatAmount(amountBeforeTax: number, rate: VatRate): number {
  return rate === 'KCT' ? 0 : Math.round((amountBeforeTax * rate) / 100);
}
