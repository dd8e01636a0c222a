/**
 * /thanh-toan/: checks the form, rechecks the cart's prices, then POST /api/orders with the
 * attempt's Idempotency-Key (store.ts attemptKey: the same while the cart is unchanged, so a
 * double click, a retry after a lost answer or a reload never makes two orders). Before that,
 * the goods, each cooperative's delivery (its carrier, fee and estimated date) and the total are
 * shown as the server computes them (POST /api/orders/quote, `quoteShipping`: the same pricing
 * placing charges, a carrier's quote kept 30 minutes), again whenever the cart, the delivery
 * method or the commune changes. Answers:
 *  - 201: remember the order on the device (with the cart it came from: the cart stays until the
 *    order is paid or confirmed, see store.ts orderSettled); if the order's total differs from
 *    the one shown, say so and let the shopper go on with the server's; then VNPay → its payment page,
 *    VietQR and COD → /thanh-toan/da-dat/ (QR and polling, or the confirmation), in the page's
 *    language. The body carries the page's `locale`, so VNPay speaks it and returns to the
 *    result page in it;
 *  - 400: issues next to their fields; 409 short stock or changed price, 422 packs no longer
 *    sold: shown on the cart lines above the form.
 */
import type { RequestBody } from '../api-contract.ts';
import { initCommunePicker } from '../seller/communes.ts';
import { byId, fill, h } from '../seller/dom.ts';
import {
  api,
  ApiFailure,
  networkMessage,
  quoteShipping,
  type FieldIssue,
  type OrderQuote,
  type PlacedOrder,
} from './api.ts';
import { loadCart, onCartChange, saveCart, store } from './cart.ts';
import { carrierName, deliveryDate } from './delivery-text.ts';
import { INVOICE_FIELDS, initInvoiceSection, readInvoiceRequest } from './invoice-request.ts';
import { localHref, pageLang, tr } from './lang.ts';
import { recheckCart, renderLines, setCountWord, showChanges, type LineProblems } from './lines.ts';
import {
  attemptKey,
  blockedLines,
  cartCount,
  cartFingerprint,
  cartSubtotal,
  clearAttempt,
  readContact,
  rememberOrder,
  setQuantity,
  removeLine,
  writeContact,
  type Cart,
} from './store.ts';
import { formatVnd, toE164 } from './text.ts';

/** The API's issue paths → the field that shows them. */
const FIELD_OF: Record<string, string> = {
  'contact.name': 'co-name',
  'contact.phone': 'co-phone',
  'delivery.address.provinceCode': 'co-province',
  'delivery.address.wardCode': 'co-commune',
  'delivery.address.street': 'co-street',
  'delivery.address': 'co-commune',
  'delivery.method': 'co-delivery',
  delivery: 'co-delivery',
  paymentMethod: 'co-payment',
  note: 'co-note',
  ...INVOICE_FIELDS,
};

export function fieldFor(path: string): string {
  if (path === 'lines' || path.startsWith('lines.')) return 'co-lines';
  return FIELD_OF[path] ?? '';
}

const normalize = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

interface Collected {
  /** Exactly what the API's placeOrder accepts (the OpenAPI document's PlaceOrderBody). */
  body: RequestBody<'placeOrder'> & { locale: 'vi' | 'en' };
  issues: FieldIssue[];
}

