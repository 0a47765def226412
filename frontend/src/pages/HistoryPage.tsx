import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams, Link } from 'react-router';
import { Button, Cluster, Loader, PageHeading, Stack, Table, Td, Th } from 'smarthr-ui';
import { api, unwrap } from '../api/client';
import { qk } from '../api/queries';
import { DIRECTIONS, isDirection, type ImportStatus } from '../api/types';
import { ErrorPanel } from '../components/ErrorPanel';
import { WaitingNotice } from '../components/WaitingNotice';
import { ImportStatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/i18n';

const STATUSES: readonly ImportStatus[] = ['queued', 'running', 'succeeded', 'partially_failed', 'failed', 'canceled'];

export function HistoryPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [params, setParams] = useSearchParams();
  const dirParam = params.get('direction');
  const direction = isDirection(dirParam) ? dirParam : undefined;
  const statusParam = params.get('status');
  const status = STATUSES.includes(statusParam as ImportStatus) ? (statusParam as ImportStatus) : undefined;

  const q = useInfiniteQuery({
    queryKey: qk.imports({ direction, status }),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/imports', {
          params: { query: { direction, status, limit: 50, cursor: pageParam || undefined } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 10_000,
  });

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap={1.25} className="page">
      <PageHeading>{t('history.title')}</PageHeading>
      <p>{t('history.lead')}</p>
      <Cluster gap={1.5} align="center">
        <label className="inline-field">
          <span>{t('history.filterDirection')}</span>
          <select value={direction ?? ''} onChange={(e) => setFilter('direction', e.currentTarget.value)}>
            <option value="">{t('filter.all')}</option>
            {DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {t(`direction.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('history.filterStatus')}</span>
          <select value={status ?? ''} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">{t('filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`import.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </Cluster>
      {q.isPending ? <Loader alt={t('common.loading')} /> : null}
      {q.isError ? <ErrorPanel error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isSuccess && rows.length === 0 ? <p>{t('history.empty')}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <Table data-testid="history-table">
            <thead>
              <tr>
                <Th>{t('history.col.createdAt')}</Th>
                <Th>{t('history.col.direction')}</Th>
                <Th>{t('history.col.status')}</Th>
                <Th>{t('history.col.counts')}</Th>
                <Th>{t('history.col.startedBy')}</Th>
                <Th>{t('common.details')}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((imp) => (
                <tr key={imp.id} data-import-id={imp.id} data-status={imp.status}>
                  <Td>
                    <time dateTime={imp.created_at}>{formatDateTime(imp.created_at)}</time>
                  </Td>
                  <Td>{t(`direction.${imp.direction}`)}</Td>
                  <Td>
                    <ImportStatusBadge status={imp.status} />
                    <WaitingNotice imp={imp} compact />
                  </Td>
                  <Td>
                    {t('history.countsText', {
                      created: formatNumber(imp.counts.created),
                      updated: formatNumber(imp.counts.updated),
                      unchanged: formatNumber(imp.counts.unchanged),
                      skipped: formatNumber(imp.counts.skipped),
                      failed: formatNumber(imp.counts.failed),
                    })}
                  </Td>
                  <Td>{imp.started_by}</Td>
                  <Td>
                    <Link
                      to={`/imports/${imp.id}`}
                      aria-label={t('history.detailLinkLabel', { time: formatDateTime(imp.created_at) })}
                    >
                      {t('history.detailLink')}
                    </Link>
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
    </Stack>
  );
}
