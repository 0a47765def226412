import type { DiffItem, DiffPage } from '../api/types';

export function changedItem(n: string, name = `山田 ${n}`): DiffItem {
  return {
    employee_number: n,
    display_name: name,
    status: 'changed',
    fingerprint: `fp-${n}`,
    fields: [
      { name: 'last_name', label: '姓', old: '山田', new: '山田', changed: false },
      { name: 'phone', label: '電話番号', old: '03-1111-2222', new: '03-3333-4444', changed: true },
      { name: 'hired_on', label: '入社年月日', old: null, new: '2020-04-01', changed: true },
    ],
    reason: null,
    warnings: [],
  };
}

export function newItem(n: string, name = `佐藤 ${n}`): DiffItem {
  return {
    employee_number: n,
    display_name: name,
    status: 'new',
    fingerprint: `fp-${n}`,
    fields: [
      { name: 'last_name', label: '姓', old: null, new: '佐藤', changed: true },
      { name: 'first_name', label: '名', old: null, new: '花子', changed: true },
      { name: 'email', label: 'メールアドレス', old: null, new: `${n}@example.jp`, changed: true },
    ],
    reason: null,
    warnings: [],
  };
}

export function unchangedItem(n: string, name = `鈴木 ${n}`): DiffItem {
  return {
    employee_number: n,
    display_name: name,
    status: 'unchanged',
    fingerprint: `fp-${n}`,
    fields: [{ name: 'last_name', label: '姓', old: '鈴木', new: '鈴木', changed: false }],
    reason: null,
    warnings: [],
  };
}

export function conflictItem(n: string, reason: DiffItem['reason'] = 'unmapped_employment_type', name = `高橋 ${n}`): DiffItem {
  return {
    employee_number: n,
    display_name: name,
    status: 'conflict',
    fingerprint: `fp-${n}`,
    fields: [],
    reason,
    reason_detail: reason === 'unmapped_employment_type' ? '嘱託' : null,
    warnings: [],
  };
}

/** A new employee whose 社員番号 looks like an existing one (the server's similar_employee_number). */
export function warnedItem(n: string, existing: string, name = `伊藤 ${n}`): DiffItem {
  return {
    ...newItem(n, name),
    warnings: [
      {
        code: 'similar_employee_number',
        message: `社員番号「${existing}」の従業員がすでに登録されています。同じ人ではないか確認してください。`,
      },
    ],
  };
}

export const sampleItems: DiffItem[] = [
  unchangedItem('0001'),
  changedItem('0002'),
  newItem('0003'),
  conflictItem('0004'),
  changedItem('0005', '田中 一郎'),
  unchangedItem('0006', 'ﾀﾅｶ ｼﾞﾛｳ'),
];

export function page(items: DiffItem[], next_cursor: string | null, all: DiffItem[] = items): DiffPage {
  const count = (s: DiffItem['status']) => all.filter((i) => i.status === s).length;
  return {
    direction: 'jobkan_to_smarthr',
    generated_at: '2025-01-01T00:00:00Z',
    summary: {
      unchanged: count('unchanged'),
      changed: count('changed'),
      new: count('new'),
      conflict: count('conflict'),
      total: all.length,
    },
    items,
    next_cursor,
  };
}
