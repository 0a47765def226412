import type { DiffItem, DiffStatus, DiffSummary } from '../api/types';

export type StatusFilter = 'all' | DiffStatus;
export const STATUS_ORDER: readonly DiffStatus[] = ['unchanged', 'changed', 'new', 'conflict'];

/** Conflicts cannot be imported safely, so they can never be selected. */
export const isSelectable = (item: Pick<DiffItem, 'status' | 'employee_number'>): boolean =>
  item.status !== 'conflict' && item.employee_number !== '';

/** Advisory warnings (e.g. similar_employee_number); tolerant of a server that omits the array. */
export const warningsOf = (item: Pick<DiffItem, 'warnings'>): DiffItem['warnings'] => item.warnings ?? [];
export const hasWarnings = (item: Pick<DiffItem, 'warnings'>): boolean => warningsOf(item).length > 0;

/**
 * New and changed employees are ticked when the list loads, as in the original, except those with a
 * warning: the administrator has to look at them and tick them on purpose (they stay selectable).
 */
export const isPreselected = (item: Pick<DiffItem, 'status' | 'employee_number' | 'warnings'>): boolean =>
  isSelectable(item) && !hasWarnings(item) && (item.status === 'new' || item.status === 'changed');

export function preselect(items: readonly DiffItem[]): Set<string> {
  const s = new Set<string>();
  for (const it of items) if (isPreselected(it)) s.add(it.employee_number);
  return s;
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

export function countSelected(items: readonly DiffItem[], selected: ReadonlySet<string>): number {
  let n = 0;
  for (const it of items) if (isSelectable(it) && selected.has(it.employee_number)) n++;
  return n;
}

export function summaryCount(summary: DiffSummary, f: StatusFilter): number {
  return f === 'all' ? summary.total : summary[f];
}
