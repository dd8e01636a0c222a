/**
 * /dat-truoc/?dot=<window id>: reserve packs of an open pre-order window and pay the deposit.
 * Reads the window from GET /api/preorders, shows what is left and the deposit rule before
 * anything is paid, sends POST /api/preorders/{id}/reservations with an Idempotency-Key (the same
 * key while the form is unchanged, so a retry after a lost answer finds the same reservation),
 * then goes to VNPay, or to the VietQR page of the placed order.
 */
import { h, fill, byId, show } from '../seller/dom.ts';
import { initCommunePicker } from '../seller/communes.ts';
import { ApiFailure, api } from './api.ts';
import { localHref, pageLang, tr } from './lang.ts';
import { deviceStore, rememberOrder } from './store.ts';
import { formatVnd, toE164 } from './text.ts';

interface WindowPack {
  id: string;
  grams: number;
  price: number;
  deposit: number;
  tolerancePercent?: number;
  left: number;
}

export interface PublicWindow {
  id: string;
  productName: string;
  productSlug: string;
  fulfillerName: string;
  season: string;
  phase: string;
  opensOn: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  packs: WindowPack[];
  leftGrams: number;
  depositPercent: number;
  graceDays: number;
  depositRule: { vi: string; en: string };
}

const day = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

export const packText = (p: Pick<WindowPack, 'grams' | 'tolerancePercent'>) => {
  const weight = p.grams >= 1000 && p.grams % 1000 === 0 ? `${p.grams / 1000} kg` : `${p.grams} g`;
  return p.tolerancePercent === undefined
    ? weight
    : tr(`khoảng ${weight} (±${p.tolerancePercent}%)`, `about ${weight} (±${p.tolerancePercent}%)`);
};

/** The window as the product page and this page say it. */
export function windowFacts(w: PublicWindow): HTMLElement {
  return h(
    'div',
    null,
    h(
      'p',
      null,
      h('strong', null, tr(`Đặt trước: ${w.productName}`, `Pre-order: ${w.productName}`)),
      ` — ${w.season}`,
    ),
    h(
      'ul',
      null,
      h(
        'li',
        null,
        tr(
          `Nhận đặt trước đến hết ngày ${day(w.closesOn)}`,
          `Reservations close at the end of ${day(w.closesOn)}`,
        ),
      ),
      h(
        'li',
        null,
        tr(
          `Dự kiến thu hái và gửi hàng từ ${day(w.harvestFrom)} đến ${day(w.harvestTo)}`,
          `Expected harvest and dispatch from ${day(w.harvestFrom)} to ${day(w.harvestTo)}`,
        ),
      ),
      h(
        'li',
        null,
        tr(
          `Còn khoảng ${(w.leftGrams / 1000).toLocaleString('vi-VN')} kg · đặt cọc ${w.depositPercent}% · giá đã gồm phí giao`,
          `About ${(w.leftGrams / 1000).toLocaleString('en')} kg left · ${w.depositPercent}% deposit · delivery included`,
        ),
      ),
    ),
    h('p', { class: 'hint' }, pageLang() === 'en' ? w.depositRule.en : w.depositRule.vi),
  );
}

export async function openWindows(query: string): Promise<PublicWindow[]> {
  return (await api<{ items: PublicWindow[] }>(`/api/preorders${query}`)).items;
}

export function initPreorder(): void {
  const id = new URLSearchParams(location.search).get('dot') ?? '';
  void load(id);
}

