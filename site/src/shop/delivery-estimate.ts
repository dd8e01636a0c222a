/**
 * The product page's delivery estimate island (components/shop/DeliveryEstimate.astro): the
 * province chosen is kept on the device (`tn.deliveryProvince`), and the estimate is asked of
 * POST /api/orders/quote (`quoteShipping`) for the first pack, quantity 1, to the province's first
 * commune. Tiny on purpose: no shared API client, only fetch.
 */
import { formatVnd } from '../../../shared/domain/money.ts';
import { carrierName, deliveryDate } from './delivery-text.ts';
import { pageLang, tr } from './lang.ts';
import { wired } from './wired.ts';

export const PROVINCE_KEY = 'tn.deliveryProvince';

interface QuotePart {
  carrier: string;
  fee: number;
  estimatedDelivery: string;
}

function remembered(): string {
  try {
    return localStorage.getItem(PROVINCE_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(code: string): void {
  try {
    if (code) localStorage.setItem(PROVINCE_KEY, code);
    else localStorage.removeItem(PROVINCE_KEY);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function startDeliveryEstimates(): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-delivery-estimate]')) {
    const select = box.querySelector<HTMLSelectElement>('[data-province]')!;
    const out = box.querySelector<HTMLElement>('[data-estimate]')!;
    const prompt = out.textContent ?? '';
    let seq = 0;
    const run = async () => {
      const option = select.selectedOptions[0];
      const provinceCode = select.value;
      const wardCode = option?.dataset.ward ?? '';
      const mine = ++seq;
      if (!provinceCode || !wardCode) {
        out.textContent = prompt;
        return;
      }
      const place = option?.textContent?.trim() ?? '';
      out.textContent = tr('Đang tính…', 'Working it out…');
      box.setAttribute('aria-busy', 'true');
      try {
        const res = await fetch('/api/orders/quote', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            lines: [{ variantId: box.dataset.variant, quantity: 1 }],
            address: { provinceCode, wardCode },
          }),
        });
        const body = (await res.json().catch(() => ({}))) as {
          parts?: QuotePart[];
          error?: { message?: string };
        };
        if (mine !== seq) return;
        const part = body.parts?.[0];
        if (!res.ok || !part) {
          const message = body.error?.message ?? '';
          out.textContent =
            res.status === 422 && message
              ? pageLang() === 'en' && message.includes(' / ')
                ? message.split(' / ').pop()!
                : message.split(' / ')[0]!
              : tr(
                  'Chưa tính được phí giao hàng lúc này; phí chính xác hiện ở trang đặt hàng.',
                  'The delivery fee could not be worked out now; the exact fee shows at checkout.',
                );
          return;
        }
        const lang = pageLang();
        const date = deliveryDate(part.estimatedDelivery, lang);
        const fee = part.fee ? formatVnd(part.fee) : tr('miễn phí', 'free');
        out.textContent = tr(
          `Giao đến ${place}: dự kiến ${date}, phí từ ${fee} (${carrierName(part.carrier, lang)}).`,
          `Delivery to ${place}: expected ${date}, fee from ${fee} (${carrierName(part.carrier, lang)}).`,
        );
      } catch {
        if (mine === seq) {
          out.textContent = tr(
            'Không kết nối được; kiểm tra mạng rồi chọn lại tỉnh/thành.',
            'No connection; check the network, then choose the province again.',
          );
        }
      } finally {
        if (mine === seq) box.removeAttribute('aria-busy');
      }
    };
    select.addEventListener('change', () => {
      remember(select.value);
      void run();
    });
    const saved = remembered();
    if (saved && select.querySelector(`option[value="${CSS.escape(saved)}"]`)) {
      select.value = saved;
      void run();
    }
    wired(box);
  }
}
