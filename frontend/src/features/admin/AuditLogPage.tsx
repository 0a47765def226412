import { useState, type FormEvent } from 'react';
import { Button, Cluster, FormControl, Input, Loader, Select, Table, Td, Th } from 'smarthr-ui';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { AdminFrame } from './AdminTabs';
import { useAuditEvents } from './queries';

export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'logout',
  'api_token.created',
  'api_token.revoked',
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.language',
  'connection.updated',
  'import.started',
  'import.canceled',
  'secrets.reencrypted',
] as const;

type Filters = { actor: string; action: string; since: string; until: string };
const empty: Filters = { actor: '', action: '', since: '', until: '' };

/** A datetime-local value (the browser's zone) as RFC 3339 UTC, or undefined. */
const toUTC = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditLogPage() {
  const { t, formatDateTime } = useI18n();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const q = useAuditEvents({
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    since: toUTC(filters.since),
    until: toUTC(filters.until),
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const actionLabel = (a: string) => {
    const key = `audit.action.${a}` as MessageKey;
    const label = t(key);
    return label === key ? a : label;
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };

  return (
    <AdminFrame title={t('admin.audit.title')} lead={t('admin.audit.lead')}>
      <form onSubmit={onSubmit} data-testid="audit-filters" className="audit-filters">
        <Cluster gap={1} align="flex-end">
          <FormControl label={t('admin.audit.actor')}>
            <Input name="actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })} />
          </FormControl>
          <FormControl label={t('admin.audit.action')}>
            <Select
              name="action"
              value={draft.action}
              onChangeValue={(v) => setDraft({ ...draft, action: v })}
              options={[{ label: t('admin.audit.allActions'), value: '' }, ...AUDIT_ACTIONS.map((a) => ({ label: actionLabel(a), value: a as string }))]}
            />
          </FormControl>
          <FormControl label={t('admin.audit.since')}>
            <Input type="datetime-local" name="since" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.currentTarget.value })} />
          </FormControl>
          <FormControl label={t('admin.audit.until')}>
            <Input type="datetime-local" name="until" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.currentTarget.value })} />
          </FormControl>
          <Cluster gap={0.5}>
            <Button type="submit" variant="primary">
              {t('admin.audit.search')}
            </Button>
            <Button
              onClick={() => {
                setDraft(empty);
                setFilters(empty);
              }}
            >
              {t('admin.audit.clear')}
            </Button>
          </Cluster>
        </Cluster>
      </form>
      {q.isPending ? <Loader alt={t('common.loading')} /> : null}
      {q.isError ? <ErrorPanel error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isSuccess && rows.length === 0 ? <p>{t('admin.audit.empty')}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <Table data-testid="audit-table">
            <thead>
              <tr>
                <Th>{t('admin.audit.time')}</Th>
                <Th>{t('admin.audit.action')}</Th>
                <Th>{t('admin.audit.actor')}</Th>
                <Th>{t('admin.audit.target')}</Th>
                <Th>{t('admin.audit.ip')}</Th>
                <Th>{t('admin.audit.detail')}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <Td className="nowrap">
                    <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
                  </Td>
                  <Td className="nowrap">{actionLabel(e.action)}</Td>
                  <Td>{e.actor}</Td>
                  <Td>{e.target ?? '—'}</Td>
                  <Td className="nowrap">{e.ip ?? '—'}</Td>
                  <Td>
                    {e.detail && Object.keys(e.detail).length > 0 ? (
                      <details>
                        <summary>{t('common.details')}</summary>
                        <pre className="audit-detail">{JSON.stringify(e.detail, null, 2)}</pre>
                      </details>
                    ) : (
                      '—'
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      ) : null}
      {q.hasNextPage ? (
        <div>
          <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      ) : null}
    </AdminFrame>
  );
}
