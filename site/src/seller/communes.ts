/**
 * The commune picker: a combobox over the 2025 communes of the chosen province, searched on
 * folded text (no diacritics, đ→d) so "tan cuong" finds "Xã Tân Cương".
 */
import { foldForSearch } from '../../../shared/domain/text.ts';
import { fill, h } from './dom.ts';
import { tr } from '../shop/lang.ts';

export interface ProvinceOption {
  code: string;
  name: string;
  wards: { code: string; name: string }[];
}

interface IndexedWard {
  code: string;
  name: string;
  folded: string;
  /** Without "xa " / "phuong " / "dac khu ", for ranking. */
  core: string;
}

let provincesPromise: Promise<Map<string, { name: string; wards: IndexedWard[] }>> | undefined;

function loadProvinces() {
  provincesPromise ??= fetch('/ban-hang/communes.json')
    .then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      return r.json() as Promise<ProvinceOption[]>;
    })
    .then(
      (list) =>
        new Map(
          list.map((p) => [
            p.code,
            {
              name: p.name,
              wards: p.wards.map((w) => {
                const folded = foldForSearch(w.name);
                return { ...w, folded, core: folded.replace(/^(xa|phuong|dac khu) /, '') };
              }),
            },
          ]),
        ),
    )
    .catch((error) => {
      provincesPromise = undefined;
      throw error;
    });
  return provincesPromise;
}

const MAX_OPTIONS = 60;

function search(wards: IndexedWard[], query: string): IndexedWard[] {
  const q = foldForSearch(query);
  if (!q) return wards.slice(0, MAX_OPTIONS);
  const tokens = q.split(' ');
  const matches = wards.filter((w) => tokens.every((t) => w.folded.includes(t)));
  const rank = (w: IndexedWard) => (w.core.startsWith(q) ? 0 : w.folded.startsWith(q) ? 1 : 2);
  return matches.sort((a, b) => rank(a) - rank(b) || a.core.localeCompare(b.core)).slice(0, MAX_OPTIONS);
}

export interface CommunePicker {
  set(provinceCode: string, communeCode: string): Promise<void>;
  clear(): void;
}

export function initCommunePicker(root: HTMLElement): CommunePicker {
  const province = root.querySelector<HTMLSelectElement>('[data-province]')!;
  const input = root.querySelector<HTMLInputElement>('[data-commune-search]')!;
  const hidden = root.querySelector<HTMLInputElement>('[data-commune-code]')!;
  const list = root.querySelector<HTMLUListElement>('[role=listbox]')!;
  const chosen = root.querySelector<HTMLElement>('[data-commune-chosen]')!;
  let options: IndexedWard[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const choose = (ward: IndexedWard | null) => {
    hidden.value = ward?.code ?? '';
    input.value = ward?.name ?? '';
    fill(
      chosen,
      ward
        ? tr(
            `Đã chọn: ${ward.name}, ${province.selectedOptions[0]?.textContent?.trim() ?? ''} (mã ${ward.code})`,
            `Selected: ${ward.name}, ${province.selectedOptions[0]?.textContent?.trim() ?? ''} (code ${ward.code})`,
          )
        : '',
    );
    close();
  };

  const setActive = (index: number) => {
    const items = list.querySelectorAll<HTMLElement>('[role=option]');
    items.forEach((el, i) => el.setAttribute('aria-selected', String(i === index)));
    active = index;
    const el = items[index];
    if (el) {
      input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    }
  };

  const render = async () => {
    let provinces;
    try {
      provinces = await loadProvinces();
    } catch {
      fill(
        list,
        h(
          'li',
          { class: 'combo__empty' },
          tr(
            'Chưa tải được danh sách xã. Kiểm tra mạng rồi thử lại.',
            'The list of communes could not be loaded. Check the connection and try again.',
          ),
        ),
      );
      list.hidden = false;
      return;
    }
    const wards = provinces.get(province.value)?.wards ?? [];
    options = search(wards, input.value);
    fill(
      list,
      options.length
        ? options.map((w, i) =>
            h(
              'li',
              {
                role: 'option',
                id: `${list.id}-${i}`,
                'aria-selected': 'false',
                'data-index': i,
              },
              w.name,
            ),
          )
        : h('li', { class: 'combo__empty' }, tr('Không có xã/phường nào khớp', 'No commune or ward matches')),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  };

  input.addEventListener('focus', () => void render());
  input.addEventListener('input', () => {
    hidden.value = '';
    fill(chosen, '');
    void render();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (list.hidden) void render();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(Math.max(0, Math.min(options.length - 1, active + step)));
    } else if (event.key === 'Enter' && !list.hidden) {
      event.preventDefault();
      const pick = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (pick) choose(pick);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  // Keep the focus in the input while an option is tapped.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role=option]');
    if (item) choose(options[Number(item.dataset.index)] ?? null);
  });
  input.addEventListener('blur', () => {
    // Typing an exact name counts as choosing it.
    if (!hidden.value && options.length) {
      const exact = options.find(
        (w) => w.folded === foldForSearch(input.value) || w.core === foldForSearch(input.value),
      );
      if (exact) choose(exact);
    }
    close();
  });
  province.addEventListener('change', () => choose(null));
  void loadProvinces().catch(() => undefined);

  return {
    async set(provinceCode, communeCode) {
      province.value = provinceCode;
      const provinces = await loadProvinces();
      choose(provinces.get(provinceCode)?.wards.find((w) => w.code === communeCode) ?? null);
    },
    clear: () => choose(null),
  };
}

/** "Xã Tân Cương, Tỉnh Thái Nguyên" for a stored address, or '' when the list is unavailable. */
export async function wardName(provinceCode: string, communeCode: string): Promise<string> {
  try {
    const province = (await loadProvinces()).get(provinceCode);
    const ward = province?.wards.find((w) => w.code === communeCode);
    return ward && province ? `${ward.name}, ${province.name}` : '';
  } catch {
    return '';
  }
}
