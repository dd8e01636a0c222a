/** /ban-hang/nhat-ky/: the producer's audit trail, newest first. */
import { api, enc, errorMessage } from './api.ts';
import { byId, fill, formatDateTime, h, notice, show } from './dom.ts';
import { actionLabel, ROLE } from './labels.ts';
import { loadMe } from './me.ts';
import type { AuditEntry, ItemsOf } from './types.ts';

let entries: AuditEntry[] = [];
let filter = 'all';

export async function startAudit(): Promise<void> {
  const boot = byId('boot');
  try {
    const me = await loadMe();
    const requested = new URLSearchParams(location.search).get('id');
    const producerId = requested ?? me.producer?.id;
    if (!producerId) {
      show(boot, false);
      const box = byId('page-error');
      fill(
        box,
        'Bạn chưa đăng ký nhà sản xuất nên chưa có nhật ký. ',
        h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
      );
      box.className = 'notice notice--info';
      show(box);
      return;
    }
    entries = (await api<ItemsOf<AuditEntry>>(`/api/producers/${enc(producerId)}/audit`)).items;
    const own = producerId === me.producer?.id;
    const subjectName = own
      ? me.producer!.name
      : (entries.find((e) => e.subject.type === 'producer')?.subject.name ?? 'Nhà sản xuất');
    fill(byId('audit-title'), own ? 'Nhật ký của bạn' : `Nhật ký của ${subjectName}`);
  } catch (error) {
    show(boot, false);
    notice(byId('page-error'), errorMessage(error), 'error');
    return;
  }
  show(boot, false);
  show(byId('audit'));
  byId('audit-filters').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-filter]');
    if (!button) return;
    filter = button.dataset.filter ?? 'all';
    for (const b of byId('audit-filters').querySelectorAll('[data-filter]'))
      b.setAttribute('aria-pressed', String(b === button));
    render();
  });
  render();
}

function matches(entry: AuditEntry): boolean {
  if (filter === 'decision') return /approved|rejected|verified/.test(entry.action);
  if (filter === 'product') return ['product', 'stock', 'lot', 'certificate'].includes(entry.subject.type);
  if (filter === 'producer') return entry.subject.type === 'producer';
  return true;
}

function render(): void {
  const list = byId('audit-list');
  const shown = entries.filter(matches);
  if (shown.length === 0) {
    fill(list, h('li', { class: 'empty' }, 'Chưa có mục nào.'));
    return;
  }
  fill(
    list,
    shown.map((entry) =>
      h(
        'li',
        null,
        h('time', { datetime: entry.at }, formatDateTime(entry.at)),
        h('strong', null, actionLabel(entry.action)),
        entry.subject.name ? ` — ${entry.subject.name}` : '',
        h('div', { class: 'who' }, 'Người thực hiện: ', ROLE[entry.actor.role] ?? entry.actor.role),
        entry.reason ? h('p', { class: 'reason' }, 'Lý do: ', h('q', null, entry.reason)) : null,
        details(entry),
      ),
    ),
  );
}

const FIELD_WORDS: Record<string, string> = {
  name: 'tên',
  description: 'mô tả',
  category: 'loại',
  packs: 'giá / gói',
};

function details(entry: AuditEntry): HTMLElement | null {
  const d = entry.details;
  if (!d) return null;
  const bits: string[] = [];
  if (typeof d.cooperativeName === 'string') bits.push(`Hợp tác xã: ${d.cooperativeName}`);
  if (d.via === 'sms_code') bits.push('Hộ đồng ý bằng mã gửi qua tin nhắn');
  if (Array.isArray(d.fields))
    bits.push(`Đã sửa: ${d.fields.map((f) => FIELD_WORDS[String(f)] ?? f).join(', ')}`);
  if (typeof d.traceCode === 'string') bits.push(`Mã lô: ${d.traceCode}`);
  return bits.length ? h('p', { class: 'who' }, bits.join(' · ')) : null;
}
