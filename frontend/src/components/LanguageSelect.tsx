import { LANGS, useI18n, type Lang } from '../i18n/i18n';

/** The header's (and the login page's) 表示言語 switch. */
export function LanguageSelect() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang-select">
      <span className="lang-select-label">{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)} data-testid="lang-select">
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {l === 'ja' ? '日本語' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}
