import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { I18nProvider, LANG_STORAGE_KEY, format, readStoredLang, translate, useI18n } from './i18n';
import { ja } from './ja';

function Probe() {
  const { t, lang, setLang } = useI18n();
  return (
    <div>
      <span data-testid="lang">{lang}</span>
      <span data-testid="text">{t('selection.import', { n: 3 })}</span>
      <button onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}>switch</button>
    </div>
  );
}

describe('i18n', () => {
  it('has the same keys in both dictionaries', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });

  it('keeps the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const k of Object.keys(ja) as (keyof typeof ja)[]) expect(ph(en[k]), k).toBe(ph(ja[k]));
  });

  it('follows the Japanese writing rules: no exclamation marks, full-width brackets', () => {
    for (const [k, v] of Object.entries(ja)) {
      expect(v, k).not.toMatch(/[!！]/);
      expect(v, k).not.toMatch(/[()]/);
    }
  });

  it('is Japanese by default', () => {
    expect(readStoredLang()).toBe('ja');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('text')).toHaveTextContent('選択した従業員情報を取り込む（3件）');
    expect(document.documentElement.lang).toBe('ja');
  });

  it('switches to English and remembers it in localStorage', () => {
    const { unmount } = render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    act(() => screen.getByRole('button', { name: 'switch' }).click());
    expect(screen.getByTestId('text')).toHaveTextContent('Import selected employees (3)');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    unmount();
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('lang')).toHaveTextContent('en');
  });

  it('ignores a bad stored value', () => {
    localStorage.setItem(LANG_STORAGE_KEY, 'fr');
    expect(readStoredLang()).toBe('ja');
  });

  it('formats placeholders', () => {
    expect(format('{a} and {b} and {c}', { a: 1, b: 'x' })).toBe('1 and x and {c}');
    expect(translate('ja', 'import.progressText', { done: 5, total: 10 })).toBe('5/10件');
    expect(translate('en', 'status.conflict')).toBe('Cannot import');
  });
});
