/**
 * /don-hang/: find an order by code and phone, show every step (once), the expected delivery,
 * cancel before confirmation, and pay again / pay another way while an online payment is
 * still awaited. Once the order is paid or confirmed, the cart it was placed from is emptied.
 */
import { byId, fill, h } from '../seller/dom.ts';
import { ApiFailure, cancelOrder, getOrder, networkMessage, type OrderView } from './api.ts';
import { store } from './cart.ts';
import { localHref, pageLang, tr } from './lang.ts';
import { orderDetails, statusPill } from './order-view.ts';
import { canPayAgain, payAgainPanel } from './pay-again.ts';
import { reviewPanel } from './review-form.ts';
import { preorderPanel } from './preorder-track.ts';
import { store as deviceCart, saveCart } from './cart.ts';
import { findOrder, orderSettled, recentOrders } from './store.ts';
import {
  formatDateTime,
  formatVnd,
  normalizeOrderCode,
  ORDER_CODE,
  shopperCanCancel,
  statusLabel,
  toE164,
} from './text.ts';

export function initTracking(): void {
  const form = byId<HTMLFormElement>('track-form');
  const codeInput = byId<HTMLInputElement>('track-code');
  const phoneInput = byId<HTMLInputElement>('track-phone');
  const status = byId('track-status');
  let current: { code: string; phone: string } | undefined;
  let invoiceSeq = 0;

  const say = (tone: 'info' | 'ok' | 'error' | 'warn', text = '') => {
    status.className = `notice notice--${tone}`;
    status.setAttribute('role', tone === 'error' ? 'alert' : 'status');
    status.textContent = text;
    status.hidden = !text;
  };
  const fieldError = (input: HTMLInputElement, text: string) => {
    const el = byId(`${input.id}-error`);
    el.textContent = text;
    el.hidden = !text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };

  const render = async (order: OrderView) => {
    byId('track-title').textContent = tr(`Đơn ${order.code}`, `Order ${order.code}`);
    fill(byId('track-pill'), statusPill(order.status, order.paymentMethod));
    byId('track-placed').textContent = tr(
      `Đặt lúc ${formatDateTime(order.createdAt)} · ${formatVnd(order.total)}`,
      `Placed ${formatDateTime(order.createdAt, 'en')} · ${formatVnd(order.total)}`,
    );
    fill(byId('track-details'), await orderDetails(order));
    const cancellable = shopperCanCancel(order.subOrders.map((s) => s.status));
    byId('track-cancel').hidden = !cancellable;
    byId('cancel-confirm').hidden = true;
    byId('cancel-ask').hidden = false;
    byId('cancel-code').textContent = order.code;
    // A VietQR order still waiting for its transfer: back to its QR code.
    const mine = findOrder(store, order.code);
    const pay = byId<HTMLAnchorElement>('track-pay');
    pay.hidden = !(
      order.status === 'pending_payment' &&
      order.paymentMethod === 'vietqr' &&
      mine?.clientSecret
    );
    pay.href = localHref(`/thanh-toan/da-dat/?ma=${encodeURIComponent(order.code)}`);
    const again = byId('track-pay-again');
    if (current && canPayAgain(order)) fill(again, payAgainPanel(order, current.phone));
    else fill(again);
    again.hidden = !(current && canPayAgain(order));
    const reviews = current ? reviewPanel(order, current.phone) : [];
    fill(byId('track-reviews-list'), reviews);
    byId('track-reviews').hidden = reviews.length === 0;
    const preorder = byId('track-preorder');
    const panel = current ? preorderPanel(order, current.phone) : null;
    if (panel) fill(preorder, panel);
    else fill(preorder);
    preorder.hidden = !panel;
    // The e-invoices load on their own (their script too): the order shows without waiting.
    const invoices = byId('track-invoices');
    const seq = ++invoiceSeq;
    if (current) {
      const phone = current.phone;
      void import('./invoice-track.ts')
        .then(({ invoicePanel }) => invoicePanel(order, phone))
        .catch(() => null)
        .then((block) => {
          if (seq !== invoiceSeq) return;
          if (block) fill(invoices, block);
          else fill(invoices);
          invoices.hidden = !block;
        });
    } else {
      fill(invoices);
      invoices.hidden = true;
    }
    if (order.history.some((s) => s.status === 'placed') && orderSettled(deviceCart, order.code)) {
      saveCart({ lines: [] });
    }
    byId('track-result').hidden = false;
  };

  const lookup = async (code: string, phone: string, focus: boolean) => {
    say('info', tr('Đang tra cứu…', 'Looking up your order…'));
    try {
      const order = await getOrder(code, phone);
      current = { code, phone };
      say('info');
      await render(order);
      if (focus) byId('track-title').focus();
      const url = new URL(location.href);
      url.searchParams.set('ma', code);
      history.replaceState(null, '', url);
    } catch (error) {
      byId('track-result').hidden = true;
      current = undefined;
      if (error instanceof ApiFailure && error.status === 404) {
        say(
          'error',
          tr(
            'Không tìm thấy đơn với mã và số điện thoại này. Kiểm tra lại mã đơn trong tin nhắn.',
            'No order matches this code and phone number. Check the order code in your text message.',
          ),
        );
      } else if (error instanceof ApiFailure && error.status === 400) {
        say('error', error.issues[0]?.message ?? error.message);
      } else {
        say('error', error instanceof ApiFailure && error.status > 0 ? error.message : networkMessage());
      }
      status.focus();
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = normalizeOrderCode(codeInput.value);
    const phone = phoneInput.value.trim();
    fieldError(
      codeInput,
      ORDER_CODE.test(code)
        ? ''
        : tr(
            'Mã đơn có dạng TN-XXXXX (5 chữ và số sau “TN-”).',
            'The order code looks like TN-XXXXX (5 letters and digits after “TN-”).',
          ),
    );
    fieldError(
      phoneInput,
      toE164(phone)
        ? ''
        : tr(
            'Số di động không hợp lệ: 10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.',
            'Not a valid Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09.',
          ),
    );
    if (!ORDER_CODE.test(code)) return codeInput.focus();
    if (!toE164(phone)) return phoneInput.focus();
    codeInput.value = code;
    void lookup(code, phone, true);
  });

  byId('cancel-ask').addEventListener('click', () => {
    byId('cancel-confirm').hidden = false;
    byId('cancel-ask').hidden = true;
    byId('cancel-yes').focus();
  });
  byId('cancel-no').addEventListener('click', () => {
    byId('cancel-confirm').hidden = true;
    byId('cancel-ask').hidden = false;
    byId('cancel-ask').focus();
  });
  byId('cancel-yes').addEventListener('click', () => {
    if (!current) return;
    const button = byId<HTMLButtonElement>('cancel-yes');
    button.disabled = true;
    void cancelOrder(current.code, current.phone)
      .then(async (order) => {
        await render(order);
        say(
          'ok',
          tr(
            `Đã hủy đơn ${order.code}. Trạng thái: ${statusLabel(order.status)}.`,
            `Order ${order.code} is cancelled. Status: ${statusLabel(order.status, 'en')}.`,
          ),
        );
        status.focus();
      })
      .catch(async (error: unknown) => {
        say('error', error instanceof ApiFailure && error.status > 0 ? error.message : networkMessage());
        status.focus();
        // The order may have moved on (a cooperative confirmed it): show it as it is now.
        if (current) await getOrder(current.code, current.phone).then(render, () => undefined);
      })
      .finally(() => (button.disabled = false));
  });

  // Orders placed on this device.
  const recent = recentOrders(store);
  if (recent.length) {
    fill(
      byId('recent-list'),
      recent.map((o) =>
        h(
          'li',
          null,
          h('a', { href: localHref(`/don-hang/?ma=${encodeURIComponent(o.code)}`) }, o.code),
          ` · ${formatDateTime(o.placedAt, pageLang())} · ${formatVnd(o.total)}`,
        ),
      ),
    );
    byId('track-recent').hidden = false;
  }

  const wanted = normalizeOrderCode(new URLSearchParams(location.search).get('ma') ?? '');
  if (wanted) {
    codeInput.value = wanted;
    const mine = findOrder(store, wanted);
    if (mine) {
      phoneInput.value = mine.phone;
      void lookup(wanted, mine.phone, false);
    } else {
      phoneInput.focus();
    }
  }
  // The recent list links to this page: follow them without a reload of the list.
  byId('recent-list').addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest('a');
    const code = link && normalizeOrderCode(new URL(link.href).searchParams.get('ma') ?? '');
    const mine = code ? findOrder(store, code) : undefined;
    if (!mine) return;
    event.preventDefault();
    codeInput.value = mine.code;
    phoneInput.value = mine.phone;
    void lookup(mine.code, mine.phone, true);
  });
}
