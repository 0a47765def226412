import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { InformationPanel, PageHeading, Stack } from 'smarthr-ui';
import { useMe } from '../../api/me';
import { useT } from '../../i18n/i18n';

/** The administration screens' frame: a heading, the three tabs, and a refusal for viewers. */
export function AdminFrame({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  const t = useT();
  const me = useMe();
  return (
    <Stack gap={1.5}>
      <PageHeading>{title}</PageHeading>
      <nav aria-label={t('admin.tabs')} className="admin-tabs">
        <ul>
          <li>
            <NavLink to="/admin/users">{t('admin.users.title')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/api-tokens">{t('admin.tokens.title')}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/audit-log">{t('admin.audit.title')}</NavLink>
          </li>
        </ul>
      </nav>
      <p>{lead}</p>
      {me.data && me.data.role !== 'admin' ? (
        <InformationPanel type="warning" title={t('admin.onlyAdmins')} />
      ) : (
        children
      )}
    </Stack>
  );
}
