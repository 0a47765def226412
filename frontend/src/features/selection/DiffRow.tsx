import { memo, type CSSProperties } from 'react';
import { Checkbox, ResponseMessage, VisuallyHiddenText } from 'smarthr-ui';
import type { DiffItem, FieldDiff } from '../../api/types';
import { DiffStatusBadge } from '../../components/StatusBadge';
import { useI18n, type MessageKey, type T } from '../../i18n/i18n';
import { CONFLICT_REASON_LABEL, FIELD_LABEL, labelOf, WARNING_LABEL } from '../../i18n/labels';
import { stripInvisible, VisibleText } from './Invisible';
import { isSelectable, warningsOf } from './selection';

export function fieldLabel(t: T, f: Pick<FieldDiff, 'name' | 'label'>): string {
  const key = labelOf(FIELD_LABEL, f.name);
  return key ? t(key) : f.label;
}

/** The warning's title in the current language; the server's message (Japanese) gives the details. */
export function warningTitle(t: T, code: string): string {
  return t(labelOf(WARNING_LABEL, code) ?? 'warning.unknown');
}

/** A row's warnings: icon, title and the server's message; `id` lets the checkbox point at them. */
export function DiffWarnings({ item, id }: { item: Pick<DiffItem, 'warnings'>; id?: string }) {
  const { t, lang } = useI18n();
  const warnings = warningsOf(item);
  if (warnings.length === 0) return null;
  const colon = lang === 'ja' ? '：' : ': ';
  return (
    <ul id={id} className="diff-warnings" data-testid="diff-warnings">
      {warnings.map((w, i) => (
        <li key={i} className="diff-warning" data-code={w.code}>
          <ResponseMessage type="warning" size="S">
            {/* one inline run, so that the title and the message wrap as one sentence */}
            <span>
              <span className="diff-warning-title">{warningTitle(t, w.code)}</span>
              {w.message ? (
                <>
                  {colon}
                  <VisibleText text={w.message} />
                </>
              ) : null}
            </span>
          </ResponseMessage>
        </li>
      ))}
    </ul>
  );
}

export function reasonText(t: T, reason: DiffItem['reason']): string {
  return t(labelOf(CONFLICT_REASON_LABEL, reason) ?? 'reason.unknown');
}

/** 在籍状況 codes as the providers' normalised values (a string in the contract, not an enum). */
const EMPLOYMENT_STATUS_LABEL: Record<'employed' | 'absent' | 'retired', MessageKey> = {
  employed: 'empStatus.employed',
  absent: 'empStatus.absent',
  retired: 'empStatus.retired',
};
const DATE_FIELDS = new Set<FieldDiff['name']>(['hired_on', 'birth_date']);

/** A value as the administrator reads it: 在籍状況 codes in words, dates in the language's form, blanks said. */
export function displayValue(
  t: T,
  field: FieldDiff['name'],
  v: string | null | undefined,
  fmtDate: (d: string) => string = (d) => d,
): string {
  if (v === null || v === undefined || v === '') return t('common.blank');
  const status = field === 'employment_status' ? labelOf(EMPLOYMENT_STATUS_LABEL, v) : undefined;
  if (status) return t(status);
  if (DATE_FIELDS.has(field)) return fmtDate(v);
  return v;
}

function Value({ f, v }: { f: FieldDiff['name']; v: string | null | undefined }) {
  const { t, formatDate } = useI18n();
  return <VisibleText text={displayValue(t, f, v, formatDate)} />;
}

