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

type Ctx = {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: T;
  formatDateTime: (iso: string | null | undefined) => string;
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
    const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
    const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const nf = new Intl.NumberFormat(locale);
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDateTime: (iso) => {
        if (!iso) return '—';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dtf.format(d);
      },
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