async function load(id: string): Promise<void> {
  let w: PublicWindow | undefined;
  try {
    w = (await openWindows('')).find((x) => x.id === id && x.phase === 'open');
  } catch {
    w = undefined;
  }
  show(byId('po-loading'), false);
  if (!w) {
    show(byId('po-missing'));
    return;
  }
  const form = byId<HTMLFormElement>('preorder');
  fill(byId('po-window'), windowFacts(w));
  byId('po-rule').textContent = pageLang() === 'en' ? w.depositRule.en : w.depositRule.vi;
  const inputs = w.packs.map((p) => {
    const input = h('input', {
      id: `po-q-${p.id}`,
      type: 'number',
      inputmode: 'numeric',
      min: '0',
      max: String(Math.min(50, p.left)),
      value: '0',
      'data-pack': p.id,
    }) as HTMLInputElement;
    return { pack: p, input };
  });
  fill(
    byId('po-pack-fields'),
    inputs.map(({ pack, input }) =>
      h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: input.id },
          `${packText(pack)} — ${formatVnd(pack.price)} (${tr('cọc', 'deposit')} ${formatVnd(pack.deposit)})`,
        ),
        input,
      ),
    ),
  );
  if (inputs[0]) inputs[0].input.value = '1';
  const picker = initCommunePicker(byId('po-address'));
  void picker;
  const delivery = () =>
    form.querySelector<HTMLInputElement>('input[name=delivery]:checked')?.value === 'pickup'
      ? 'pickup'
      : 'shipping';
  const totals = () => {
    const value = inputs.reduce((s, { pack, input }) => s + pack.price * (Number(input.value) || 0), 0);
    byId('po-value').textContent = formatVnd(value);
    byId('po-deposit').textContent = formatVnd(Math.ceil((value * w.depositPercent) / 100));
  };
  form.addEventListener('input', totals);
  form.addEventListener('change', () => show(byId('po-address'), delivery() === 'shipping'));
  totals();
  show(form);

  const status = byId('po-status');
  const say = (tone: 'ok' | 'error', text: string) => {
    status.className = `notice notice--${tone}`;
    status.textContent = text;
    show(status);
    status.focus();
  };
  let key = '';
  let lastBody = '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const lines = inputs
      .map(({ pack, input }) => ({ packId: pack.id, quantity: Math.floor(Number(input.value) || 0) }))
      .filter((l) => l.quantity > 0);
    const name = String(data.get('name') ?? '').trim();
    const phone = String(data.get('phone') ?? '').trim();
    // Each problem beside its field (the page has an error slot for each), the first one focused.
    const problems: [field: string, message: string][] = [];
    if (lines.length === 0)
      problems.push(['po-lines', tr('Hãy chọn ít nhất một gói.', 'Choose at least one pack.')]);
    if (!name) problems.push(['po-name', tr('Hãy nhập họ và tên.', 'Enter your full name.')]);
    if (!toE164(phone))
      problems.push([
        'po-phone',
        tr('Số điện thoại di động không hợp lệ.', 'That is not a Vietnamese mobile number.'),
      ]);
    const wardCode = String(data.get('wardCode') ?? '');
    if (delivery() === 'shipping' && !/^\d{5}$/.test(wardCode))
      problems.push([
        'po-commune',
        tr('Hãy chọn xã/phường nhận hàng.', 'Choose the commune or ward to deliver to.'),
      ]);
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    if (problems.length > 0) {
      show(status, false);
      for (const [field, message] of problems) {
        const slot = byId(`${field}-error`);
        slot.textContent = message;
        show(slot);
        document.getElementById(field)?.setAttribute('aria-invalid', 'true');
      }
      const [first] = problems[0]!;
      (first === 'po-lines' ? byId('po-lines-error') : byId(first)).focus();
      return;
    }
    const paymentMethod = String(data.get('payment') ?? 'vnpay') as 'vnpay' | 'vietqr';
    const body = {
      lines,
      contact: { name, phone },
      delivery:
        delivery() === 'pickup'
          ? { method: 'pickup' as const }
          : {
              method: 'shipping' as const,
              address: {
                provinceCode: String(data.get('provinceCode') ?? ''),
                wardCode,
                street: String(data.get('street') ?? '').trim() || '-',
              },
            },
      paymentMethod,
      balanceMethod: String(data.get('balance') ?? 'online') as 'online' | 'cod',
      locale: pageLang(),
    };
    const text = JSON.stringify(body);
    if (text !== lastBody || !key) {
      key = `po_${crypto.randomUUID().replaceAll('-', '')}`;
      lastBody = text;
    }
    void submit(w, body, key, say);
  });
}

async function submit(
  w: PublicWindow,
  body: { paymentMethod: 'vnpay' | 'vietqr'; contact: { phone: string } } & Record<string, unknown>,
  key: string,
  say: (tone: 'ok' | 'error', text: string) => void,
): Promise<void> {
  const button = byId<HTMLButtonElement>('po-submit');
  button.disabled = true;
  try {
    const placed = await api<{
      order: { code: string; total: number; preorder: { deposit: number } };
      payment: {
        id: string;
        client_secret: string | null;
        next_action: { type: string; redirect_to_url?: { url: string } } | null;
      };
    }>(`/api/preorders/${encodeURIComponent(w.id)}/reservations`, {
      method: 'POST',
      body,
      headers: { 'idempotency-key': key },
    });
    const { order, payment } = placed;
    rememberOrder(deviceStore(), {
      code: order.code,
      phone: body.contact.phone,
      paymentMethod: body.paymentMethod,
      paymentId: payment.id,
      clientSecret: payment.client_secret,
      total: order.preorder.deposit,
      placedAt: new Date().toISOString(),
    });
    const url = payment.next_action?.redirect_to_url?.url;
    if (body.paymentMethod === 'vnpay' && url) {
      say(
        'ok',
        tr(
          `Đã giữ chỗ đặt trước ${order.code}. Đang chuyển sang VNPay để trả ${formatVnd(order.preorder.deposit)} tiền cọc…`,
          `Pre-order ${order.code} held. Taking you to VNPay to pay the ${formatVnd(order.preorder.deposit)} deposit…`,
        ),
      );
      location.assign(url);
      return;
    }
    location.assign(localHref(`/thanh-toan/da-dat/?ma=${encodeURIComponent(order.code)}`));
  } catch (error) {
    say(
      'error',
      error instanceof ApiFailure
        ? error.message
        : tr('Có lỗi; hãy thử lại.', 'Something went wrong: try again.'),
    );
    button.disabled = false;
  }
}