function collect(form: HTMLFormElement, cart: Cart): Collected {
  const data = new FormData(form);
  const issues: FieldIssue[] = [];
  const name = normalize(String(data.get('name') ?? ''));
  if (!name)
    issues.push({
      path: 'contact.name',
      message: tr('Hãy nhập họ tên người nhận.', 'Enter the recipient’s full name.'),
    });
  else if (name.length > 100)
    issues.push({ path: 'contact.name', message: tr('Tối đa 100 ký tự.', 'At most 100 characters.') });
  const phone = String(data.get('phone') ?? '').trim();
  if (!phone)
    issues.push({
      path: 'contact.phone',
      message: tr('Hãy nhập số điện thoại di động.', 'Enter a mobile phone number.'),
    });
  else if (!toE164(phone)) {
    issues.push({
      path: 'contact.phone',
      message: tr(
        'Số di động không hợp lệ: 10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.',
        'Not a valid Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09.',
      ),
    });
  }
  const method = data.get('delivery') === 'pickup' ? 'pickup' : 'shipping';
  const provinceCode = String(data.get('provinceCode') ?? '');
  const wardCode = String(data.get('wardCode') ?? '');
  const street = normalize(String(data.get('street') ?? ''));
  if (method === 'shipping') {
    if (!/^\d{2}$/.test(provinceCode)) {
      issues.push({
        path: 'delivery.address.provinceCode',
        message: tr('Hãy chọn tỉnh/thành phố.', 'Choose a province or city.'),
      });
    }
    if (!/^\d{5}$/.test(wardCode)) {
      issues.push({
        path: 'delivery.address.wardCode',
        message: tr(
          'Hãy gõ tên xã/phường rồi chọn trong danh sách gợi ý.',
          'Type the name of the commune or ward, then choose it from the suggestions.',
        ),
      });
    }
    if (!street)
      issues.push({
        path: 'delivery.address.street',
        message: tr(
          'Hãy nhập số nhà, thôn, xóm hoặc đường.',
          'Enter the house number, village or hamlet, or street.',
        ),
      });
    else if (street.length > 200)
      issues.push({
        path: 'delivery.address.street',
        message: tr('Tối đa 200 ký tự.', 'At most 200 characters.'),
      });
  }
  const payment = String(data.get('payment') ?? '');
  if (payment !== 'vnpay' && payment !== 'vietqr' && payment !== 'cod') {
    issues.push({ path: 'paymentMethod', message: tr('Hãy chọn cách thanh toán.', 'Choose how to pay.') });
  }
  const note = normalize(String(data.get('note') ?? ''));
  if (note.length > 500)
    issues.push({
      path: 'note',
      message: tr('Ghi chú tối đa 500 ký tự.', 'The note can be at most 500 characters.'),
    });
  const invoiceRequest = readInvoiceRequest(data, issues);
  if (cart.lines.length === 0)
    issues.push({ path: 'lines', message: tr('Giỏ hàng đang trống.', 'Your cart is empty.') });
  return {
    body: {
      lines: cart.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
      contact: { name, phone },
      delivery: method === 'pickup' ? { method } : { method, address: { provinceCode, wardCode, street } },
      paymentMethod: payment as 'vnpay' | 'vietqr' | 'cod',
      ...(note ? { note } : {}),
      ...(invoiceRequest ? { invoiceRequest } : {}),
      locale: pageLang(),
    },
    issues,
  };
}

