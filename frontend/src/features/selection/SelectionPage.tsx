import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  ActionDialog,
  Button,
  Checkbox,
  Cluster,
  FormControl,
  InformationPanel,
  Input,
  Loader,
  Stack,
  Table,
  Td,
  Th,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { newIdempotencyKey } from '../../api/client';
import { useIsAdmin } from '../../api/me';
import { isDirection, type DiffItem, type Direction } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { useI18n } from '../../i18n/i18n';
import { DiffRow, warningTitle } from './DiffRow';
import { VisibleText } from './Invisible';
import {
  breakdown,
  countSelectable,
  countWarnedSelectable,
  filterItems,
  hasWarnings,
  initialSelection,
  needsTypedCount,
  QUICK_STATUSES,
  quickSkippedWarned,
  quickTargets,
  searchKey,
  selectAllWithinFilter,
  selectedEmployees,
  selectQuick,
  STATUS_ORDER,
  typedCountMatches,
  type Breakdown,
  type QuickStatus,
  summaryCount,
  toggleOne,
  visibleSelectionState,
  warningsOf,
  type StatusFilter,
} from './selection';
import { useAllDiffs, useCreateImport, type AllDiffs } from './queries';

/** Whole seconds since `running` became true (0 when not running): an honest indicator while the server fetches. */
function useElapsedSeconds(running: boolean): number {
  const [start, setStart] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  if (running && start === null) setStart(Date.now());
  if (!running && start !== null) setStart(null);
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [running]);
  return start === null ? 0 : Math.max(0, Math.floor(((now || start) - start) / 1000));
}

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
  const { t, formatDateTime, formatNumber } = useI18n();
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
  const visState = useMemo(() => visibleSelectionState(selected, visible), [selected, visible]);
  const selectableVisible = useMemo(() => countSelectable(visible), [visible]);
  const warnedVisible = useMemo(() => countWarnedSelectable(visible), [visible]);
  const quick = useMemo(
    () =>
      QUICK_STATUSES.map((status) => ({
        status,
        n: quickTargets(visible, status).length,
        warned: quickSkippedWarned(visible, status),
      })),
    [visible],
  );
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

  // --- virtual list
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => {
      const it = visible[i];
      if (!it) return 56;
      const warn = warningsOf(it).length * 26;
      if (it.status === 'new') return 56 + warn + Math.ceil(it.fields.length / 3) * 26;
      if (it.status === 'changed') return 56 + warn + Math.ceil(it.fields.filter((f) => f.changed).length / 2) * 22;
      return 56 + warn;
    },
    overscan: 8,
    getItemKey: (i) => `${visible[i]?.employee_number}#${i}`,
  });
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [statusFilter, deferredQuery]);

  // --- import
  const [dialogOpen, setDialogOpen] = useState(false);
  const keyRef = useRef<string>('');
  const employeesRef = useRef<{ employee_number: string; fingerprint: string }[]>([]);
  // what the import will do (新規登録, 更新, 退職, warned employees), shown in the confirmation
  const [plan, setPlan] = useState<Breakdown>(() => breakdown([], new Set()));
  const [typed, setTyped] = useState('');
  const typedNeeded = needsTypedCount(plan.total);
  const typedOk = !typedNeeded || typedCountMatches(typed, plan.total);
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
        <InformationPanel
          type="warning"
          title={t('selection.warnedTitle', { n: formatNumber(warnedCount) })}
          data-testid="warned-notice"
        >
          <p>{t('selection.warnedBody')}</p>
        </InformationPanel>
      ) : null}

      {data ? (
        <>
          <div className="selection-toolbar">
            <fieldset className="segmented" data-testid="status-filter">
              <legend className="visually-hidden">{t('selection.filter')}</legend>
              {(['all', ...STATUS_ORDER] as StatusFilter[]).map((f) => (
                <label key={f} className={`segmented-item${statusFilter === f ? ' is-active' : ''}`} data-filter={f}>
                  <input
                    type="radio"
                    name="status-filter"
                    value={f}
                    checked={statusFilter === f}
                    onChange={() => setStatusFilter(f)}
                  />
                  <span className="segmented-text">{f === 'all' ? t('filter.all') : t(`status.${f}`)}</span>
                  <span className="segmented-count" data-testid={`summary-${f}`}>
                    {formatNumber(summaryCount(data.summary, f))}
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="selection-search">
              <FormControl label={{ text: t('selection.search'), unrecommendedHide: true }}>
                <Input
                  type="search"
                  value={query}
                  onChange={(e) => setQuery(e.currentTarget.value)}
                  width="100%"
                  placeholder={t('selection.searchPlaceholder')}
                  title={t('selection.searchHelp')}
                  data-testid="diff-search"
                />
              </FormControl>
            </div>
          </div>

          <Cluster gap={0.5} align="center" justify="space-between" className="selection-meta">
            <Checkbox
              checked={visState !== 'none'}
              mixed={visState === 'some'}
              disabled={selectableVisible === 0 || !isAdmin}
              // from "some", a click ticks everything shown; from "all", it clears them
              onChange={() => onToggleAll(visState !== 'all')}
              data-testid="select-all-in-filter"
            >
              {warnedVisible > 0
                ? t('selection.selectAllInFilterWarned', { n: formatNumber(selectableVisible), w: formatNumber(warnedVisible) })
                : t('selection.selectAllInFilter', { n: formatNumber(selectableVisible) })}
            </Checkbox>
            <Cluster gap={0.5} align="center" className="quick-actions" data-testid="quick-actions">
              {quick.map((q) => (
                <Button
                  key={q.status}
                  size="s"
                  disabled={q.n === 0 || !isAdmin}
                  onClick={() => onQuick(q.status)}
                  data-testid={`quick-${q.status}`}
                  title={q.warned > 0 ? t('selection.quickWarnedLeftOut', { w: formatNumber(q.warned) }) : undefined}
                >
                  {t(`selection.quick.${q.status}`, { n: formatNumber(q.n) })}
                </Button>
              ))}
              <Button size="s" variant="text" disabled={selectedCount === 0 || !isAdmin} onClick={onClear} data-testid="clear-selection">
                {t('selection.clear')}
              </Button>
            </Cluster>
          </Cluster>

          <div className="diff-table">
            <div className="diff-head" aria-hidden="true">
              <span className="diff-cell diff-cell--check">{t('selection.col.select')}</span>
              <span className="diff-cell diff-cell--number">{t('selection.col.number')}</span>
              <span className="diff-cell diff-cell--name">{t('selection.col.name')}</span>
              <span className="diff-cell diff-cell--status">{t('selection.col.status')}</span>
              <span className="diff-cell diff-cell--details">
                {t('selection.col.details')}
                <span className="diff-legend">
                  <span className="diff-legend-old">{t('selection.legend.old')}</span>
                  <span className="diff-legend-new">{t('selection.legend.new')}</span>
                </span>
              </span>
            </div>
            <div ref={scrollRef} className="diff-scroll" data-testid="diff-scroll" tabIndex={-1}>
              {visible.length === 0 ? (
                <p className="diff-empty">{t('selection.noneMatch')}</p>
              ) : (
                <ul
                  className="diff-list"
                  aria-label={t('selection.list')}
                  data-testid="diff-list"
                  style={{ height: virtualizer.getTotalSize() }}
                >
                  {virtualizer.getVirtualItems().map((v) => {
                    const item = visible[v.index];
                    return (
                      <DiffRow
                        key={v.key}
                        item={item}
                        index={v.index}
                        setSize={visible.length}
                        selected={selected.has(item.employee_number)}
                        disabled={!isAdmin}
                        onToggle={onToggle}
                        measureRef={virtualizer.measureElement}
                        style={{ transform: `translateY(${v.start}px)` }}
                      />
                    );
                  })}
                </ul>
              )}
            </div>
          </div>

          <div className="action-bar">
              <Cluster gap={0.75} align="center" className="action-bar-info">
              <span className="muted" data-testid="shown-count">
                {t('selection.shownCount', { shown: formatNumber(visible.length) })}
              </span>
              <span className="muted">{t('selection.generatedAt', { time: formatDateTime(data.generated_at) })}</span>
              <Button size="s" onClick={() => setGeneration((g) => g + 1)} loading={refreshing} data-testid="refresh">
                {t('selection.refresh')}
              </Button>
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

          <ActionDialog
            isOpen={dialogOpen}
            title={t('confirm.title')}
            actionText={t('confirm.action')}
            actionTheme="primary"
            actionDisabled={!typedOk}
            onClickAction={() => {
              if (!create.isPending && typedOk) create.mutate();
            }}
            onClickClose={() => {
              if (!create.isPending) setDialogOpen(false);
            }}
            responseStatus={
              create.isPending
                ? { status: 'processing' }
                : create.isError
                  ? { status: 'error', text: t('confirm.failed', { detail: problemText(create.error) }) }
                  : undefined
            }
          >
            <Stack gap={0.75}>
              <p data-testid="confirm-body">
                {t('confirm.body', { n: formatNumber(employeesRef.current.length), target })}
              </p>
              <ConfirmBreakdown plan={plan} />
              <p>{t('confirm.note')}</p>
              {plan.warned.length > 0 ? <ConfirmWarned items={plan.warned} /> : null}
              {typedNeeded ? (
                <FormControl
                  label={t('confirm.typeCount', { n: formatNumber(plan.total) })}
                  helpMessage={t('confirm.typeCountHelp')}
                  errorMessages={typed && !typedOk ? t('confirm.typeCountMismatch') : undefined}
                >
                  <Input
                    value={typed}
                    inputMode="numeric"
                    autoComplete="off"
                    onChange={(e) => setTyped(e.currentTarget.value)}
                    data-testid="confirm-typed-count"
                  />
                </FormControl>
              ) : null}
            </Stack>
          </ActionDialog>
        </>
      ) : null}
    </div>
  );
}

/** What the import will do: 新規登録 N, 更新 M (of which 在籍状況 → 退職 K), 差分なし, warned employees. */
function ConfirmBreakdown({ plan }: { plan: Breakdown }) {
  const { t, formatNumber } = useI18n();
  const rows: [string, number, string][] = [
    [t('confirm.breakdown.created'), plan.created, 'created'],
    [t('confirm.breakdown.updated'), plan.updated, 'updated'],
  ];
  return (
    <dl className="confirm-breakdown" data-testid="confirm-breakdown">
      {rows.map(([label, n, key]) => (
        <div key={key} data-kind={key}>
          <dt>{label}</dt>
          <dd>{t('common.count', { n: formatNumber(n) })}</dd>
        </div>
      ))}
      {plan.retiring > 0 ? (
        <div data-kind="retiring" className="confirm-breakdown-sub">
          <dt>{t('confirm.breakdown.retiring')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.retiring) })}</dd>
        </div>
      ) : null}
      {plan.unchanged > 0 ? (
        <div data-kind="unchanged">
          <dt>{t('status.unchanged')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.unchanged) })}</dd>
        </div>
      ) : null}
      {plan.warned.length > 0 ? (
        <div data-kind="warned">
          <dt>{t('confirm.breakdown.warned')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.warned.length) })}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The warned employees in the confirmation: 社員番号, name and each warning, before the import starts. */
function ConfirmWarned({ items }: { items: readonly DiffItem[] }) {
  const { t, formatNumber } = useI18n();
  return (
    <InformationPanel
      type="warning"
      title={t('confirm.warnedTitle', { n: formatNumber(items.length) })}
      data-testid="confirm-warned"
    >
      <Stack gap={0.5}>
        <p>{t('confirm.warnedBody')}</p>
        <div className="confirm-warned-scroll" role="region" aria-label={t('confirm.warnedList')} tabIndex={0}>
          <Table>
            <thead>
              <tr>
                <Th>{t('selection.col.number')}</Th>
                <Th>{t('selection.col.name')}</Th>
                <Th>{t('confirm.col.warning')}</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.employee_number} data-employee-number={it.employee_number}>
                  <Td>{it.employee_number}</Td>
                  <Td>
                    <VisibleText text={it.display_name || t('common.blank')} />
                  </Td>
                  <Td>
                    <ul className="confirm-warned-messages">
                      {warningsOf(it).map((w, i) => (
                        <li key={i}>
                          {w.message ? <VisibleText text={w.message} /> : warningTitle(t, w.code)}
                        </li>
                      ))}
                    </ul>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      </Stack>
    </InformationPanel>
  );
}
