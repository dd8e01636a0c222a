/**
 * /hop-tac-xa/gia-tham-chieu/: the cooperative's reference prices per grade (GET and POST
 * /api/board/{id}/reference-prices): those in force today, a form to set new ones from a date
 * (only the grades filled in are sent), and the history, which saving never erases.
 */
import { CATEGORIES, findCategory } from '../../../shared/domain/categories.ts';
import type { Schema } from '../api-contract.ts';
import { api, ApiError, enc, type FieldIssue } from './api.ts';
import { byId, fill, formatDate, formatDateTime, h, notice, show } from './dom.ts';
import { runSubmit } from './forms.ts';
import { formatVnd } from './labels.ts';
import { scrollRegion } from './scroll-region.ts';
import { requireManager, table, today } from './orders-common.ts';

type Board = Schema<'ReferencePriceBoard'>;
type Price = Board['current'][number];

const gradeName = (slug: string) => findCategory(slug)?.name.vi ?? slug;

function render(board: Board): void {
  const now = today();
  fill(
    byId('ref-current'),
    board.current.length === 0
      ? h(
          'p',
          { class: 'notice notice--info' },
          'Hợp tác xã chưa đặt giá tham chiếu nào. Nhập giá ở mục “Đặt giá mới” bên dưới.',
        )
      : h(
          'div',
          scrollRegion('Bảng giá đang áp dụng'),
          table(
            null,
            ['Loại', 'Giá / kg', 'Từ ngày'],
            board.current.map((p) => [
              gradeName(p.category),
              formatVnd(p.pricePerKg),
              formatDate(p.effectiveFrom),
            ]),
            { numeric: [1] },
          ),
        ),
  );
  fill(
    byId('ref-history'),
    board.history.length === 0
      ? h('p', null, 'Chưa có giá nào.')
      : h(
          'div',
          scrollRegion('Bảng lịch sử giá'),
          table(
            'Mọi giá đã đặt, ngày áp dụng mới nhất trước',
            ['Loại', 'Giá / kg', 'Từ ngày', 'Đặt lúc'],
            board.history.map((p: Price) => [
              gradeName(p.category) + (p.effectiveFrom > now ? ' (sắp áp dụng)' : ''),
              formatVnd(p.pricePerKg),
              formatDate(p.effectiveFrom),
              formatDateTime(p.setAt),
            ]),
            { numeric: [1] },
          ),
        ),
  );
}

export async function startReferencePrices(): Promise<void> {
  let coop;
  try {
    coop = await requireManager();
  } catch {
    return;
  }
  const path = `/api/board/${enc(coop.cooperativeId)}/reference-prices`;
  try {
    render(await api<Board>(path));
  } catch (error) {
    notice(byId('page-error'), (error as Error).message, 'error');
    show(byId('page-error'));
    return;
  }
  show(byId('refprices'));
  const form = byId<HTMLFormElement>('ref-form');
  const date = byId<HTMLInputElement>('ref-date');
  date.value = today();
  const status = byId('ref-status');

  const read = () => {
    const issues: FieldIssue[] = [];
    const prices: { category: string; pricePerKg: number; effectiveFrom: string }[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value))
      issues.push({ path: 'effectiveFrom', message: 'Chọn ngày bắt đầu áp dụng.' });
    for (const c of CATEGORIES) {
      const text = byId<HTMLInputElement>(`ref-price-${c.slug}`).value.trim();
      if (!text) continue;
      if (!/^\d{1,9}$/.test(text) || Number(text) <= 0) {
        issues.push({
          path: `price.${c.slug}`,
          message: 'Nhập số đồng cho 1 kg, lớn hơn 0, không dấu chấm (ví dụ 850000).',
        });
        continue;
      }
      prices.push({ category: c.slug, pricePerKg: Number(text), effectiveFrom: date.value });
    }
    if (prices.length === 0 && issues.length === 0)
      issues.push({ path: `price.${CATEGORIES[0]!.slug}`, message: 'Nhập giá cho ít nhất một loại.' });
    return { prices, issues };
  };

  const save = byId<HTMLButtonElement>('ref-save');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runSubmit(
      form,
      save,
      () => read().issues,
      async () => {
        const { prices } = read();
        let board: Board;
        try {
          board = await api<Board>(path, { method: 'POST', body: { prices } });
        } catch (error) {
          // The API names rows by position (`prices.2.pricePerKg`): point at the grade's own field.
          if (error instanceof ApiError && error.issues.length > 0) {
            throw new ApiError(
              error.status,
              error.code,
              error.message,
              error.issues.map((issue) => {
                const row = /^prices\.(\d+)\.(\w+)/.exec(issue.path);
                const price = row ? prices[Number(row[1])] : undefined;
                if (!price || !row) return issue;
                return {
                  ...issue,
                  path: row[2] === 'effectiveFrom' ? 'effectiveFrom' : `price.${price.category}`,
                };
              }),
            );
          }
          throw error;
        }
        render(board);
        for (const c of CATEGORIES) byId<HTMLInputElement>(`ref-price-${c.slug}`).value = '';
        notice(
          status,
          `Đã lưu ${prices.length} giá. Hộ thành viên thấy giá mới từ ngày ${formatDate(date.value)}.`,
          'ok',
        );
        show(status);
      },
      'Đang lưu…',
    );
  });
}
