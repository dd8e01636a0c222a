/**
 * /hop-tac-xa/dat-truoc/: the cooperative's pre-orders (GET/POST /api/board/{id}/preorders, the
 * allocation and the final weights). Vietnamese only.
 */
import { api, enc, errorMessage, type FieldIssue } from './api.ts';
import { byId, fill, h, notice, show } from './dom.ts';
import { runSubmit, value } from './forms.ts';
import { loadMe } from './me.ts';

interface Figures {
  reservations: number;
  reservedGrams: number;
  pendingGrams: number;
  allocatedGrams: number;
  shortGrams: number;
  depositsPaid: number;
  refunded: number;
  balancesPaid: number;
  balancesDue: number;
}

interface BoardWindow {
  id: string;
  productName: string;
  season: string;
  phase: 'upcoming' | 'open' | 'closed' | 'allocated';
  opensOn: string;
  closesOn: string;
  harvestFrom: string;
  harvestTo: string;
  totalGrams: number;
  leftGrams: number;
  depositPercent: number;
  graceDays: number;
  packs: { id: string; grams: number; price: number; tolerancePercent?: number; reserved: number }[];
  figures: Figures;
  households: ({ producerId: string; name: string; quotaGrams: number; leftGrams: number } & Figures)[];
  reservations: {
    code: string;
    householdId: string;
    status: string;
    grams: number;
    deposit: number;
    packs: Record<string, number>;
    settlement?: string;
  }[];
}

