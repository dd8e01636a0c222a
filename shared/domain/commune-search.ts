/**
 * Finding a 2025 commune from what a person types: the 2025 name, with or without diacritics
 * ("tan cuong" → Xã Tân Cương), or a name in force before the 2025 reform — a former commune,
 * ward or town ("Dịch Vọng" → Phường Cầu Giấy) or a former district (then every commune it now
 * lies in). Former names come from shared/data/former-units-2025.json, one province at a time
 * (`FormerUnits`). Pure: used by the commune pickers in the browser and by tests.
 */
import { foldForSearch } from './text.ts';

export interface Commune {
  code: string;
  name: string;
}

export interface IndexedCommune extends Commune {
  folded: string;
  /** Without "xa " / "phuong " / "dac khu ", for ranking. */
  core: string;
}

/** One province's former units: `[name, former province, 2025 codes]`, `[name, district index, 2025 codes]`. */
export interface FormerUnits {
  districts: [string, string, string[]][];
  wards: [string, number, string[]][];
}

interface IndexedFormer {
  /** "Phường Dịch Vọng, Quận Cầu Giấy" or "Huyện Đại Từ, Tỉnh Thái Nguyên". */
  label: string;
  folded: string;
  core: string;
  codes: string[];
  district: boolean;
}

export interface IndexedFormerUnits {
  entries: IndexedFormer[];
}

export interface CommuneMatch {
  commune: IndexedCommune;
  /** Set when the match is through a name in force before 2025: that name, with its district. */
  formerly?: string;
}

export const MAX_COMMUNE_OPTIONS = 60;

const CURRENT_PREFIX = /^(xa|phuong|dac khu) /;
const FORMER_PREFIX = /^(xa|phuong|thi tran|quan|huyen|thi xa|thanh pho|tp) /;

export function indexCommunes(communes: Commune[]): IndexedCommune[] {
  return communes.map((c) => {
    const folded = foldForSearch(c.name);
    return { code: c.code, name: c.name, folded, core: folded.replace(CURRENT_PREFIX, '') };
  });
}

export function indexFormerUnits(units: FormerUnits): IndexedFormerUnits {
  const entry = (label: string, name: string, codes: string[], district: boolean): IndexedFormer => {
    const folded = foldForSearch(name);
    return { label, folded, core: folded.replace(FORMER_PREFIX, ''), codes, district };
  };
  return {
    entries: [
      ...units.wards.map(([name, d, codes]) => {
        const district = units.districts[d]?.[0];
        return entry(district ? `${name}, ${district}` : name, name, codes, false);
      }),
      ...units.districts.map(([name, province, codes]) => entry(`${name}, ${province}`, name, codes, true)),
    ],
  };
}

/**
 * The communes matching `query`, best first: 2025 names (every folded word found; a name that
 * starts with the query first), then 2025 communes that former units of that name became. A former
 * district counts only when its whole name is typed ("dai tu", "huyen dai tu"), as it covers many communes.
 */
export function searchCommunes(
  communes: IndexedCommune[],
  query: string,
  former?: IndexedFormerUnits,
): CommuneMatch[] {
  const q = foldForSearch(query);
  if (!q) return communes.slice(0, MAX_COMMUNE_OPTIONS).map((commune) => ({ commune }));
  const tokens = q.split(' ');
  const qCore = q.replace(FORMER_PREFIX, '');
  const rank = (c: IndexedCommune) => (c.core.startsWith(q) ? 0 : c.folded.startsWith(q) ? 1 : 2);
  const current = communes
    .filter((c) => tokens.every((t) => c.folded.includes(t)))
    .sort((a, b) => rank(a) - rank(b) || a.core.localeCompare(b.core))
    .map((commune): CommuneMatch => ({ commune }));
  const seen = new Set(current.map((m) => m.commune.code));
  const byCode = new Map(communes.map((c) => [c.code, c]));
  const fromFormer: CommuneMatch[] = [];
  if (former && q.length >= 2) {
    const formerRank = (f: IndexedFormer) =>
      f.core === qCore || f.folded === q ? 0 : f.core.startsWith(qCore) ? 1 : 2;
    // Former names match word by word ("phu luong" is not "Phường Lương Sơn"), prefixes allowed.
    const coreTokens = qCore.split(' ');
    const wordMatch = (f: IndexedFormer) => {
      const words = f.core.split(' ');
      return coreTokens.every((t) => words.some((w) => w.startsWith(t)));
    };
    const hits = former.entries
      .filter((f) => (f.district ? f.core === qCore || f.folded === q : wordMatch(f)))
      .sort((a, b) => Number(a.district) - Number(b.district) || formerRank(a) - formerRank(b));
    for (const f of hits) {
      for (const code of f.codes) {
        const commune = byCode.get(code);
        if (!commune || seen.has(code)) continue;
        seen.add(code);
        fromFormer.push({ commune, formerly: f.label });
      }
    }
  }
  return [...current, ...fromFormer].slice(0, MAX_COMMUNE_OPTIONS);
}

/**
 * True when nothing matched a query long enough to be a name: the picker then says that names
 * changed in 2025 and to type the new one.
 */
export function looksLikeFormerName(query: string, matches: CommuneMatch[]): boolean {
  return matches.length === 0 && foldForSearch(query).replace(/ /g, '').length >= 3;
}
