import { useSearchParams, Link } from 'react-router';
import {
  Button,
  Cluster,
  Loader,
  Stack,
  Table,
  Td,
  Th,
} from 'smarthr-ui';
import { WaitingNotice } from '../../components/WaitingNotice';
import { PageHeading } from '../../components/PageHeading';
import { DIRECTIONS, isDirection, isTerminal, type Import, type ImportStatus } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ImportStatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/i18n';
import { IMPORT_STATUS_LABEL } from '../../i18n/labels';
import { useImportHistory } from './queries';

const COUNT_KEYS = ['created', 'updated', 'unchanged', 'skipped', 'failed'] as const;

/** An import's counts in the words of the results (counts.*), each label and number kept on one line. */
function Counts({ imp }: { imp: Import }) {
  const { t, formatNumber } = useI18n();
  return (
    <ul className="history-counts" data-testid="history-counts">
      {COUNT_KEYS.map((k) => (
        <li key={k} data-count={k} className={k === 'failed' && imp.counts.failed > 0 ? 'is-failed' : undefined}>
          {t(`counts.${k}`)} <strong>{formatNumber(imp.counts[k])}</strong>
        </li>
      ))}
    </ul>
  );
}

const STATUSES: readonly ImportStatus[] = ['queued', 'running', 'succeeded', 'partially_failed', 'failed', 'canceled'];

export function HistoryPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [params, setParams] = useSearchParams();
  const dirParam = params.get('direction');
  const direction = isDirection(dirParam) ? dirParam : undefined;
  const statusParam = params.get('status');
  const status = STATUSES.includes(statusParam as ImportStatus) ? (statusParam as ImportStatus) : undefined;

  const q = useImportHistory({ direction, status });

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
                {t(IMPORT_STATUS_LABEL[s])}
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
                  <Td className="nowrap">
                    <time dateTime={imp.created_at}>{formatDateTime(imp.created_at)}</time>
                  </Td>
                  <Td className="nowrap">{t(`direction.${imp.direction}`)}</Td>
                  <Td className="nowrap">
                    <ImportStatusBadge status={imp.status} />
                    {!isTerminal(imp.status) ? (
                      <span className="history-progress" data-testid="history-progress">
                        <ProgressBar
                          value={imp.done}
                          max={imp.total}
                          label={t('import.progress')}
                          text={t('history.progressText', { done: formatNumber(imp.done), total: formatNumber(imp.total) })}
                        />
                      </span>
                    ) : null}
                    <WaitingNotice imp={imp} compact />
                  </Td>
                  <Td>
                    <Counts imp={imp} />
                  </Td>
                  <Td>
                    <span className="cell-ellipsis" title={imp.started_by}>
                      {imp.started_by}
                    </span>
                  </Td>
                  <Td className="nowrap">
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
