import type { DiffItem, DiffStatus, DiffSummary } from '../../api/types';

export type StatusFilter = 'all' | DiffStatus;
export const STATUS_ORDER: readonly DiffStatus[] = ['unchanged', 'changed', 'new', 'conflict'];

/** Conflicts cannot be imported safely, so they can never be selected. */
export const isSelectable = (item: Pick<DiffItem, 'status' | 'employee_number'>): boolean =>
  item.status !== 'conflict' && item.employee_number !== '';

/** Advisory warnings (e.g. similar_employee_number); tolerant of a server that omits the array. */
export const warningsOf = (item: Pick<DiffItem, 'warnings'>): DiffItem['warnings'] => item.warnings ?? [];
export const hasWarnings = (item: Pick<DiffItem, 'warnings'>): boolean => warningsOf(item).length > 0;

/**
 * Nothing is ticked when the list loads (issue 15): the administrator ticks the employees they want,
 * one by one or with the quick actions below. Kept as a function so that the rule has one name and a test.
 */
export function initialSelection(_items: readonly DiffItem[]): Set<string> {
  return new Set();
}

/** The statuses a quick action can tick: "all 差分あり" and "all 新規登録". */
export type QuickStatus = Extract<DiffStatus, 'changed' | 'new'>;
export const QUICK_STATUSES: readonly QuickStatus[] = ['changed', 'new'];

/**
 * The rows a quick action ticks: the selectable rows of `status` among those shown (the current filter
 * and search), without the rows that carry a warning: those are ticked one by one, on purpose.
 */
export function quickTargets(visible: readonly DiffItem[], status: QuickStatus): DiffItem[] {
  const out: DiffItem[] = [];
  for (const it of visible) if (it.status === status && isSelectable(it) && !hasWarnings(it)) out.push(it);
  return out;
}

/** Rows of `status` shown but left out of the quick action because they carry a warning. */
export function quickSkippedWarned(visible: readonly DiffItem[], status: QuickStatus): number {
  let n = 0;
  for (const it of visible) if (it.status === status && isSelectable(it) && hasWarnings(it)) n++;
  return n;
}

/** Adds a quick action's rows to the selection; everything already ticked stays ticked. */
export function selectQuick(selected: ReadonlySet<string>, visible: readonly DiffItem[], status: QuickStatus): Set<string> {
  const next = new Set(selected);
  for (const it of quickTargets(visible, status)) next.add(it.employee_number);
  return next;
}

/** Warned rows among the selectable rows shown (the select-all box says it includes them). */
export function countWarnedSelectable(visible: readonly DiffItem[]): number {
  let n = 0;
  for (const it of visible) if (isSelectable(it) && hasWarnings(it)) n++;
  return n;
}

/** What an import of the selection will do, for the confirmation. */
export type Breakdown = {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  retiring: number;
  warned: DiffItem[];
};

/** A changed row whose 在籍状況 becomes 退職 (a retirement written to the target). */
export function isRetiring(item: Pick<DiffItem, 'status' | 'fields'>): boolean {
  return (
    item.status !== 'conflict' &&
    item.fields.some((f) => f.name === 'employment_status' && (f.changed || item.status === 'new') && f.new === 'retired')
  );
}

export function breakdown(items: readonly DiffItem[], selected: ReadonlySet<string>): Breakdown {
  const b: Breakdown = { total: 0, created: 0, updated: 0, unchanged: 0, retiring: 0, warned: [] };
  const seen = new Set<string>();
  for (const it of items) {
    if (!isSelectable(it) || !selected.has(it.employee_number) || seen.has(it.employee_number)) continue;
    seen.add(it.employee_number);
    b.total++;
    if (it.status === 'new') b.created++;
    else if (it.status === 'changed') b.updated++;
    else b.unchanged++; // compared again at import time; written only if the target has moved since
    if (it.status === 'changed' && isRetiring(it)) b.retiring++;
    if (hasWarnings(it)) b.warned.push(it);
  }
  return b;
}