const PHASES: Record<BoardWindow['phase'], string> = {
  upcoming: 'Sắp mở',
  open: 'Đang nhận đặt trước',
  closed: 'Đã đóng, chờ phân bổ',
  allocated: 'Đã phân bổ',
};

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} ₫`;
const kg = (grams: number) => `${(grams / 1000).toLocaleString('vi-VN')} kg`;
const day = (iso: string) => iso.split('-').reverse().join('/');
const int = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN);

function figuresRows(f: Figures): HTMLElement[] {
  return [
    h('td', { 'data-label': 'Đơn đã cọc' }, String(f.reservations)),
    h('td', { 'data-label': 'Đã đặt' }, kg(f.reservedGrams)),
    h('td', { 'data-label': 'Đã phân bổ' }, kg(f.allocatedGrams)),
    h('td', { 'data-label': 'Thiếu' }, kg(f.shortGrams)),
    h('td', { 'data-label': 'Cọc đã thu' }, vnd(f.depositsPaid)),
    h('td', { 'data-label': 'Đã hoàn' }, vnd(f.refunded)),
    h('td', { 'data-label': 'Phần còn lại đã thu' }, vnd(f.balancesPaid)),
  ];
}

const HEAD = ['Đơn đã cọc', 'Đã đặt', 'Đã phân bổ', 'Thiếu', 'Cọc đã thu', 'Đã hoàn', 'Phần còn lại đã thu'];

function windowView(w: BoardWindow, base: string, reload: () => Promise<void>): HTMLElement {
  const names = new Map(w.households.map((x) => [x.producerId, x.name]));
  const table = h(
    'table',
    { class: 'stack' },
    h('caption', null, `Số liệu đợt ${w.season}`),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Hộ'),
        HEAD.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      null,
      h('tr', null, h('th', { scope: 'row' }, 'Cả đợt'), figuresRows(w.figures)),
      w.households.map((x) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, `${x.name} (hạn mức ${kg(x.quotaGrams)}, còn ${kg(x.leftGrams)})`),
          figuresRows(x),
        ),
      ),
    ),
  );
  const section = h(
    'section',
    { class: 'panel', 'data-window': w.id, 'aria-labelledby': `w-${w.id}` },
    h('h3', { id: `w-${w.id}` }, `${w.productName} — ${w.season}`),
    h(
      'p',
      null,
      `${PHASES[w.phase]} · nhận đặt ${day(w.opensOn)}–${day(w.closesOn)} · thu hái ${day(w.harvestFrom)}–${day(w.harvestTo)} · tổng ${kg(w.totalGrams)}, còn ${kg(w.leftGrams)} · cọc ${w.depositPercent}% · hạn trả phần còn lại ${w.graceDays} ngày`,
    ),
    h(
      'p',
      null,
      'Gói: ',
      w.packs
        .map(
          (p) =>
            `${p.tolerancePercent !== undefined ? 'khoảng ' : ''}${p.grams} g${p.tolerancePercent !== undefined ? ` (±${p.tolerancePercent}%)` : ''} ${vnd(p.price)}, đã đặt ${p.reserved} gói`,
        )
        .join('; '),
    ),
    table,
  );
  if (w.phase === 'closed') section.append(allocationForm(w, base, reload));
  if (w.phase === 'allocated') {
    const packed = w.reservations.filter((r) => r.status === 'packed' && !r.settlement);
    section.append(
      h('h4', null, 'Nhập khối lượng thực tế khi đóng gói'),
      packed.length === 0
        ? h('p', { class: 'muted' }, 'Chưa có đơn nào ở bước “đã đóng gói” cần cân.')
        : h(
            'div',
            null,
            packed.map((r) => weightForm(w, r, names.get(r.householdId) ?? '', base, reload)),
          ),
    );
  }
  return section;
}

function allocationForm(w: BoardWindow, base: string, reload: () => Promise<void>): HTMLElement {
  const form = h('form', { class: 'form', novalidate: true });
  const inputs = w.households.map((x, i) => {
    const id = `alloc-${w.id}-${i}`;
    return {
      household: x,
      field: h(
        'div',
        { class: 'field' },
        h('label', { for: id }, `Sản lượng thực tế của ${x.name} (gam)`),
        h('input', {
          id,
          name: `pickings.${i}.grams`,
          type: 'number',
          inputmode: 'numeric',
          min: '0',
          required: true,
        }),
        h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
      ),
      id,
    };
  });
  const button = h(
    'button',
    { type: 'submit', class: 'btn btn--primary' },
    'Phân bổ (đặt trước thì giao trước)',
  );
  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  fill(
    form,
    h('h4', null, 'Phân bổ theo sản lượng thực tế'),
    h(
      'p',
      { class: 'hint' },
      'Đơn đặt trước được giao theo thứ tự đặt trong từng hộ. Đơn nhận thiếu được hoàn tự động phần tiền cọc của số hàng không giao được.',
    ),
    inputs.map((x) => x.field),
    h('div', { class: 'btn-row' }, button),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pickings = inputs.map((x, i) => ({
      householdId: x.household.producerId,
      grams: int(value(form, `pickings.${i}.grams`)),
    }));
    void runSubmit(
      form,
      button,
      () =>
        pickings.flatMap((p, i): FieldIssue[] =>
          Number.isNaN(p.grams)
            ? [{ path: `pickings.${i}.grams`, message: 'Nhập số gam, không dấu chấm.' }]
            : [],
        ),
      async () => {
        await api(`${base}/${enc(w.id)}/allocation`, { method: 'POST', body: { pickings } });
        await reload();
      },
      'Đang phân bổ…',
    );
  });
  return form;
}

function weightForm(
  w: BoardWindow,
  r: BoardWindow['reservations'][number],
  household: string,
  base: string,
  reload: () => Promise<void>,
): HTMLElement {
  const form = h('form', { class: 'form', novalidate: true, 'data-reservation': r.code });
  const lines = Object.entries(r.packs).filter(([, n]) => n > 0);
  const fields = lines.map(([packId, n], i) => {
    const pack = w.packs.find((p) => p.id === packId)!;
    const id = `wt-${r.code}-${packId}`;
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, `${r.code} · ${n} gói ${pack.grams} g: tổng khối lượng thực tế (gam)`),
      h('input', {
        id,
        name: `lines.${i}.grams`,
        type: 'number',
        inputmode: 'numeric',
        min: '1',
        required: true,
      }),
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
    );
  });
  const button = h('button', { type: 'submit', class: 'btn' }, `Lưu khối lượng ${r.code}`);
  fill(form, h('p', null, `${r.code} — ${household}`), fields, h('div', { class: 'btn-row' }, button));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      lines: lines.map(([packId], i) => ({ packId, grams: int(value(form, `lines.${i}.grams`)) })),
    };
    void runSubmit(
      form,
      button,
      () =>
        body.lines.flatMap((l, i): FieldIssue[] =>
          Number.isNaN(l.grams) || l.grams < 1
            ? [{ path: `lines.${i}.grams`, message: 'Nhập khối lượng bằng gam.' }]
            : [],
        ),
      async () => {
        await api(`${base.replace(/\/preorders$/, '')}/orders/${enc(r.code)}/preorder-weight`, {
          method: 'POST',
          body,
        });
        await reload();
      },
      'Đang lưu…',
    );
  });
  return form;
}

/**
 * Whose pre-orders this page runs: the cooperative the caller manages, or the caller's own
 * household (or enterprise) when it sells on its own; a member household's go through its
 * cooperative.
 */
async function fulfiller(): Promise<{ id: string; slug: string } | undefined> {
  const me = await loadMe();
  if (me.manages) return { id: me.manages.cooperativeId, slug: me.manages.slug };
  const own = me.producer;
  if (own && own.verification.status === 'verified' && own.membership?.status !== 'approved') {
    return { id: own.id, slug: own.slug };
  }
  return undefined;
}

export async function startPreordersBoard(): Promise<void> {
  let coop: { id: string; slug: string } | undefined;
  try {
    coop = await fulfiller();
  } catch (error) {
    show(byId('boot'), false);
    notice(byId('page-error'), errorMessage(error), 'error');
    show(byId('page-error'));
    return;
  }
  show(byId('boot'), false);
  if (!coop) {
    const box = byId('page-error');
    fill(
      box,
      'Trang này dành cho quản lý hợp tác xã hoặc hộ sản xuất tự bán đã được xác minh; hộ thành viên đặt trước qua hợp tác xã. ',
      h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
    );
    box.className = 'notice notice--info';
    show(box);
    return;
  }
  const base = `/api/board/${enc(coop.id)}/preorders`;
  const list = byId('po-windows');
  const reload = async () => {
    const { items } = await api<{ items: BoardWindow[] }>(base);
    fill(
      list,
      items.length === 0
        ? h('p', { class: 'muted' }, 'Chưa có đợt đặt trước nào.')
        : items.map((w) => windowView(w, base, reload)),
    );
  };
  try {
    const detail = await api<{ products: { id: string; name: { vi: string } | string }[] }>(
      `/api/catalog/producers/${enc(coop.slug)}`,
    );
    const select = byId<HTMLSelectElement>('po-product');
    fill(
      select,
      detail.products.map((p) =>
        h('option', { value: p.id }, typeof p.name === 'string' ? p.name : p.name.vi),
      ),
    );
    await reload();
  } catch (error) {
    notice(byId('page-error'), (error as Error).message, 'error');
    show(byId('page-error'));
    return;
  }
  show(byId('po-board'));

  const form = byId<HTMLFormElement>('po-open');
  const save = byId<HTMLButtonElement>('po-open-save');
  const status = byId('po-open-status');
  const read = () => {
    const tol = value(form, 'packs.0.tolerancePercent');
    return {
      productId: value(form, 'productId'),
      season: value(form, 'season'),
      opensOn: value(form, 'opensOn'),
      closesOn: value(form, 'closesOn'),
      harvestFrom: value(form, 'harvestFrom'),
      harvestTo: value(form, 'harvestTo'),
      packs: [
        {
          grams: int(value(form, 'packs.0.grams')),
          price: int(value(form, 'packs.0.price')),
          ...(tol ? { tolerancePercent: int(tol) } : {}),
        },
      ],
      totalKg: int(value(form, 'totalKg')),
      quotaKg: int(value(form, 'quotaKg')),
      depositPercent: int(value(form, 'depositPercent')),
      graceDays: int(value(form, 'graceDays')),
    };
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = read();
    void runSubmit(
      form,
      save,
      () => {
        const issues: FieldIssue[] = [];
        if (!body.season) issues.push({ path: 'season', message: 'Hãy nhập mùa vụ.' });
        for (const name of ['opensOn', 'closesOn', 'harvestFrom', 'harvestTo'] as const)
          if (!body[name]) issues.push({ path: name, message: 'Hãy chọn ngày.' });
        const numbers: [string, number][] = [
          ['packs.0.grams', body.packs[0]!.grams],
          ['packs.0.price', body.packs[0]!.price],
          ['totalKg', body.totalKg],
          ['quotaKg', body.quotaKg],
          ['depositPercent', body.depositPercent],
          ['graceDays', body.graceDays],
        ];
        for (const [path, n] of numbers)
          if (Number.isNaN(n)) issues.push({ path, message: 'Nhập số nguyên, không dấu chấm.' });
        return issues;
      },
      async () => {
        const opened = await api<{ season: string }>(base, { method: 'POST', body });
        notice(
          status,
          `Đã mở đợt đặt trước “${opened.season}”. Người mua thấy ngay trên trang sản phẩm.`,
          'ok',
        );
        show(status);
        await reload();
      },
      'Đang mở…',
    );
  });
}
