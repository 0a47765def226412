import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Cluster, InformationPanel, Loader, ResponseMessage, Stack } from 'smarthr-ui';
import { newIdempotencyKey } from '../../api/client';
import { useIsAdmin } from '../../api/me';
import { isDirection, type DiffItem, type Direction } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatClock } from '../../components/WaitingNotice';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/i18n';
import { ConfirmImportDialog } from './ConfirmImportDialog';
import { DiffList } from './DiffList';
import { useAllDiffs, useCreateImport, type AllDiffs } from './queries';
import {
  breakdown,
  filterItems,
  hasWarnings,
  initialSelection,
  searchKey,
  selectAllWithinFilter,
  selectedEmployees,
  selectQuick,
  toggleOne,
  type Breakdown,
  type QuickStatus,
  type StatusFilter,
} from './selection';
import { SelectionBulkActions } from './SelectionBulkActions';
import { SelectionToolbar } from './SelectionToolbar';
import { useElapsedSeconds } from './useElapsedSeconds';

export function SelectionPage() {
  const { direction } = useParams();
  const { t } = useI18n();
  if (!isDirection(direction)) {
    return (
      <Stack gap={1} className="page">
        <PageHeading>{t('integration.title')}</PageHeading>
        <InformationPanel type="error" title={t('selection.badDirection')}>
          <Link to="/integrations/jobkan">{t('integration.title')}</Link>
        </InformationPanel>
      </Stack>
    );
  }
  return <Selection key={direction} direction={direction} />;
}

type SelState = { source: AllDiffs | undefined; set: Set<string> };

