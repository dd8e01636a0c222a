/**
 * Tracking's "Hóa đơn điện tử" block: the order's invoices (GET
 * /api/orders/{code}/invoices, the order's phone as the proof) with their number, date, the
 * provider's lookup code and page, and the XML to download; adjusting invoices say so; one being
 * issued says "đang lập", one the provider refused and the lane retries "đang thử lại". A part of
 * an order that asked for a company invoice and has none yet says "đang lập". Nothing when the
 * order has no invoice and asked for none.
 */
import type { Schema } from '../api-contract.ts';
import { downloadXml, invoiceKindWords, xmlFileName } from '../lib/invoice-rules.ts';
import { h } from '../seller/dom.ts';
import { api, type OrderView } from './api.ts';
import { pageLang, tr } from './lang.ts';
import { formatDateTime, formatVnd } from './text.ts';

type Invoice = Schema<'Invoice'>;

/** Parts that will not be invoiced any more (nothing was sold). */
const ENDED = new Set(['cancelled', 'expired', 'refunded', 'pending_payment']);

export async function invoicePanel(order: OrderView, phone: string): Promise<HTMLElement | null> {
  const lang = pageLang();
  let items: Invoice[] | undefined;
  try {
    items = (
      await api<{ items: Invoice[] }>(
        `/api/orders/${encodeURIComponent(order.code)}/invoices?phone=${encodeURIComponent(phone)}`,
      )
    ).items;
  } catch {
    items = undefined;
  }
  const requested = Boolean(order.invoiceRequest);
  if (items && items.length === 0 && !requested) return null;
  if (!items && !requested) return null;
  const byPart = (id: string) => order.subOrders.find((s) => s.fulfillerId === id)?.fulfillerName ?? '';
  const issued = (items ?? []).filter((invoice) => invoice.status === 'issued');
  const invoices = issued.map((invoice) => {
    const facts: [string, Node | string][] = [
      [tr('Trạng thái', 'Status'), tr('Đã lập', 'Issued')],
      [tr('Số hóa đơn', 'Number'), invoice.number ?? '—'],
      [tr('Ngày lập', 'Issued on'), invoice.issuedAt ? formatDateTime(invoice.issuedAt, lang) : '—'],
      [tr('Tổng tiền', 'Total'), formatVnd(invoice.total)],
    ];
    if (invoice.lookupCode)
      facts.push([tr('Mã tra cứu', 'Lookup code'), h('span', { class: 'memo' }, invoice.lookupCode)]);
    return h(
      'li',
      { class: 'sub-order', 'data-invoice': invoice.number ?? invoice.kindKey },
      h('h4', null, `${invoiceKindWords(invoice.kind, lang)} · ${byPart(invoice.fulfillerId)}`),
      h(
        'dl',
        { class: 'bank-facts' },
        facts.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]),
      ),
      invoice.lookupUrl
        ? h(
            'p',
            null,
            h(
              'a',
              { href: invoice.lookupUrl, target: '_blank', rel: 'noopener' },
              tr('Xem hóa đơn trên trang tra cứu', 'View the invoice on the lookup site'),
            ),
          )
        : null,
      h(
        'p',
        null,
        h(
          'button',
          {
            type: 'button',
            class: 'linkish',
            onclick: () =>
              downloadXml(invoice.xml ?? '', xmlFileName(invoice.orderCode, invoice.number, invoice.kindKey)),
          },
          tr(
            `Tải tệp XML hóa đơn ${invoice.number ?? ''}`,
            `Download the XML of invoice ${invoice.number ?? ''}`,
          ),
        ),
      ),
    );
  });
  // An invoice on its way: being issued, or refused once by the provider and retried by itself.
  const underway = (items ?? [])
    .filter((invoice) => invoice.status !== 'issued')
    .map((invoice) =>
      h(
        'li',
        { class: 'sub-order', 'data-invoice-pending': invoice.fulfillerId, 'data-status': invoice.status },
        h('h4', null, `${invoiceKindWords(invoice.kind, lang)} · ${byPart(invoice.fulfillerId)}`),
        h(
          'p',
          null,
          invoice.status === 'failed'
            ? [
                h('strong', null, tr('Đang thử lại', 'Being retried')),
                tr(
                  ' — hệ thống hóa đơn chưa nhận lần trước; sàn tự gửi lại, bạn không cần làm gì.',
                  ' — the invoice service did not take it last time; the exchange sends it again by itself, nothing to do.',
                ),
              ]
            : [
                h('strong', null, tr('Đang lập', 'Being issued')),
                tr(' — hóa đơn sẽ hiện ở đây khi lập xong.', ' — it shows here once issued.'),
              ],
        ),
      ),
    );
  // A part with no invoice yet, when the shopper asked for one.
  const waiting = requested
    ? order.subOrders
        .filter((s) => !ENDED.has(s.status))
        .filter((s) => !(items ?? []).some((i) => i.fulfillerId === s.fulfillerId && i.kind === 'original'))
        .map((s) =>
          h(
            'li',
            { class: 'sub-order', 'data-invoice-pending': s.fulfillerId },
            h('h4', null, `${invoiceKindWords('original', lang)} · ${s.fulfillerName}`),
            h(
              'p',
              null,
              h('strong', null, tr('Đang lập', 'Being issued')),
              tr(
                ` — ${s.fulfillerName} lập hóa đơn khi đơn hoàn tất hoặc đã thanh toán, nếu đơn vị này xuất hóa đơn điện tử trên sàn.`,
                ` — ${s.fulfillerName} issues it when the order is completed or paid, if it issues e-invoices on the exchange.`,
              ),
            ),
          ),
        )
    : [];
  if (invoices.length === 0 && underway.length === 0 && waiting.length === 0) return null;
  const company = order.invoiceRequest;
  return h(
    'section',
    { class: 'order-invoices', 'aria-labelledby': 'track-invoices-title' },
    h('h3', { id: 'track-invoices-title' }, tr('Hóa đơn điện tử', 'E-invoices')),
    company
      ? h(
          'p',
          { class: 'hint' },
          tr(
            `Hóa đơn ghi tên ${company.companyName}, mã số thuế ${company.taxCode}.`,
            `Invoiced to ${company.companyName}, tax code ${company.taxCode}.`,
          ),
        )
      : null,
    items
      ? null
      : h(
          'p',
          { class: 'notice notice--warn' },
          tr(
            'Chưa tải được hóa đơn; hãy tải lại trang sau.',
            'The invoices could not be loaded; reload the page later.',
          ),
        ),
    h('ul', { class: 'recent' }, invoices, underway, waiting),
  );
}
