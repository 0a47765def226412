import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ActionDialog } from 'smarthr-ui';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Button,
  Cluster,
  Heading,
  InformationPanel,
  Loader,
  Section,
  Stack,
  Table,
  Td,
  Th,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { API_BASE, api, unwrap } from '../../api/client';
import { invalidateImportViews, qk } from '../../api/queries';
import { isTerminal, type Import, type ImportResult, type ImportResultPage, type ResultStatus } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { useIsAdmin } from '../auth/RequireAuth';
import { ImportStatusBadge, ResultStatusBadge } from '../../components/StatusBadge';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ErrorInfo } from '../../components/ErrorInfo';

const RESULT_STATUSES: readonly ResultStatus[] = ['failed', 'created', 'updated', 'unchanged', 'skipped_stale', 'pending'];
/** Without a filter the results list the failed employees first, then every other status (two phases of one list). */
type ResultsCursor = { phase: 'failed' | 'rest' | 'one'; cursor: string };
const NOT_FAILED = RESULT_STATUSES.filter((s) => s !== 'failed');

/** The imports that retried this one (the API links a retry to its source by `retry_of`; they are newer). */
async function fetchRetriesOf(imp: Import): Promise<Import[]> {
  const out: Import[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const page = unwrap(await api.GET('/imports', { params: { query: { since: imp.created_at, limit: 100, cursor } } }));
    for (const it of page.items) if (it.retry_of === imp.id) out.push(it);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}
const POLL_MS = 2000;

/**
 * Follows an import live: the SSE stream (`event: progress`, data = Import) while it runs,
 * falling back to polling GET /imports/{id} every 2 s if the stream fails.
 */
export function useImportProgress(id: string) {
  const qc = useQueryClient();
  const [polling, setPolling] = useState(false);
  const q = useQuery({
    queryKey: qk.importOne(id),
    queryFn: async () => unwrap(await api.GET('/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const d = query.state.data as Import | undefined;
      return polling && (!d || !isTerminal(d.status)) ? POLL_MS : false;
    },
    staleTime: 0,
  });
  const finished = q.data ? isTerminal(q.data.status) : false;

  useEffect(() => {
    if (finished) return;
    if (typeof EventSource === 'undefined') {
      setPolling(true);
      return;
    }
    const es = new EventSource(`${API_BASE}/imports/${encodeURIComponent(id)}/events`, { withCredentials: true });
    let closed = false;
    es.addEventListener('progress', (ev) => {
      try {
        const imp = JSON.parse((ev as MessageEvent<string>).data) as Import;
        qc.setQueryData(qk.importOne(id), imp);
        if (isTerminal(imp.status)) {
          closed = true;
          es.close();
        }
      } catch {
        // a malformed event: keep listening, polling covers us if the stream dies
      }
    });
    es.onerror = () => {
      if (closed) return;
      closed = true;
      es.close();
      const cur = qc.getQueryData<Import>(qk.importOne(id));
      if (!cur || !isTerminal(cur.status)) {
        setPolling(true);
        void qc.invalidateQueries({ queryKey: qk.importOne(id) });
      }
    };
    return () => {
      closed = true;
      es.close();
    };
  }, [id, finished, qc]);

  useEffect(() => {
    if (finished) {
      invalidateImportViews(qc);
      void qc.invalidateQueries({ queryKey: ['import-results', id] });
    }
  }, [finished, id, qc]);

  return { query: q, polling, finished };
}

async function downloadCsv(id: string) {
  const res = await api.GET('/imports/{id}/results', {
    params: { path: { id } },
    headers: { Accept: 'text/csv' },
    parseAs: 'blob',
  });
  if (!res.response.ok || !res.data) unwrap(res);
  const blob = res.data as unknown as Blob;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `hrbridge-import-${id}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ImportPage() {
  const { id = '' } = useParams();
  return <ImportView key={id} id={id} />;
}

function ImportView({ id }: { id: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const isAdmin = useIsAdmin();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { query, finished } = useImportProgress(id);
  const imp = query.data;
  const [statusFilter, setStatusFilter] = useState<'' | ResultStatus>('');

  const results = useInfiniteQuery({
    queryKey: qk.results(id, statusFilter),
    queryFn: async ({ pageParam }): Promise<ImportResultPage & { phase: ResultsCursor['phase'] }> => {
      const status = pageParam.phase === 'one' ? [statusFilter as ResultStatus] : pageParam.phase === 'failed' ? ['failed' as const] : NOT_FAILED;
      const page = unwrap(
        await api.GET('/imports/{id}/results', {
          params: { path: { id }, query: { limit: 200, cursor: pageParam.cursor || undefined, status: [...status] } },
        }),
      ) as ImportResultPage;
      return { ...page, phase: pageParam.phase };
    },
    initialPageParam: { phase: statusFilter ? 'one' : 'failed', cursor: '' } as ResultsCursor,
    getNextPageParam: (last): ResultsCursor | undefined => {
      if (last.next_cursor) return { phase: last.phase, cursor: last.next_cursor };
      return last.phase === 'failed' ? { phase: 'rest', cursor: '' } : undefined;
    },
    enabled: !!imp,
    refetchInterval: finished ? false : 4000,
  });

  // the failed phase comes first; when it ends, the first page of the other statuses follows at once
  const lastPhase = results.data?.pages.at(-1)?.phase;
  useEffect(() => {
    if (lastPhase === 'failed' && results.hasNextPage && !results.isFetchingNextPage) void results.fetchNextPage();
  }, [lastPhase, results]);

  const retry = useMutation({
    mutationFn: async () => unwrap(await api.POST('/imports/{id}/retry', { params: { path: { id } } })),
    onSuccess: (next) => {
      invalidateImportViews(qc);
      qc.setQueryData(qk.importOne(next.id), next);
      navigate(`/imports/${next.id}`);
    },
  });
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancel = useMutation({
    mutationFn: async () => unwrap(await api.POST('/imports/{id}/cancel', { params: { path: { id } } })),
    onSuccess: (next) => {
      qc.setQueryData(qk.importOne(id), next);
      setConfirmCancel(false);
    },
    onError: () => setConfirmCancel(false),
  });
  const hasFailed = !!imp && isTerminal(imp.status) && imp.counts.failed > 0;
  const retries = useQuery({
    queryKey: ['imports', { retriesOf: id }],
    queryFn: () => fetchRetriesOf(imp!),
    enabled: hasFailed,
    staleTime: 10_000,
  });
  const retriedBy = retries.data?.[0];
  const csv = useMutation({ mutationFn: () => downloadCsv(id) });

  if (query.isPending) {
    return (
      <div className="page">
        <Loader alt={t('common.loading')} />
      </div>
    );
  }
  if (query.isError || !imp) {
    return (
      <Stack gap={1} className="page">
        <PageHeading>{t('import.title')}</PageHeading>
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  }

  const rows: ImportResult[] = results.data?.pages.flatMap((p) => p.items) ?? [];
  const listSep = t('common.listSeparator');
  const actionError = retry.error ?? cancel.error ?? csv.error;

  return (
    <Stack gap={1.5} className="page">
      <Stack gap={0.5}>
        <Link to="/imports">{t('import.back')}</Link>
        <PageHeading>{t('import.title')}</PageHeading>
      </Stack>

      <dl className="import-meta" data-testid="import-meta">
        <div>
          <dt>{t('import.direction')}</dt>
          <dd data-testid="import-direction">{t(`direction.${imp.direction}`)}</dd>
        </div>
        <div>
          <dt>{t('import.statusLabel')}</dt>
          <dd data-testid="import-status" data-status={imp.status}>
            <ImportStatusBadge status={imp.status} />
          </dd>
        </div>
        <div>
          <dt>{t('import.startedBy')}</dt>
          <dd>{imp.started_by}</dd>
        </div>
        <div>
          <dt>{t('import.createdAt')}</dt>
          <dd>{formatDateTime(imp.created_at)}</dd>
        </div>
        <div>
          <dt>{t('import.finishedAt')}</dt>
          <dd>{formatDateTime(imp.finished_at)}</dd>
        </div>
        {imp.retry_of ? (
          <div>
            <dt>{t('import.retryOf')}</dt>
            <dd>
              <Link to={`/imports/${imp.retry_of}`} data-testid="retry-of-link">
                {t('import.retryOfLink')}
              </Link>
            </dd>
          </div>
        ) : null}
      </dl>

      <Section>
        <Stack gap={0.75}>
          <Heading>{t('import.progress')}</Heading>
          <ProgressBar
            value={imp.done}
            max={imp.total}
            label={t('import.progress')}
            text={t('import.progressText', { done: formatNumber(imp.done), total: formatNumber(imp.total) })}
          />
          <ul className="count-tiles" aria-label={t('import.counts')} data-testid="import-counts">
            {(['created', 'updated', 'unchanged', 'skipped', 'failed'] as const).map((k) => (
              <li key={k} className={`count-tile count-tile--${k}`} data-count={k}>
                <span className="count-tile-label">{t(`counts.${k}` as MessageKey)}</span>
                <span className="count-tile-value">{formatNumber(imp.counts[k])}</span>
              </li>
            ))}
          </ul>
          <div aria-live="polite" className="visually-hidden-live">
            {finished ? t('import.doneNotice') : ''}
          </div>
        </Stack>
      </Section>

      {finished && imp.counts.failed > 0 ? (
        <InformationPanel type="warning" title={t('import.failedNotice', { n: formatNumber(imp.counts.failed) })} data-testid="failed-notice" />
      ) : null}

      {actionError ? (
        <InformationPanel type="error" title={t('import.actionFailed', { detail: problemText(actionError) })} role="alert" />
      ) : null}

      <ActionDialog
        isOpen={confirmCancel && !finished}
        title={t('import.cancelTitle')}
        actionText={t('import.cancelAction')}
        actionTheme="danger"
        onClickAction={() => {
          if (!cancel.isPending) cancel.mutate();
        }}
        onClickClose={() => {
          if (!cancel.isPending) setConfirmCancel(false);
        }}
        responseStatus={cancel.isPending ? { status: 'processing' } : undefined}
      >
        <p data-testid="cancel-body">
          {t('import.cancelBody', { done: formatNumber(imp.done), total: formatNumber(imp.total) })}
        </p>
      </ActionDialog>

      <Cluster gap={1} align="center">
        {!finished && isAdmin ? (
          <Button variant="danger" onClick={() => setConfirmCancel(true)} loading={cancel.isPending} data-testid="cancel-import">
            {t('import.cancel')}
          </Button>
        ) : null}
        {hasFailed && retriedBy ? (
          <span className="retried-note" data-testid="retried-by">
            <ImportStatusBadge status={retriedBy.status} />{' '}
            <Link to={`/imports/${retriedBy.id}`}>
              {t('import.retriedBy', { time: formatDateTime(retriedBy.created_at) })}
            </Link>
          </span>
        ) : null}
        {hasFailed && isAdmin && !retriedBy && retries.isSuccess ? (
          <Button variant="primary" onClick={() => retry.mutate()} loading={retry.isPending} data-testid="retry-failed">
            {t('import.retry')}
          </Button>
        ) : null}
        <Button onClick={() => csv.mutate()} loading={csv.isPending} data-testid="download-csv">
          {t('import.csv')}
        </Button>
      </Cluster>

      <Section>
        <Stack gap={0.75}>
          <Heading>{t('import.results')}</Heading>
          <label className="inline-field">
            <span>{t('import.resultsFilter')}</span>
            <select
              value={statusFilter}
              onChange={(e) => setStatusFilter(e.currentTarget.value as '' | ResultStatus)}
              data-testid="results-filter"
            >
              <option value="">{t('filter.all')}</option>
              {RESULT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`result.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {results.isError ? <ErrorPanel error={results.error} onRetry={() => void results.refetch()} /> : null}
          <div className="table-wrap">
            <Table data-testid="results-table">
              <thead>
                <tr>
                  <Th>{t('import.col.number')}</Th>
                  <Th>{t('import.col.name')}</Th>
                  <Th>{t('import.col.action')}</Th>
                  <Th>{t('import.col.status')}</Th>
                  <Th>{t('import.col.detail')}</Th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={`${r.employee_number}#${i}`} data-employee-number={r.employee_number} data-status={r.status}>
                    <Td className="nowrap">{r.employee_number}</Td>
                    <Td>
                      <span className="cell-ellipsis" title={r.display_name}>
                        {r.display_name}
                      </span>
                    </Td>
                    <Td className="nowrap">{t(`import.action.${r.action}`)}</Td>
                    <Td className="nowrap">
                      <ResultStatusBadge status={r.status} />
                    </Td>
                    <Td>
                      {r.error ? (
                        <div className="result-error" data-testid="result-error">
                          <ErrorInfo error={r.error} />
                        </div>
                      ) : r.changed_fields.length > 0 ? (
                        r.changed_fields.map((f) => t(`field.${f}` as MessageKey)).join(listSep)
                      ) : (
                        '—'
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
          {results.isSuccess && rows.length === 0 ? <p>{t('import.noResults')}</p> : null}
          {results.hasNextPage ? (
            <div>
              <Button onClick={() => void results.fetchNextPage()} loading={results.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            </div>
          ) : null}
        </Stack>
      </Section>
    </Stack>
  );
}
