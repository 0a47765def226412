import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { DiffItem } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { DiffRow } from './DiffRow';
import { warningsOf } from './selection';

/**
 * The selection page's list: a column head and the one scroll container of the page, virtualised
 * (`@tanstack/react-virtual`, dynamic row heights). It scrolls back to the top when `scrollKey`
 * (the filter and the search) changes.
 */
export function DiffList({
  visible,
  selected,
  disabled,
  onToggle,
  scrollKey,
}: {
  visible: readonly DiffItem[];
  selected: ReadonlySet<string>;
  disabled: boolean;
  onToggle: (item: DiffItem, on: boolean) => void;
  scrollKey: string;
}) {
  const { t } = useI18n();
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
  }, [scrollKey]);

  return (
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
                  disabled={disabled}
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
  );
}