/** What the row will change: old values struck through in red, new values in green. */
export function FieldChanges({ item }: { item: DiffItem }) {
  const { t, lang } = useI18n();
  const colon = lang === 'ja' ? '：' : ': ';
  if (item.status === 'conflict') {
    return null;
  }
  if (item.status === 'new') {
    return (
      <ul className="diff-fields" aria-label={t('diff.created')}>
        {item.fields.map((f) => (
          <li key={f.name} className="diff-field" data-field={f.name}>
            <span className="diff-field-label">{fieldLabel(t, f)}</span>
            <ins className="diff-new">
              <VisuallyHiddenText>{t('diff.created')}{colon}</VisuallyHiddenText>
              <Value f={f.name} v={f.new} />
            </ins>
          </li>
        ))}
      </ul>
    );
  }
  const changed = item.fields.filter((f) => f.changed);
  if (changed.length === 0) {
    return <span className="diff-none">{t('diff.noChanges')}</span>;
  }
  return (
    <ul className="diff-fields">
      {changed.map((f) => (
        <li key={f.name} className="diff-field" data-field={f.name}>
          <span className="diff-field-label">{fieldLabel(t, f)}</span>
          <del className="diff-old">
            <VisuallyHiddenText>{t('diff.before')}{colon}</VisuallyHiddenText>
            <Value f={f.name} v={f.old} />
          </del>
          <span className="diff-arrow" aria-hidden="true">
            →
          </span>
          <ins className="diff-new">
            <VisuallyHiddenText>{t('diff.after')}{colon}</VisuallyHiddenText>
            <Value f={f.name} v={f.new} />
          </ins>
        </li>
      ))}
    </ul>
  );
}

export type DiffRowProps = {
  item: DiffItem;
  selected: boolean;
  disabled?: boolean;
  onToggle: (item: DiffItem, on: boolean) => void;
  /** virtualisation: index, count and absolute position */
  index?: number;
  setSize?: number;
  style?: CSSProperties;
  measureRef?: (el: HTMLElement | null) => void;
};

export const DiffRow = memo(function DiffRow({
  item,
  selected,
  disabled,
  onToggle,
  index,
  setSize,
  style,
  measureRef,
}: DiffRowProps) {
  const { t, lang } = useI18n();
  const selectable = isSelectable(item);
  const reasonId = `reason-${index ?? 0}-${item.employee_number}`;
  const warningsId = `warnings-${index ?? 0}-${item.employee_number}`;
  const warned = warningsOf(item).length > 0;
  const name = item.display_name || t('common.blank');
  return (
    <li
      ref={measureRef}
      className={`diff-row diff-row--${item.status}${warned ? ' diff-row--warned' : ''}${selected ? ' is-selected' : ''}`}
      data-index={index}
      data-employee-number={item.employee_number}
      data-status={item.status}
      data-warned={warned || undefined}
      aria-setsize={setSize}
      aria-posinset={index === undefined ? undefined : index + 1}
      style={style}
    >
      <span className="diff-cell diff-cell--check">
        <Checkbox
          checked={selectable && selected}
          disabled={!selectable || disabled}
          aria-label={t('selection.checkboxLabel', { name: stripInvisible(name) || t('common.blank'), number: item.employee_number || t('common.blank') })}
          aria-describedby={!selectable ? reasonId : warned ? warningsId : undefined}
          onChange={(e) => onToggle(item, e.currentTarget.checked)}
        />
      </span>
      <span className="diff-cell diff-cell--number" title={item.employee_number || undefined}>
        {item.employee_number || t('common.blank')}
      </span>
      <span className="diff-cell diff-cell--name" title={stripInvisible(name)}>
        <VisibleText text={name} />
      </span>
      <span className="diff-cell diff-cell--status">
        <DiffStatusBadge status={item.status} />
      </span>
      <span className="diff-cell diff-cell--details">
        <DiffWarnings item={item} id={warningsId} />
        {item.status === 'conflict' ? (
          <span id={reasonId} className="diff-reason">
            {reasonText(t, item.reason)}
            {item.reason_detail ? <span className="diff-reason-detail">{lang === 'ja' ? `（${item.reason_detail}）` : ` (${item.reason_detail})`}</span> : null}
          </span>
        ) : (
          <FieldChanges item={item} />
        )}
      </span>
    </li>
  );
});
