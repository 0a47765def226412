import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { Button } from 'smarthr-ui';
import { useMe } from '../api/me';
import { LanguageSelect } from '../components/LanguageSelect';
import { useI18n } from '../i18n/i18n';
import { LanguageSync, useLogout } from '../features/auth';
import { NotificationBell } from '../features/notifications';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const logout = useLogout();

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