/** Above this many employees the confirmation asks for the count to be typed. */
export const TYPED_CONFIRM_ABOVE = 100;

export const needsTypedCount = (n: number): boolean => n > TYPED_CONFIRM_ABOVE;

/** Whether the typed text is the count (full-width digits, separators and spaces allowed). */
export function typedCountMatches(typed: string, n: number): boolean {
  const digits = typed.normalize('NFKC').replace(/[\s,，.．件人]/g, '');
  return /^[0-9]+$/.test(digits) && Number(digits) === n;
}

/** Folds width, case and spaces so that 「ﾔﾏﾀﾞ　太郎」, 「山田太郎」 and ＡＢＣ match as people expect. */
export function normalizeForSearch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

export function searchKey(item: Pick<DiffItem, 'employee_number' | 'display_name'>): string {
  return `${normalizeForSearch(item.employee_number)}\u0000${normalizeForSearch(item.display_name)}`;
}

/**
 * The rows shown for a status filter and a search text. `keys` (from searchKey) may be passed
 * precomputed, index-aligned with `items`, so that typing stays fast with 10,000 rows.
 */
export function filterItems(
  items: readonly DiffItem[],
  status: StatusFilter,
  query: string,
  keys?: readonly string[],
): DiffItem[] {
  const q = normalizeForSearch(query);
  if (status === 'all' && !q) return items as DiffItem[];
  const out: DiffItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (status !== 'all' && it.status !== status) continue;
    if (q && !(keys ? keys[i] : searchKey(it)).includes(q)) continue;
    out.push(it);
  }
  return out;
}

export type CheckState = 'none' | 'some' | 'all';

/** State of the "select all within the filter" box: over the selectable rows shown. */
export function visibleSelectionState(selected: ReadonlySet<string>, visible: readonly DiffItem[]): CheckState {
  let selectable = 0;
  let on = 0;
  for (const it of visible) {
    if (!isSelectable(it)) continue;
    selectable++;
    if (selected.has(it.employee_number)) on++;
  }
  if (selectable === 0 || on === 0) return 'none';
  return on === selectable ? 'all' : 'some';
}

export function countSelectable(visible: readonly DiffItem[]): number {
  let n = 0;
  for (const it of visible) if (isSelectable(it)) n++;
  return n;
}

/** Ticks (or unticks) every selectable row within the current filter; rows outside it keep their state. */
export function selectAllWithinFilter(selected: ReadonlySet<string>, visible: readonly DiffItem[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const it of visible) {
    if (!isSelectable(it)) continue;
    if (on) next.add(it.employee_number);
    else next.delete(it.employee_number);
  }
  return next;
}

export function toggleOne(selected: ReadonlySet<string>, item: DiffItem, on?: boolean): Set<string> {
  if (!isSelectable(item)) return selected as Set<string>;
  const next = new Set(selected);
  const want = on ?? !next.has(item.employee_number);
  if (want) next.add(item.employee_number);
  else next.delete(item.employee_number);
  return next;
}

/** The selection that can still be imported (ignores numbers that are no longer selectable). */
export function selectedEmployees(items: readonly DiffItem[], selected: ReadonlySet<string>) {
  const out: { employee_number: string; fingerprint: string }[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if (!isSelectable(it) || !selected.has(it.employee_number) || seen.has(it.employee_number)) continue;
    seen.add(it.employee_number);
    out.push({ employee_number: it.employee_number, fingerprint: it.fingerprint });
  }
  return out;
}

/** The selected rows that carry a warning, in list order, for the import confirmation. */
export function selectedWarned(items: readonly DiffItem[], selected: ReadonlySet<string>): DiffItem[] {
  const out: DiffItem[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if (!isSelectable(it) || !hasWarnings(it) || !selected.has(it.employee_number) || seen.has(it.employee_number)) continue;
    seen.add(it.employee_number);
    out.push(it);
  }
  return out;
}

export function summaryCount(summary: DiffSummary, f: StatusFilter): number {
  return f === 'all' ? summary.total : summary[f];
}
