import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ja, type MessageKey } from './ja';
import { en } from './en';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
export const LANG_STORAGE_KEY = 'hrbridge.lang';
export const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };
export type { MessageKey };

export type Params = Record<string, string | number>;

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const dict = dictionaries[lang] ?? ja;
  return format(dict[key] ?? ja[key] ?? key, params);
}

export function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (v === 'ja' || v === 'en') return v;
  } catch {
    // storage may be unavailable (private mode): Japanese is the default
  }
  return 'ja';
}

export type T = (key: MessageKey, params?: Params) => string;

const LOCALES: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (`YYYY-MM-DD` from the API) as people read it: `YYYY/MM/DD` in Japanese, the
 * locale's medium form in English ("Apr 13, 2022"). No time zone is involved: a date is a date.
 * Anything that is not such a date is returned as it is.
 */
export function formatDate(lang: Lang, s: string): string {
  const m = DATE_ONLY.exec(s);
  if (!m) return s;
  if (lang === 'ja') return `${m[1]}/${m[2]}/${m[3]}`;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/**
 * A timestamp (RFC 3339, the server sends UTC) in the browser's time zone (or `timeZone`):
 * `YYYY/MM/DD HH:mm` in Japanese, the locale's medium date and short time in English.
 */
export function formatDateTime(lang: Lang, iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (lang === 'ja') {
    const parts = new Intl.DateTimeFormat('ja-JP', {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone,
    }).formatToParts(d);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
  }
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

type Ctx = {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: T;
  formatDateTime: (iso: string | null | undefined) => string;
  formatDate: (date: string) => string;
  formatNumber: (n: number) => string;
};

const I18nContext = createContext<Ctx | null>(null);

export function I18nProvider({ children, initialLang }: { children: ReactNode; initialLang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang ?? readStoredLang());

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      globalThis.localStorage?.setItem(LANG_STORAGE_KEY, l);
    } catch {
      // ignore
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<Ctx>(() => {
    const nf = new Intl.NumberFormat(LOCALES[lang]);
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDateTime: (iso) => formatDateTime(lang, iso),
      formatDate: (date) => formatDate(lang, date),
      formatNumber: (n) => nf.format(n),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): Ctx {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

export const useT = (): T => useI18n().t;
