import { FormControl, Input } from 'smarthr-ui';
import type { DiffSummary } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { DIFF_STATUS_LABEL } from '../../i18n/labels';
import { STATUS_ORDER, summaryCount, type StatusFilter } from './selection';

/** The selection page's filter area: the status filter with the summary's counts, and the search. */
export function SelectionToolbar({
  summary,
  statusFilter,
  onStatusFilter,
  query,
  onQuery,
}: {
  summary: DiffSummary;
  statusFilter: StatusFilter;
  onStatusFilter: (f: StatusFilter) => void;
  query: string;
  onQuery: (q: string) => void;
}) {
  const { t, formatNumber } = useI18n();
  return (
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
              onChange={() => onStatusFilter(f)}
            />
            <span className="segmented-text">{f === 'all' ? t('filter.all') : t(DIFF_STATUS_LABEL[f])}</span>
            <span className="segmented-count" data-testid={`summary-${f}`}>
              {formatNumber(summaryCount(summary, f))}
            </span>
          </label>
        ))}
      </fieldset>
      <div className="selection-search">
        <FormControl label={{ text: t('selection.search'), unrecommendedHide: true }}>
          <Input
            type="search"
            value={query}
            onChange={(e) => onQuery(e.currentTarget.value)}
            width="100%"
            placeholder={t('selection.searchPlaceholder')}
            title={t('selection.searchHelp')}
            data-testid="diff-search"
          />
        </FormControl>
      </div>
    </div>
  );
}
