/**
 * How a delivery quote reads (pure, tiny: the checkout page and the product page's estimate both
 * use it): the carrier's name and the estimated date ("thứ Năm, 10/12" / "Thu 10 Dec").
 */
import type { PageLang } from './lang.ts';

export type CarrierKey = 'ghn' | 'ghtk' | 'viettelpost' | 'manual';

const CARRIERS: Record<CarrierKey, { vi: string; en: string }> = {
  ghn: { vi: 'GHN (Giao Hàng Nhanh)', en: 'GHN (Giao Hàng Nhanh)' },
  ghtk: { vi: 'GHTK (Giao Hàng Tiết Kiệm)', en: 'GHTK (Giao Hàng Tiết Kiệm)' },
  viettelpost: { vi: 'Viettel Post', en: 'Viettel Post' },
  manual: { vi: 'Hợp tác xã tự giao', en: 'The cooperative’s own delivery' },
};

export const carrierName = (carrier: string, lang: PageLang): string =>
  (CARRIERS[carrier as CarrierKey] ?? { vi: carrier, en: carrier })[lang];

const WEEKDAYS_VI = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "thứ Năm, 10/12" (vi) or "Thu 10 Dec" (en) from a YYYY-MM-DD date; the text itself if not one. */
export function deliveryDate(date: string, lang: PageLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return lang === 'en'
    ? `${WEEKDAYS_EN[day]} ${d} ${MONTHS_EN[mo - 1]}`
    : `${WEEKDAYS_VI[day]}, ${String(d).padStart(2, '0')}/${String(mo).padStart(2, '0')}`;
}
