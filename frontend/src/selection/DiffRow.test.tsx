import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { changedItem, conflictItem, newItem, unchangedItem } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { DiffRow } from './DiffRow';

function renderRow(ui: Parameters<typeof renderWithProviders>[0], lang: 'ja' | 'en' = 'ja') {
  return renderWithProviders(<ul>{ui}</ul>, { lang });
}

describe('DiffRow', () => {
  it('shows each changed field: old value in <del> labelled 変更前, new in <ins> labelled 変更後', () => {
    renderRow(<DiffRow item={changedItem('0002')} selected onToggle={() => {}} />);
    const row = document.querySelector('li.diff-row') as HTMLElement;
    expect(row).toHaveAttribute('data-status', 'changed');
    const dels = row.querySelectorAll('del.diff-old');
    const inss = row.querySelectorAll('ins.diff-new');
    // only the two changed fields, not the unchanged 姓
    expect(dels).toHaveLength(2);
    expect(inss).toHaveLength(2);
    expect(dels[0]).toHaveTextContent('変更前：03-1111-2222');
    expect(inss[0]).toHaveTextContent('変更後：03-3333-4444');
    // a missing old value reads as blank rather than vanishing
    expect(dels[1]).toHaveTextContent('（空欄）');
    expect(within(row).getByText('電話番号')).toBeInTheDocument();
    expect(within(row).getByText('差分あり')).toBeInTheDocument();
    expect(within(row).getByRole('checkbox')).toBeChecked();
  });

  it('shows every value of a new employee as a value to create', () => {
    renderRow(<DiffRow item={newItem('0003')} selected={false} onToggle={() => {}} />);
    const row = document.querySelector('li.diff-row') as HTMLElement;
    expect(row.querySelectorAll('del')).toHaveLength(0);
    const inss = row.querySelectorAll('ins.diff-new');
    expect(inss).toHaveLength(3);
    expect(inss[2]).toHaveTextContent('0003@example.jp');
    expect(within(row).getByText('新規登録')).toBeInTheDocument();
    expect(within(row).getByRole('checkbox')).not.toBeChecked();
  });

  it('shows 在籍状況 in words, not codes, in both languages', () => {
    const item = changedItem('0005');
    item.fields = [{ name: 'employment_status', label: '在籍状況', old: 'employed', new: 'retired', changed: true }];
    const { unmount } = renderRow(<DiffRow item={item} selected onToggle={() => {}} />);
    expect(document.querySelector('del.diff-old')).toHaveTextContent('変更前：在職');
    expect(document.querySelector('ins.diff-new')).toHaveTextContent('変更後：退職');
    unmount();
    renderRow(<DiffRow item={item} selected onToggle={() => {}} />, 'en');
    expect(document.querySelector('ins.diff-new')).toHaveTextContent('Retired');
  });

  it('says so when nothing differs', () => {
    renderRow(<DiffRow item={unchangedItem('0001')} selected={false} onToggle={() => {}} />);
    expect(screen.getByText('連携する項目に差分はありません。')).toBeInTheDocument();
    expect(screen.getByText('差分なし')).toBeInTheDocument();
  });

  it('makes a conflict unselectable and explains why', () => {
    renderRow(<DiffRow item={conflictItem('0004')} selected={false} onToggle={() => {}} />);
    const cb = screen.getByRole('checkbox');
    expect(cb).toBeDisabled();
    expect(cb).toHaveAccessibleDescription(/雇用形態の対応付けがありません/);
    expect(screen.getByText('取り込めません')).toBeInTheDocument();
    expect(screen.getByText(/嘱託/)).toBeInTheDocument();
  });

  it('maps every reason code to text in both languages', () => {
    const { unmount } = renderRow(
      <DiffRow item={conflictItem('9', 'duplicate_employee_number')} selected={false} onToggle={() => {}} />,
      'en',
    );
    expect(screen.getByText(/More than one employee has this employee number/)).toBeInTheDocument();
    expect(screen.getByText('Cannot import')).toBeInTheDocument();
    unmount();
  });

  it('labels the checkbox with the name and 社員番号 and reports toggles', async () => {
    const onToggle = vi.fn();
    const item = changedItem('0002', '山田 太郎');
    renderRow(<DiffRow item={item} selected={false} onToggle={onToggle} />);
    const cb = screen.getByRole('checkbox', { name: '山田 太郎（社員番号 0002）を選択' });
    await userEvent.click(cb);
    expect(onToggle).toHaveBeenCalledWith(item, true);
  });

  it('uses English labels when English is chosen', () => {
    renderRow(<DiffRow item={changedItem('0002')} selected onToggle={() => {}} />, 'en');
    const row = document.querySelector('li.diff-row') as HTMLElement;
    expect(row.querySelector('del')).toHaveTextContent('Before: 03-1111-2222');
    expect(row.querySelector('ins')).toHaveTextContent('After: 03-3333-4444');
    expect(within(row).getByText('Phone number')).toBeInTheDocument();
  });
});