function Selection({ direction }: { direction: Direction }) {
  const { t, formatDateTime, formatNumber, lang } = useI18n();
  const isAdmin = useIsAdmin();
  const [generation, setGeneration] = useState(0);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);

  const diffs = useAllDiffs(direction, generation, setProgress);
  // the last list that loaded stays visible (marked as old) when a reload fails
  const [lastGood, setLastGood] = useState<AllDiffs | undefined>(undefined);
  if (diffs.data && !diffs.isPlaceholderData && lastGood !== diffs.data) setLastGood(diffs.data);
  const data = diffs.data ?? (diffs.isError ? lastGood : undefined);
  const stale = diffs.isError && !!data;
  const elapsed = useElapsedSeconds(diffs.isFetching);
  const items = useMemo(() => data?.items ?? [], [data]);

  // Selection is a Set of employee numbers; nothing is ticked when (new) data arrives.
  const [sel, setSel] = useState<SelState>({ source: undefined, set: new Set() });
  if (data && sel.source !== data) setSel({ source: data, set: initialSelection(data.items) });
  const selected = sel.set;
  const selectedCount = selected.size;

  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const keys = useMemo(() => items.map(searchKey), [items]);
  const visible = useMemo(() => filterItems(items, statusFilter, deferredQuery, keys), [items, statusFilter, deferredQuery, keys]);
  const warnedCount = useMemo(() => items.reduce((n, it) => (hasWarnings(it) ? n + 1 : n), 0), [items]);

  const onToggle = useCallback((item: DiffItem, on: boolean) => {
    setSel((s) => ({ ...s, set: toggleOne(s.set, item, on) }));
  }, []);
  const onToggleAll = useCallback(
    (on: boolean) => setSel((s) => ({ ...s, set: selectAllWithinFilter(s.set, visible, on) })),
    [visible],
  );
  const onQuick = useCallback(
    (status: QuickStatus) => setSel((s) => ({ ...s, set: selectQuick(s.set, visible, status) })),
    [visible],
  );
  const onClear = useCallback(() => setSel((s) => ({ ...s, set: new Set() })), []);

  useEffect(() => {
    if (data) performance.mark('hrbridge:diffs-rendered');
  }, [data]);

  // --- import
  const [dialogOpen, setDialogOpen] = useState(false);
  const keyRef = useRef<string>('');
  const employeesRef = useRef<{ employee_number: string; fingerprint: string }[]>([]);
  // what the import will do (新規登録, 更新, 退職, warned employees), shown in the confirmation
  const [plan, setPlan] = useState<Breakdown>(() => breakdown([], new Set()));
  const [typed, setTyped] = useState('');
  const create = useCreateImport(
    direction,
    () => ({ idempotencyKey: keyRef.current, employees: employeesRef.current }),
    () => setDialogOpen(false),
  );

  const openDialog = () => {
    employeesRef.current = selectedEmployees(items, selected);
    setPlan(breakdown(items, selected));
    setTyped('');
    // one key per confirmation: a double click (or a retry after a network error) reuses it
    keyRef.current = newIdempotencyKey();
    create.reset();
    setDialogOpen(true);
  };

  const target = t(`target.${direction}`);
  const loadingFirst = !data && diffs.isPending;
  const refreshing = diffs.isFetching && !!data;

  return (
    <div className="page page--selection">
      <div className="page-titlebar">
        <PageHeading>{t(`integration.${direction}`)}</PageHeading>
        <p className="page-lead">{t('selection.lead')}</p>
      </div>
      {!isAdmin ? (
        <InformationPanel type="warning" title={t('selection.viewerNote')}>
          <p>{t('integration.viewerNote')}</p>
        </InformationPanel>
      ) : null}

      {diffs.isError ? <ErrorPanel error={diffs.error} onRetry={() => void diffs.refetch()} /> : null}
      {stale ? (
        <p className="stale-note" data-testid="diff-stale">
          {t('selection.staleList', { time: formatDateTime(data!.generated_at) })}
        </p>
      ) : null}

      {loadingFirst || refreshing ? (
        <div role="status" className="loading-line" data-testid="diff-loading">
          <Loader size="s" alt="" />
          <span>
            {progress
              ? t('selection.loading', { loaded: formatNumber(progress.loaded), total: formatNumber(progress.total) })
              : t('selection.loadingStart')}
          </span>
          <span className="muted" data-testid="diff-elapsed">
            {t('selection.elapsed', { s: formatNumber(elapsed) })}
          </span>
        </div>
      ) : null}

      {data && warnedCount > 0 ? (
        // one line, not a panel: the list keeps its rows on a laptop screen
        <p className="warned-notice" data-testid="warned-notice" role="status">
          <ResponseMessage type="warning" size="S">
            {t('selection.warnedTitle', { n: formatNumber(warnedCount) })}
          </ResponseMessage>
          <span className="muted">{t('selection.warnedBody')}</span>
        </p>
      ) : null}

      {data ? (
        <>
          <SelectionToolbar
            summary={data.summary}
            statusFilter={statusFilter}
            onStatusFilter={setStatusFilter}
            query={query}
            onQuery={setQuery}
          />

          <SelectionBulkActions
            visible={visible}
            selected={selected}
            disabled={!isAdmin}
            onToggleAll={onToggleAll}
            onQuick={onQuick}
            onClear={onClear}
          />

          <DiffList
            visible={visible}
            selected={selected}
            disabled={!isAdmin}
            onToggle={onToggle}
            scrollKey={`${statusFilter}\u0000${deferredQuery}`}
          />

          <div className="action-bar">
              <Cluster gap={0.75} align="center" className="action-bar-info">
              <span className="muted" data-testid="shown-count">
                {t('selection.shownCount', { shown: formatNumber(visible.length) })}
              </span>
              <span className="muted">{t('selection.generatedAt', { time: formatDateTime(data.generated_at) })}</span>
              {/* a refresh re-lists both systems: only for those who may import */}
              {isAdmin ? (
                <Button size="s" onClick={() => setGeneration((g) => g + 1)} loading={refreshing} data-testid="refresh">
                  {t('selection.refresh')}
                </Button>
              ) : null}
              {data.refresh && data.refresh.outcome !== 'fresh' && !refreshing ? (
                <span className="muted" role="status" data-testid="refresh-outcome" data-outcome={data.refresh.outcome}>
                  {data.refresh.outcome === 'coalesced'
                    ? t('selection.refreshCoalesced')
                    : t('selection.refreshLimited', { time: data.refresh.at ? formatClock(data.refresh.at, lang) : '' })}
                </span>
              ) : null}
            </Cluster>
            <span className="action-bar-count" data-testid="selected-count" aria-live="polite">
              {t('selection.selectedCount', { n: formatNumber(selectedCount) })}
            </span>
            <Button
              variant="primary"
              disabled={selectedCount === 0 || !isAdmin}
              onClick={openDialog}
              data-testid="import-button"
            >
              {t('selection.import', { n: formatNumber(selectedCount) })}
            </Button>
          </div>

          <ConfirmImportDialog
            isOpen={dialogOpen}
            count={employeesRef.current.length}
            target={target}
            plan={plan}
            typed={typed}
            onTyped={setTyped}
            pending={create.isPending}
            error={create.isError ? create.error : undefined}
            onConfirm={() => create.mutate()}
            onClose={() => setDialogOpen(false)}
          />
        </>
      ) : null}
    </div>
  );
}
