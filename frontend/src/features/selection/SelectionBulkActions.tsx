import { useMemo } from 'react';
import { Button, Checkbox, Cluster } from 'smarthr-ui';
import type { DiffItem } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import {
  countSelectable,
  countWarnedSelectable,
  QUICK_STATUSES,
  quickSkippedWarned,
  quickTargets,
  visibleSelectionState,
  type QuickStatus,
} from './selection';

/**
 * The selection page's bulk actions over the rows shown: select all within the filter (saying when
 * warned rows are included), the quick actions (all 差分あり / all 新規登録, warned rows left out) and
 * [選択を解除].
 */
export function SelectionBulkActions({
  visible,
  selected,
  disabled,
  onToggleAll,
  onQuick,
  onClear,
}: {
  visible: readonly DiffItem[];
  selected: ReadonlySet<string>;
  disabled: boolean;
  onToggleAll: (on: boolean) => void;
  onQuick: (status: QuickStatus) => void;
  onClear: () => void;
}) {
  const { t, formatNumber } = useI18n();
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
  const selectedCount = selected.size;
  return (
    <Cluster gap={0.5} align="center" justify="space-between" className="selection-meta">
      <Checkbox
        checked={visState !== 'none'}
        mixed={visState === 'some'}
        disabled={selectableVisible === 0 || disabled}
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
            disabled={q.n === 0 || disabled}
            onClick={() => onQuick(q.status)}
            data-testid={`quick-${q.status}`}
            title={q.warned > 0 ? t('selection.quickWarnedLeftOut', { w: formatNumber(q.warned) }) : undefined}
          >
            {t(`selection.quick.${q.status}`, { n: formatNumber(q.n) })}
          </Button>
        ))}
        <Button size="s" variant="text" disabled={selectedCount === 0 || disabled} onClick={onClear} data-testid="clear-selection">
          {t('selection.clear')}
        </Button>
      </Cluster>
    </Cluster>
  );
}