export function initCheckout(): void {
  const form = byId<HTMLFormElement>('checkout');
  const status = byId('co-status');
  const submit = byId<HTMLButtonElement>('co-submit');
  const address = byId('co-address');
  const problems: LineProblems = new Map();
  const picker = initCommunePicker(address);
  let busy = false;
  let placed = false;

  const say = (tone: 'info' | 'ok' | 'error' | 'warn', ...content: (Node | string)[]) => {
    status.className = `notice notice--${tone}`;
    status.setAttribute('role', tone === 'error' ? 'alert' : 'status');
    fill(status, ...content);
    status.hidden = content.length === 0;
  };

  const renderCart = (cart: Cart = loadCart()) => {
    if (placed) return;
    byId('co-loading').hidden = true;
    byId('co-empty').hidden = cart.lines.length > 0;
    form.hidden = cart.lines.length === 0;
    renderLines(byId('co-lines'), cart, problems, renderCart);
    byId('co-count').textContent = String(cartCount(cart));
    setCountWord(byId('co-count'), cartCount(cart));
    byId('co-subtotal').textContent = formatVnd(cartSubtotal(cart));
    requestQuote();
  };

  // The total before "Đặt hàng", by the server's pricing: per cooperative, its carrier's fee and
  // estimated delivery date (or its flat fee), for the commune chosen.
  let quoted: OrderQuote | undefined;
  let quoteSeq = 0;
  let quoteTimer: ReturnType<typeof setTimeout> | undefined;
  const partsList = byId('co-parts');
  const showQuote = (items: string, fee: string, total: string, note = '', parts: Node[] = []) => {
    byId('co-items').textContent = items;
    byId('co-shipping').textContent = fee;
    byId('co-total').textContent = total;
    byId('co-quote-note').textContent = note;
    byId('co-quote-note').hidden = !note;
    fill(partsList, ...parts);
    partsList.hidden = parts.length === 0;
    byId('co-totals').setAttribute('aria-busy', String(fee === WORKING));
  };
  const WORKING = tr('Đang tính…', 'Working it out…');
  const partLine = (p: OrderQuote['parts'][number]) => {
    const lang = pageLang();
    const fee = p.fee
      ? formatVnd(p.fee)
      : p.carrierFee
        ? tr('miễn phí (HTX trả phí vận chuyển)', 'free (the cooperative pays the carrier)')
        : tr('miễn phí', 'free');
    return h(
      'li',
      { 'data-fulfiller': p.fulfillerId, 'data-carrier': p.carrier },
      h('strong', null, p.fulfillerName),
      h('br'),
      h('span', { class: 'co-part__carrier' }, carrierName(p.carrier, lang)),
      ' · ',
      h('span', { class: 'co-part__fee' }, fee),
      h('br'),
      h(
        'span',
        { class: 'co-part__date' },
        tr(
          `Dự kiến giao: ${deliveryDate(p.estimatedDelivery, lang)}`,
          `Estimated delivery: ${deliveryDate(p.estimatedDelivery, lang)}`,
        ),
      ),
    );
  };
  // The carrier's refusal, naming the commune as the shopper chose it (the API names its code).
  const unservedMessage = (error: ApiFailure): string => {
    const d = error.details as { fulfillerName?: string; carrier?: string; pickup?: boolean };
    const commune = address.querySelector<HTMLInputElement>('[data-commune-search]')?.value ?? '';
    const province = byId<HTMLSelectElement>('co-province').selectedOptions[0]?.textContent?.trim() ?? '';
    const carrier = carrierName(d.carrier ?? '', pageLang());
    const who = d.fulfillerName ?? '';
    return d.pickup
      ? tr(
          `${carrier} của ${who} chưa giao đến ${commune}, ${province}. Hãy chọn “Nhận tại hợp tác xã” (${who} có nhận hàng tại chỗ) hoặc một địa chỉ nhận khác.`,
          `${carrier}, ${who}’s carrier, does not deliver to ${commune}, ${province}. Choose pickup at the cooperative (${who} offers it) or another address.`,
        )
      : tr(
          `${carrier} của ${who} chưa giao đến ${commune}, ${province}. Hãy chọn một địa chỉ nhận khác.`,
          `${carrier}, ${who}’s carrier, does not deliver to ${commune}, ${province}. Choose another address.`,
        );
  };
  // An address the carrier cannot serve is the commune field's error too: said beside it.
  const flagCommune = (message: string | undefined) => {
    const error = document.getElementById('co-commune-error');
    const input = document.getElementById('co-commune');
    if (!error || !input) return;
    if (message === undefined) {
      if (error.dataset.unserved === undefined) return; // another error of the field stays
      delete error.dataset.unserved;
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      return;
    }
    error.dataset.unserved = '';
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  };
  function requestQuote(): void {
    clearTimeout(quoteTimer);
    quoteTimer = setTimeout(() => void runQuote(), 200);
  }
  async function runQuote(): Promise<void> {
    const cart = loadCart();
    const seq = ++quoteSeq;
    quoted = undefined;
    flagCommune(undefined);
    const items = formatVnd(cartSubtotal(cart));
    if (cart.lines.length === 0) return showQuote(items, '—', '—');
    const pickup = form.querySelector<HTMLInputElement>('input[name=delivery]:checked')?.value === 'pickup';
    if (pickup) {
      // Pickup is free: the goods are the total (placing re-reads the prices; its answer counts).
      return showQuote(
        items,
        tr('Miễn phí', 'Free'),
        items,
        tr(
          'Nhận hàng tại hợp tác xã: miễn phí, sẵn sàng sau khi HTX xác nhận một ngày.',
          'Pickup at the cooperative: free, ready the day after it confirms.',
        ),
      );
    }
    const provinceCode = byId<HTMLSelectElement>('co-province').value;
    const wardCode = address.querySelector<HTMLInputElement>('[data-commune-code]')?.value ?? '';
    if (!/^\d{2}$/.test(provinceCode) || !/^\d{5}$/.test(wardCode)) {
      return showQuote(
        items,
        '—',
        '—',
        tr(
          'Chọn tỉnh/thành và xã/phường nhận hàng để xem đơn vị vận chuyển, phí giao hàng, ngày giao dự kiến và tổng tiền.',
          'Choose the province and the commune to see the carrier, the delivery fee, the estimated delivery date and the total.',
        ),
      );
    }
    showQuote(items, WORKING, WORKING);
    try {
      const answer = await quoteShipping({
        lines: cart.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
        address: { provinceCode, wardCode },
      });
      if (seq !== quoteSeq) return;
      quoted = answer;
      showQuote(
        formatVnd(answer.itemsTotal),
        answer.shippingTotal ? formatVnd(answer.shippingTotal) : tr('Miễn phí', 'Free'),
        formatVnd(answer.total),
        '',
        answer.parts.map(partLine),
      );
    } catch (error) {
      if (seq !== quoteSeq) return;
      const unserved =
        error instanceof ApiFailure && error.code === 'shipping.address_unserved'
          ? unservedMessage(error)
          : undefined;
      if (unserved) flagCommune(unserved);
      showQuote(
        items,
        '—',
        '—',
        unserved ??
          (error instanceof ApiFailure && error.status > 0 && error.status !== 500
            ? error.message
            : tr(
                'Chưa tính được phí giao hàng; số tiền chính xác sẽ hiện khi đặt hàng, trước khi thanh toán.',
                'The delivery fee could not be worked out yet; the exact amount appears when you place the order, before you pay.',
              )),
      );
    }
  }

  const errorEl = (fieldId: string) => document.getElementById(`${fieldId}-error`);
  const clearErrors = () => {
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  };
  const showIssues = (issues: FieldIssue[]) => {
    const unplaced: string[] = [];
    let first: HTMLElement | null = null;
    for (const issue of issues) {
      const fieldId = fieldFor(issue.path);
      const el = fieldId ? errorEl(fieldId) : null;
      if (!el) {
        unplaced.push(issue.message);
        continue;
      }
      el.textContent = el.textContent ? `${el.textContent} ${issue.message}` : issue.message;
      el.hidden = false;
      const input = document.getElementById(fieldId);
      input?.setAttribute('aria-invalid', 'true');
      const focusable =
        input instanceof HTMLFieldSetElement
          ? input.querySelector<HTMLElement>('input:checked, input')
          : fieldId === 'co-lines'
            ? el
            : input;
      first ??= focusable ?? el;
    }
    say(
      'error',
      h(
        'p',
        null,
        tr(
          'Hãy sửa các mục được đánh dấu rồi bấm “Đặt hàng” lần nữa.',
          'Correct the marked fields, then press “Place order” again.',
        ),
      ),
      ...(unplaced.length
        ? [
            h(
              'ul',
              null,
              unplaced.map((m) => h('li', null, m)),
            ),
          ]
        : []),
    );
    (first ?? status).focus();
  };

  // An error goes away as soon as its field is edited.
  form.addEventListener('input', (event) => {
    const target = event.target as HTMLElement;
    const fieldId = target.closest('fieldset.fieldset[id]')?.id === 'co-payment' ? 'co-payment' : target.id;
    const el = fieldId ? errorEl(fieldId) : null;
    if (el && !el.hidden) {
      el.hidden = true;
      el.textContent = '';
      document.getElementById(fieldId)?.removeAttribute('aria-invalid');
    }
  });

  const toggleAddress = () => {
    address.hidden = form.querySelector<HTMLInputElement>('input[name=delivery]:checked')?.value === 'pickup';
  };
  form.addEventListener('change', (event) => {
    const name = (event.target as HTMLInputElement).name;
    if (name === 'delivery') toggleAddress();
    if (name === 'delivery' || name === 'provinceCode' || name === 'wardCode') requestQuote();
  });
  // Typing another commune's name clears the chosen one: the quote waits for the new choice.
  address.querySelector('[data-commune-search]')?.addEventListener('input', () => requestQuote());

  // The shopper's last contact and address, on this device only.
  const saved = readContact(store);
  if (saved) {
    byId<HTMLInputElement>('co-name').value = saved.name;
    byId<HTMLInputElement>('co-phone').value = saved.phone;
    const radio = form.querySelector<HTMLInputElement>(`input[name=delivery][value=${saved.delivery}]`);
    if (radio) radio.checked = true;
    byId<HTMLInputElement>('co-street').value = saved.street;
    if (saved.provinceCode && saved.wardCode) {
      void picker
        .set(saved.provinceCode, saved.wardCode)
        .catch(() => undefined)
        .then(() => requestQuote());
    }
  }
  toggleAddress();
  initInvoiceSection();

  renderCart();
  onCartChange(() => renderCart());
  if (loadCart().lines.length) {
    void recheckCart().then(({ cart, changes, failed }) => {
      showChanges(byId('co-cart-notice'), changes, failed);
      renderCart(cart);
    });
  }

  const setBusy = (on: boolean) => {
    busy = on;
    submit.disabled = on;
    submit.textContent = on ? tr('Đang đặt hàng…', 'Placing your order…') : tr('Đặt hàng', 'Place order');
    form.setAttribute('aria-busy', String(on));
  };

  const shortLines = (lines: { variantId: string; requested: number; available: number }[]) => {
    const cart = loadCart();
    for (const short of lines) {
      const line = cart.lines.find((l) => l.variantId === short.variantId);
      if (line) line.stock = short.available;
      problems.set(
        short.variantId,
        short.available > 0
          ? tr(
              `Chỉ còn ${short.available} gói (bạn chọn ${short.requested}). Hãy giảm số lượng.`,
              `Only ${short.available} left (you chose ${short.requested}). Lower the quantity.`,
            )
          : tr(
              'Gói này vừa hết hàng. Hãy xoá khỏi giỏ.',
              'This pack has just sold out. Remove it from the cart.',
            ),
      );
    }
    saveCart(cart);
    renderCart(cart);
    const fix = h(
      'button',
      {
        type: 'button',
        class: 'btn btn--ghost',
        onclick: () => {
          const fresh = loadCart();
          for (const short of lines) {
            if (short.available > 0) setQuantity(fresh, short.variantId, short.available);
            else removeLine(fresh, short.variantId);
            problems.delete(short.variantId);
          }
          saveCart(fresh);
          renderCart(fresh);
          say(
            'info',
            tr(
              'Đã cập nhật giỏ hàng theo số lượng còn lại. Kiểm tra rồi bấm “Đặt hàng”.',
              'The cart now has the quantities that are left. Check it, then press “Place order”.',
            ),
          );
          submit.focus();
        },
      },
      tr('Lấy theo số lượng còn lại', 'Take what is left'),
    );
    say(
      'error',
      h(
        'p',
        null,
        tr(
          'Một số gói không đủ hàng; xem các dòng được đánh dấu trong giỏ.',
          'Some packs do not have enough stock; see the marked lines in the cart.',
        ),
      ),
      fix,
    );
    status.focus();
  };

  const unavailable = (variantIds: string[]) => {
    const cart = loadCart();
    for (const id of variantIds) {
      const line = cart.lines.find((l) => l.variantId === id);
      if (line) line.stock = 0;
      problems.set(
        id,
        tr(
          'Gói này không còn được bán. Hãy xoá khỏi giỏ để đặt hàng.',
          'This pack is no longer sold. Remove it from the cart to place your order.',
        ),
      );
    }
    saveCart(cart);
    renderCart(cart);
    say(
      'error',
      tr(
        'Một số gói không còn được bán; hãy xoá chúng khỏi giỏ (được đánh dấu ở trên) rồi đặt lại.',
        'Some packs are no longer sold; remove them from the cart (marked above), then order again.',
      ),
    );
    status.focus();
  };

  const place = async (body: Collected['body'], key: string, tries = 0): Promise<PlacedOrder> => {
    try {
      return await api<PlacedOrder>('/api/orders', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': key },
      });
    } catch (error) {
      // The same key is still being answered (a double submit from another tab): wait, ask again.
      if (error instanceof ApiFailure && error.code === 'idempotency.in_flight' && tries < 5) {
        await new Promise((r) => setTimeout(r, 1500));
        return place(body, key, tries + 1);
      }
      throw error;
    }
  };

  const done = (answer: PlacedOrder, body: Collected['body'], cart: Cart) => {
    placed = true;
    const { order, payment } = answer;
    const shown = quoted?.total;
    rememberOrder(store, {
      code: order.code,
      phone: body.contact.phone,
      paymentMethod: body.paymentMethod,
      paymentId: payment.id,
      clientSecret: payment.client_secret,
      total: order.total,
      placedAt: order.createdAt ?? new Date().toISOString(),
      cartFingerprint: cartFingerprint(cart),
    });
    writeContact(store, {
      name: body.contact.name,
      phone: body.contact.phone,
      delivery: body.delivery.method,
      provinceCode: body.delivery.method === 'shipping' ? body.delivery.address.provinceCode : '',
      wardCode: body.delivery.method === 'shipping' ? body.delivery.address.wardCode : '',
      street: body.delivery.method === 'shipping' ? body.delivery.address.street : '',
    });
    clearAttempt(store);
    const next = payment.next_action;
    const target =
      body.paymentMethod === 'vnpay' && next?.type === 'redirect_to_url'
        ? next.redirect_to_url.url
        : localHref(`/thanh-toan/da-dat/?ma=${encodeURIComponent(order.code)}`);
    // The server's total is the one charged: when it differs from the one shown, say so first.
    if (shown !== undefined && shown !== order.total) {
      byId('co-total').textContent = formatVnd(order.total);
      const go = h(
        'a',
        { class: 'btn', href: target, id: 'co-continue' },
        body.paymentMethod === 'vnpay'
          ? tr(`Thanh toán ${formatVnd(order.total)} qua VNPay`, `Pay ${formatVnd(order.total)} with VNPay`)
          : tr('Tiếp tục', 'Continue'),
      );
      say(
        'warn',
        h(
          'p',
          null,
          tr(
            `Đã tạo đơn ${order.code}. Tổng tiền theo máy chủ là ${formatVnd(order.total)} (phí giao ${formatVnd(order.shippingTotal)}), khác với ${formatVnd(shown)} đã hiển thị: giá hoặc phí giao vừa thay đổi. Số tiền của đơn là ${formatVnd(order.total)}.`,
            `Order ${order.code} created. The server's total is ${formatVnd(order.total)} (delivery ${formatVnd(order.shippingTotal)}), not the ${formatVnd(shown)} shown: a price or delivery fee has just changed. The order's amount is ${formatVnd(order.total)}.`,
          ),
        ),
        h('p', null, go),
      );
      status.focus();
      return;
    }
    if (body.paymentMethod === 'vnpay' && next?.type === 'redirect_to_url') {
      say(
        'ok',
        tr(
          `Đã tạo đơn ${order.code}. Đang chuyển sang VNPay để thanh toán…`,
          `Order ${order.code} created. Taking you to VNPay to pay…`,
        ),
      );
      location.assign(next.redirect_to_url.url);
      return;
    }
    say(
      'ok',
      tr(
        `Đã đặt đơn ${order.code}. Đang mở trang xác nhận…`,
        `Order ${order.code} placed. Opening the confirmation…`,
      ),
    );
    location.assign(localHref(`/thanh-toan/da-dat/?ma=${encodeURIComponent(order.code)}`));
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy || placed) return;
    void (async () => {
      clearErrors();
      say('info');
      const first = collect(form, loadCart());
      if (first.issues.length) return showIssues(first.issues);
      setBusy(true);
      try {
        // The shopper must have seen the prices the order will be charged at.
        const { cart, changes } = await recheckCart();
        if (changes.length) {
          showChanges(byId('co-cart-notice'), changes, false);
          renderCart(cart);
          say(
            'warn',
            tr(
              'Giỏ hàng vừa thay đổi theo giá và tồn kho mới nhất. Kiểm tra lại rồi bấm “Đặt hàng”.',
              'Your cart has just changed to the latest prices and stock. Check it, then press “Place order”.',
            ),
          );
          byId('co-cart-notice').focus();
          return;
        }
        if (blockedLines(cart).length) {
          renderCart(cart);
          say(
            'error',
            tr(
              'Có gói hết hàng hoặc vượt số lượng còn lại; hãy sửa giỏ hàng trước khi đặt.',
              'Some packs are out of stock or above what is left; fix the cart before you order.',
            ),
          );
          status.focus();
          return;
        }
        const { body } = collect(form, cart);
        const answer = await place(body, attemptKey(store, cart));
        done(answer, body, cart);
      } catch (error) {
        if (!(error instanceof ApiFailure)) {
          say(
            'error',
            tr(
              'Đã có lỗi không mong muốn. Hãy tải lại trang rồi thử lại.',
              'Something unexpected went wrong. Reload the page and try again.',
            ),
          );
          status.focus();
          return;
        }
        const details = error.details;
        switch (error.code) {
          case 'request.invalid':
            showIssues(error.issues.length ? error.issues : [{ path: '', message: error.message }]);
            return;
          case 'order.out_of_stock':
            shortLines(
              (details.lines ?? []) as { variantId: string; requested: number; available: number }[],
            );
            return;
          case 'order.unavailable':
            unavailable((details.variantIds ?? []) as string[]);
            return;
          case 'order.price_changed': {
            attemptKey(store, loadCart(), true);
            const { cart, changes, failed } = await recheckCart();
            showChanges(byId('co-cart-notice'), changes, failed);
            renderCart(cart);
            say(
              'warn',
              tr(
                'Giá vừa thay đổi. Kiểm tra giỏ hàng rồi bấm “Đặt hàng” lần nữa.',
                'Prices have just changed. Check your cart, then press “Place order” again.',
              ),
            );
            status.focus();
            return;
          }
          case 'shipping.address_unserved':
            say('error', unservedMessage(error));
            flagCommune(unservedMessage(error));
            document.getElementById('co-commune')?.focus();
            return;
          case 'idempotency.key_reused':
          case 'idempotency.key_invalid':
          case 'idempotency.key_required':
            // This attempt's key was used with other details: start a new attempt.
            attemptKey(store, loadCart(), true);
            say(
              'warn',
              tr(
                'Thông tin đơn đã khác lần bấm trước. Nếu lần trước đã đặt thành công, bạn sẽ nhận được tin nhắn ' +
                  'kèm mã đơn (xem mục Tra cứu đơn hàng). Nếu chưa, hãy bấm “Đặt hàng” lần nữa.',
                'The order details differ from your last attempt. If that attempt went through, you will get a text ' +
                  'message with the order code (see Track an order). If not, press “Place order” again.',
              ),
            );
            status.focus();
            return;
          default:
            say(
              'error',
              error.status === 503 && error.code === 'shipping.carrier_unavailable'
                ? error.message
                : error.status === 0 || error.status >= 500
                  ? tr(
                      `${error.status === 0 ? networkMessage() : 'Máy chủ đang bận.'} Bấm “Đặt hàng” lần nữa: đơn sẽ không bị đặt trùng.`,
                      `${error.status === 0 ? networkMessage() : 'The server is busy.'} Press “Place order” again: the order will not be placed twice.`,
                    )
                  : error.message,
            );
            status.focus();
        }
      } finally {
        if (!placed) setBusy(false);
      }
    })();
  });
}
