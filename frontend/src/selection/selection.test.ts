import { describe, expect, it } from 'vitest';
import { changedItem, conflictItem, newItem, sampleItems, unchangedItem, warnedItem } from '../test/fixtures';
import {
  countSelectable,
  filterItems,
  hasWarnings,
  isPreselected,
  isSelectable,
  normalizeForSearch,
  preselect,
  searchKey,
  selectAllWithinFilter,
  selectedEmployees,
  selectedWarned,
  toggleOne,
  visibleSelectionState,
} from './selection';

describe('preselection', () => {
  it('ticks new and changed employees only', () => {
    expect([...preselect(sampleItems)].sort()).toEqual(['0002', '0003', '0005']);
  });
  it('never ticks conflicts, whatever their fields', () => {
    const s = preselect([conflictItem('9'), conflictItem('', 'missing_employee_number')]);
    expect(s.size).toBe(0);
  });
  it('never ticks a row with a warning, whatever its status, and still ticks the others', () => {
    const changedWarned = { ...changedItem('0007'), warnings: [{ code: 'similar_employee_number' as const, message: 'm' }] };
    const items = [warnedItem('00123', '123'), changedWarned, newItem('0008'), changedItem('0009'), unchangedItem('0010')];
    expect(isPreselected(items[0])).toBe(false);
    expect(isPreselected(changedWarned)).toBe(false);
    expect([...preselect(items)].sort()).toEqual(['0008', '0009']);
  });
  it('treats a missing warnings array as no warnings', () => {
    const { warnings: _omit, ...rest } = newItem('0011');
    const legacy = rest as unknown as Parameters<typeof isPreselected>[0];
    expect(hasWarnings(legacy)).toBe(false);
    expect(isPreselected(legacy)).toBe(true);
  });
});

describe('warned rows', () => {
  it('stay selectable: a click, select-all and the import body include them', () => {
    const w = warnedItem('00123', '123');
    const items = [w, newItem('0008')];
    expect(isSelectable(w)).toBe(true);
    expect(toggleOne(new Set(), w, true).has('00123')).toBe(true);
    const all = selectAllWithinFilter(new Set(), items, true);
    expect(selectedEmployees(items, all)).toEqual([
      { employee_number: '00123', fingerprint: 'fp-00123' },
      { employee_number: '0008', fingerprint: 'fp-0008' },
    ]);
  });
  it('are listed for the confirmation only when selected, in list order, once', () => {
    const a = warnedItem('00123', '123');
    const b = warnedItem('E300', 'e300');
    const items = [a, newItem('0008'), b, a];
    expect(selectedWarned(items, new Set(['0008']))).toEqual([]);
    expect(selectedWarned(items, new Set(['E300', '0008', '00123'])).map((i) => i.employee_number)).toEqual(['00123', 'E300']);
  });
});

describe('conflicts', () => {
  it('are not selectable and toggling them is a no-op', () => {
    const c = sampleItems[3];
    expect(isSelectable(c)).toBe(false);
    const before = new Set<string>();
    expect(toggleOne(before, c, true).has('0004')).toBe(false);
  });
  it('are left out by select-all and by the import body', () => {
    const all = selectAllWithinFilter(new Set(), sampleItems, true);
    expect(all.has('0004')).toBe(false);
    expect(all.size).toBe(5);
    const withStray = new Set([...all, '0004']);
    expect(selectedEmployees(sampleItems, withStray).map((e) => e.employee_number)).not.toContain('0004');
  });
});

describe('filtering and search', () => {
  it('filters by status', () => {
    expect(filterItems(sampleItems, 'changed', '').map((i) => i.employee_number)).toEqual(['0002', '0005']);
    expect(filterItems(sampleItems, 'conflict', '')).toHaveLength(1);
    expect(filterItems(sampleItems, 'all', '')).toBe(sampleItems);
  });
  it('searches employee number and name, folding width, case and spaces', () => {
    expect(filterItems(sampleItems, 'all', '０００５').map((i) => i.employee_number)).toEqual(['0005']);
    expect(filterItems(sampleItems, 'all', '田中一郎').map((i) => i.employee_number)).toEqual(['0005']);
    expect(filterItems(sampleItems, 'all', 'タナカ').map((i) => i.employee_number)).toEqual(['0006']);
    expect(normalizeForSearch(' ＡＢＣ　d ')).toBe('abcd');
  });
  it('uses precomputed keys when given', () => {
    const keys = sampleItems.map(searchKey);
    expect(filterItems(sampleItems, 'all', '0003', keys).map((i) => i.employee_number)).toEqual(['0003']);
  });
});

describe('select all within the filter', () => {
  it('ticks only the rows shown and keeps the others as they were', () => {
    const start = new Set(['0002']);
    const unchanged = filterItems(sampleItems, 'unchanged', '');
    const next = selectAllWithinFilter(start, unchanged, true);
    expect([...next].sort()).toEqual(['0001', '0002', '0006']);
    const cleared = selectAllWithinFilter(next, unchanged, false);
    expect([...cleared]).toEqual(['0002']);
  });
  it('reports none / some / all over the selectable rows shown', () => {
    const shown = filterItems(sampleItems, 'all', '');
    expect(visibleSelectionState(new Set(), shown)).toBe('none');
    expect(visibleSelectionState(new Set(['0001']), shown)).toBe('some');
    expect(visibleSelectionState(selectAllWithinFilter(new Set(), shown, true), shown)).toBe('all');
    expect(visibleSelectionState(new Set(), filterItems(sampleItems, 'conflict', ''))).toBe('none');
    expect(countSelectable(shown)).toBe(5);
  });
  it('does not copy more than needed with 10,000 rows', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ ...sampleItems[1], employee_number: String(i) }));
    const t0 = performance.now();
    const s = selectAllWithinFilter(new Set(), many, true);
    const s2 = toggleOne(s, many[5000], false);
    expect(s.size).toBe(10_000);
    expect(s2.size).toBe(9_999);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('import body', () => {
  it('sends employee_number and fingerprint of the selected rows, in list order', () => {
    expect(selectedEmployees(sampleItems, new Set(['0005', '0002']))).toEqual([
      { employee_number: '0002', fingerprint: 'fp-0002' },
      { employee_number: '0005', fingerprint: 'fp-0005' },
    ]);
  });
});
