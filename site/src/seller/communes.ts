/**
 * The commune picker: a combobox over the 2025 communes of the chosen province, searched on
 * folded text (no diacritics, đ→d) so "tan cuong" finds "Xã Tân Cương", and by the names in force
 * before 2025 so "Dịch Vọng" finds "Phường Cầu Giấy" (shared/domain/commune-search.ts).
 */
import {
  indexCommunes,
  indexFormerUnits,
  looksLikeFormerName,
  searchCommunes,
  type FormerUnits,
  type IndexedCommune,
  type IndexedFormerUnits,
} from '../../../shared/domain/commune-search.ts';
import { foldForSearch } from '../../../shared/domain/text.ts';
import { fill, h } from './dom.ts';
import { tr } from '../shop/lang.ts';

export interface ProvinceOption {
  code: string;
  name: string;
  wards: { code: string; name: string }[];
}

type IndexedWard = IndexedCommune;

let provincesPromise: Promise<Map<string, { name: string; wards: IndexedWard[] }>> | undefined;

function loadProvinces() {
  provincesPromise ??= fetch('/ban-hang/communes.json')
    .then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      return r.json() as Promise<ProvinceOption[]>;
    })
    .then((list) => new Map(list.map((p) => [p.code, { name: p.name, wards: indexCommunes(p.wards) }])))
    .catch((error) => {
      provincesPromise = undefined;
      throw error;
    });
  return provincesPromise;
}

/** Former names, per province, loaded when the picker is used in that province. */
const formerPromises = new Map<string, Promise<IndexedFormerUnits | undefined>>();

function loadFormer(provinceCode: string): Promise<IndexedFormerUnits | undefined> {
  let promise = formerPromises.get(provinceCode);
  if (!promise) {
    promise = fetch(`/dia-danh-cu/${provinceCode}.json`)
      .then((r) => (r.ok ? (r.json() as Promise<FormerUnits>) : undefined))
      .then((units) => (units ? indexFormerUnits(units) : undefined))
      .catch(() => {
        formerPromises.delete(provinceCode);
        return undefined;
      });
    formerPromises.set(provinceCode, promise);
  }
  return promise;
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
  // A scrollable list is focusable in Chromium: Tab from the field must reach the next field, not
  // the list (which closes on blur, leaving the focus on the page body).
  list.tabIndex = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const choose = (ward: IndexedWard | null) => {
    hidden.value = ward?.code ?? '';
    input.value = ward?.name ?? '';
    // A hidden field's value set by script fires nothing: say it changed (checkout re-quotes).
    hidden.dispatchEvent(new Event('change', { bubbles: true }));
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
    const query = input.value;
    const former = foldForSearch(query) ? await loadFormer(province.value) : undefined;
    if (query !== input.value) return; // typed on meanwhile: a newer render follows
    const matches = searchCommunes(wards, query, former);
    options = matches.map((m) => m.commune);
    fill(
      list,
      matches.length
        ? matches.map((m, i) =>
            h(
              'li',
              {
                role: 'option',
                id: `${list.id}-${i}`,
                'aria-selected': 'false',
                'data-index': i,
              },
              m.commune.name,
              m.formerly
                ? h(
                    'span',
                    { class: 'combo__formerly' },
                    tr(` — trước đây ${m.formerly}`, ` — formerly ${m.formerly}`),
                  )
                : null,
            ),
          )
        : h(
            'li',
            { class: 'combo__empty' },
            looksLikeFormerName(query, matches)
              ? tr(
                  'Không có xã/phường nào tên này. Tên xã, phường đã thay đổi từ 1/7/2025 khi sáp nhập: hãy gõ tên mới.',
                  'No commune or ward has this name. Names changed on 1 July 2025 when communes merged: type the new name.',
                )
              : tr('Không có xã/phường nào khớp', 'No commune or ward matches'),
          ),
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
    if (event.key === 'Tab') {
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
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
