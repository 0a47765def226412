import { useState } from 'react';
import { ActionDialog } from 'smarthr-ui';
import { Link, useParams } from 'react-router';
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
import { WaitingNotice } from '../../components/WaitingNotice';
import { PageHeading } from '../../components/PageHeading';
import { useIsAdmin } from '../../api/me';
import { isTerminal, type ImportResult, type ResultStatus } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { ImportStatusBadge, ResultStatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/i18n';
import { FIELD_LABEL, RESULT_STATUS_LABEL } from '../../i18n/labels';
import { ErrorInfo } from '../../components/ErrorInfo';
import {
  RESULT_STATUSES,
  useCancelImport,
  useDownloadCsv,
  useImportProgress,
  useImportResults,
  useRetriesOf,
  useRetryImport,
} from './queries';

export function ImportPage() {
  const { id = '' } = useParams();
  return <ImportView key={id} id={id} />;
}

function ImportView({ id }: { id: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const isAdmin = useIsAdmin();
  const { query, finished } = useImportProgress(id);
  const imp = query.data;
  const [statusFilter, setStatusFilter] = useState<'' | ResultStatus>('');

  const results = useImportResults(id, statusFilter, { enabled: !!imp, finished });

  const retry = useRetryImport(id);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancel = useCancelImport(id, () => setConfirmCancel(false));
  const hasFailed = !!imp && isTerminal(imp.status) && imp.counts.failed > 0;
  const retries = useRetriesOf(id, imp, hasFailed);
  const retriedBy = retries.data?.[0];
  const csv = useDownloadCsv(id);

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

      {imp.waiting && imp.status === 'running' ? (
        <InformationPanel type="warning" title={t('import.statusLabel')} data-testid="waiting-panel">
          <WaitingNotice imp={imp} />
        </InformationPanel>
      ) : null}

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
                <span className="count-tile-label">{t(`counts.${k}`)}</span>
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
                  {t(RESULT_STATUS_LABEL[s])}
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
                        r.changed_fields.map((f) => t(FIELD_LABEL[f])).join(listSep)
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
