/**
 * The storefront's two languages: Vietnamese at `/`, English at `/en/` + the same path. Every public
 * page lives under `src/pages/[...lang]/` and is built once per language (`langPaths`); components
 * read the language from the page URL (`langOf(Astro.url)`), so nothing threads a `lang` prop.
 * Pure: used at build time and by the islands.
 */
import { en, vi, type Messages } from './messages.ts';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const DEFAULT_LANG: Lang = 'vi';

const MESSAGES: Record<Lang, Messages> = { vi, en };

/** The wording of one language (a complete translation: `en` is typed against `vi`). */
export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** The language of a path: `/en` and `/en/…` are English, everything else Vietnamese. */
export function langOfPath(pathname: string): Lang {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'vi';
}

export function langOf(url: URL): Lang {
  return langOfPath(url.pathname);
}

/** `/san-pham/` in a language: unchanged in Vietnamese, `/en/san-pham/` in English. */
export function localizePath(lang: Lang, path: string): string {
  if (lang === 'vi' || !path.startsWith('/')) return path;
  return path === '/' ? '/en/' : `/en${path}`;
}

/** The language-neutral path of a page: `/en/san-pham/` → `/san-pham/`. */
export function unlocalizePath(pathname: string): string {
  if (pathname === '/en' || pathname === '/en/') return '/';
  return pathname.startsWith('/en/') ? pathname.slice(3) : pathname;
}

/** The same page in the other language (what the language switch links to). */
export function switchPath(pathname: string, to: Lang): string {
  return localizePath(to, unlocalizePath(pathname));
}

/** `getStaticPaths` params for a page built in both languages (`lang` undefined = Vietnamese). */
export function langParams(): { lang: string | undefined }[] {
  return LANGS.map((lang) => ({ lang: lang === DEFAULT_LANG ? undefined : lang }));
}

/** The language a rest parameter stands for; anything but `en` is the default. */
export function langOfParam(param: string | undefined): Lang {
  return param === 'en' ? 'en' : 'vi';
}

/**
 * Text that may be missing in English (product names and descriptions are written by sellers):
 * the English text when there is one, else the Vietnamese one marked `lang="vi"` by the caller.
 */
export function pick(
  text: { vi: string; en?: string | undefined },
  lang: Lang,
): { text: string; lang: Lang } {
  if (lang === 'en' && text.en?.trim()) return { text: text.en, lang: 'en' };
  return { text: text.vi, lang: 'vi' };
}

/** BCP 47 tags for `hreflang`, `og:locale` and `Intl`. */
export const LOCALES: Record<Lang, { hreflang: string; og: string; intl: string; name: string }> = {
  vi: { hreflang: 'vi', og: 'vi_VN', intl: 'vi-VN', name: 'Tiếng Việt' },
  en: { hreflang: 'en', og: 'en_US', intl: 'en-US', name: 'English' },
};

const SEASONS_EN: Record<string, string> = {
  xuan: 'Spring',
  he: 'Summer',
  thu: 'Autumn',
  dong: 'Winter',
  chinh: 'Main',
};

/**
 * A lot's season as sellers write it ("Vụ xuân 2026") in a language: in English "Spring 2026
 * harvest"; a wording not recognised stays Vietnamese, marked `lang="vi"` by the caller.
 */
export function seasonLabel(season: string, lang: Lang): { text: string; lang: Lang } {
  if (lang === 'vi') return { text: season, lang: 'vi' };
  const folded = season.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();
  const match = /^(?:vu\s+)?(xuan|he|thu|dong|chinh)(?:\s+(\d{4}))?$/.exec(folded);
  if (!match) return { text: season, lang: 'vi' };
  const name = SEASONS_EN[match[1]!]!;
  return { text: `${name}${match[2] ? ` ${match[2]}` : ''} harvest`, lang: 'en' };
}
