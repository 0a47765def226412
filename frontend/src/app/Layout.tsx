import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { Button } from 'smarthr-ui';
import { api } from '../api/client';
import { useMe } from '../api/queries';
import { LANGS, useI18n, type Lang } from '../i18n/i18n';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { LanguageSync } from '../features/auth/LanguageSync';

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

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: async () => {
      await api.POST('/auth/logout');
    },
    onSettled: () => {
      qc.clear();
      navigate('/login', { replace: true });
    },
  });

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skipToMain')}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <NavLink to="/" className="app-brand">
            {t('app.name')}
          </NavLink>
          <nav aria-label={t('nav.main')} className="app-nav">
            <ul>
              <li>
                <NavLink to="/" end>
                  {t('nav.top')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/integrations/jobkan">{t('nav.integration')}</NavLink>
              </li>
              <li>
                <NavLink to="/imports">{t('nav.history')}</NavLink>
              </li>
              <li>
                <NavLink to="/settings/jobkan">{t('nav.settings')}</NavLink>
              </li>
              {me.data?.role === 'admin' ? (
                <li>
                  <NavLink to="/admin/users">{t('admin.nav')}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="app-header-tools">
            <a
              className="app-api-link"
              href="/api/docs"
              target="_blank"
              rel="noopener"
              aria-label={t('nav.apiDocsLabel')}
              title={t('nav.apiDocsLabel')}
              data-testid="api-docs-link"
            >
              {t('nav.apiDocs')}
            </a>
            <LanguageSync />
            <NotificationBell />
            <LanguageSelect />
            {me.data ? (
              <span className="app-account" data-testid="account" title={me.data.email}>
                {t('nav.account', { email: me.data.email, role: t(`role.${me.data.role}`) })}
              </span>
            ) : null}
            <Button size="s" variant="text" onClick={() => logout.mutate()} disabled={logout.isPending}>
              {t('nav.logout')}
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
