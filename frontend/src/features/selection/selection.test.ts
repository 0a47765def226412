import { describe, expect, it } from 'vitest';
import type { DiffItem } from '../../api/types';
import { changedItem, conflictItem, newItem, sampleItems, warnedItem } from '../../test/fixtures';
import {
  countSelectable,
  filterItems,
  hasWarnings,
  initialSelection,
  isRetiring,
  isSelectable,
  needsTypedCount,
  normalizeForSearch,
  quickSkippedWarned,
  quickTargets,
  selectQuick,
  breakdown,
  countWarnedSelectable,
  TYPED_CONFIRM_ABOVE,
  typedCountMatches,
  searchKey,
  selectAllWithinFilter,
  selectedEmployees,
  selectedWarned,
  toggleOne,
  visibleSelectionState,
} from './selection';

describe('deliberate selection', () => {
  it('ticks nothing on arrival, whatever the statuses and warnings', () => {
    expect(initialSelection(sampleItems).size).toBe(0);
    expect(initialSelection([warnedItem('00123', '123'), newItem('0008'), changedItem('0009')]).size).toBe(0);
  });
  it('quick actions tick all 差分あり or all 新規登録 within the filter and search, and keep what was ticked', () => {
    const shown = filterItems(sampleItems, 'all', '');
    expect([...selectQuick(new Set(), shown, 'changed')].sort()).toEqual(['0002', '0005']);
    expect([...selectQuick(new Set(['0001']), shown, 'new')].sort()).toEqual(['0001', '0003']);
    // a search narrows what a quick action ticks
    const searched = filterItems(sampleItems, 'all', '田中');
    expect([...selectQuick(new Set(), searched, 'changed')]).toEqual(['0005']);
    // a status filter of another status leaves nothing for it to tick
    expect(selectQuick(new Set(), filterItems(sampleItems, 'unchanged', ''), 'changed').size).toBe(0);
  });
  it('quick actions leave out warned rows and conflicts, and say how many warned rows they left out', () => {
    const changedWarned = { ...changedItem('0007'), warnings: [{ code: 'similar_employee_number' as const, message: 'm' }] };
    const items = [warnedItem('00123', '123'), changedWarned, newItem('0008'), changedItem('0009'), conflictItem('0010')];
    expect([...selectQuick(new Set(), items, 'new')]).toEqual(['0008']);
    expect([...selectQuick(new Set(), items, 'changed')]).toEqual(['0009']);
    expect(quickTargets(items, 'new').map((i) => i.employee_number)).toEqual(['0008']);
    expect(quickSkippedWarned(items, 'new')).toBe(1);
    expect(quickSkippedWarned(items, 'changed')).toBe(1);
    expect(countWarnedSelectable(items)).toBe(2);
  });
  it('treats a missing warnings array as no warnings', () => {
    const { warnings: _omit, ...rest } = newItem('0011');
    const legacy = rest as unknown as DiffItem;
    expect(hasWarnings(legacy)).toBe(false);
    expect(quickTargets([legacy], 'new')).toHaveLength(1);
  });
});

describe('confirmation', () => {
  const retiring = (n: string): DiffItem => ({
    ...changedItem(n),
    fields: [{ name: 'employment_status', label: '在籍状況', old: 'employed', new: 'retired', changed: true }],
  });
  it('breaks the selection down into 新規登録, 更新 (of which 退職), 差分なし and warned employees', () => {
    const w = warnedItem('00123', '123');
    const items = [...sampleItems, retiring('0020'), w];
    const b = breakdown(items, new Set(['0001', '0002', '0003', '0004', '0020', '00123']));
    expect(b).toMatchObject({ total: 5, created: 2, updated: 2, unchanged: 1, retiring: 1 });
    expect(b.warned.map((i) => i.employee_number)).toEqual(['00123']);
    expect(isRetiring(retiring('1'))).toBe(true);
    expect(isRetiring(changedItem('1'))).toBe(false);
  });
  it('asks for the count to be typed above 100 employees only', () => {
    expect(TYPED_CONFIRM_ABOVE).toBe(100);
    expect(needsTypedCount(100)).toBe(false);
    expect(needsTypedCount(101)).toBe(true);
    expect(typedCountMatches('101', 101)).toBe(true);
    expect(typedCountMatches('１０１', 101)).toBe(true);
    expect(typedCountMatches('1,001件', 1001)).toBe(true);
    expect(typedCountMatches('100', 101)).toBe(false);
    expect(typedCountMatches('', 101)).toBe(false);
    expect(typedCountMatches('1O1', 101)).toBe(false);
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
