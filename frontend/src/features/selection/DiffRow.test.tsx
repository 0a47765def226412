import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { changedItem, conflictItem, newItem, unchangedItem, warnedItem } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { DiffRow } from './DiffRow';
import { codePointLabel, splitInvisible, stripInvisible } from './Invisible';

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

  it('shows a warning on the row with an icon, a title and the server message, and describes the checkbox with it', () => {
    renderRow(<DiffRow item={warnedItem('00123', '123')} selected={false} onToggle={() => {}} />);
    const row = document.querySelector('li.diff-row') as HTMLElement;
    expect(row).toHaveClass('diff-row--warned');
    expect(row).toHaveAttribute('data-warned', 'true');
    const warnings = within(row).getByTestId('diff-warnings');
    expect(warnings.querySelectorAll('li.diff-warning')).toHaveLength(1);
    expect(warnings.querySelector('li')).toHaveAttribute('data-code', 'similar_employee_number');
    expect(warnings).toHaveTextContent('社員番号が似ている従業員がいます：社員番号「123」の従業員がすでに登録されています。');
    expect(warnings.querySelector('svg')).not.toBeNull(); // smarthr-ui's WarningIcon
    const cb = within(row).getByRole('checkbox');
    expect(cb).not.toBeDisabled();
    expect(cb).toHaveAccessibleDescription(/社員番号が似ている従業員がいます/);
    // the values to create are still shown
    expect(row.querySelectorAll('ins.diff-new')).toHaveLength(3);
  });

  it('titles warnings in English too, and falls back for an unknown code', () => {
    const item = warnedItem('00123', '123');
    item.warnings.push({ code: 'something_new' as never, message: '' });
    renderRow(<DiffRow item={item} selected={false} onToggle={() => {}} />, 'en');
    const items = screen.getByTestId('diff-warnings').querySelectorAll('li');
    expect(items[0]).toHaveTextContent('An employee with a similar employee number exists: 社員番号「123」');
    expect(items[1]).toHaveTextContent('This employee needs checking');
  });

  it('shows nothing extra on a row without warnings', () => {
    renderRow(<DiffRow item={newItem('0003')} selected onToggle={() => {}} />);
    expect(screen.queryByTestId('diff-warnings')).toBeNull();
    expect(document.querySelector('li.diff-row')).not.toHaveClass('diff-row--warned');
    expect(screen.getByRole('checkbox')).not.toHaveAttribute('aria-describedby');
  });

  it('marks invisible format characters in old and new values and in the name', () => {
    const item = changedItem('0002', '\u200b山田 太郎');
    item.fields = [
      { name: 'last_name', label: '姓', old: '山田\u200b', new: '山田', changed: true },
      { name: 'first_name', label: '名', old: '\ufeff太郎', new: '太\u00ad郎\u2060', changed: true },
    ];
    renderRow(<DiffRow item={item} selected onToggle={() => {}} />);
    const row = document.querySelector('li.diff-row') as HTMLElement;
    const dels = row.querySelectorAll('del.diff-old');
    const inss = row.querySelectorAll('ins.diff-new');
    // old values stay red and struck through, new ones green: the markers sit inside them
    expect(within(dels[0] as HTMLElement).getByRole('img', { name: '見えない文字 U+200B' })).toHaveTextContent('U+200B');
    expect(dels[0]).toHaveTextContent('変更前：山田U+200B');
    expect(inss[0]).toHaveTextContent('変更後：山田');
    expect(inss[0].querySelector('.invisible-char')).toBeNull();
    expect(within(dels[1] as HTMLElement).getByRole('img', { name: '見えない文字 U+FEFF' })).toBeInTheDocument();
    const newMarks = within(inss[1] as HTMLElement).getAllByRole('img');
    expect(newMarks.map((m) => m.getAttribute('aria-label'))).toEqual(['見えない文字 U+00AD', '見えない文字 U+2060']);
    expect(inss[1]).toHaveTextContent('太U+00AD郎U+2060');
    // the name cell shows it; the checkbox's name does not carry the raw character
    const nameCell = row.querySelector('.diff-cell--name') as HTMLElement;
    expect(within(nameCell).getByRole('img', { name: '見えない文字 U+200B' })).toBeInTheDocument();
    expect(within(row).getByRole('checkbox', { name: '山田 太郎（社員番号 0002）を選択' })).toBeInTheDocument();
  });

  it('marks a compatibility ideograph (異体字), which most fonts draw like its unified form', () => {
    const item = changedItem('0004', '大\uFA10 花子');
    item.fields = [{ name: 'last_name', label: '姓', old: '大塚', new: '大\uFA10', changed: true }];
    renderRow(<DiffRow item={item} selected onToggle={() => {}} />);
    const row = document.querySelector('li.diff-row') as HTMLElement;
    expect(row.querySelector('del.diff-old .invisible-char')).toBeNull(); // 塚 U+585A is the unified form
    expect(within(row.querySelector('ins.diff-new') as HTMLElement).getByRole('img', { name: '異体字（互換漢字） U+FA10' })).toHaveTextContent('U+FA10');
    // 﨑 U+FA11 is a unified ideograph despite its block: not marked
    item.fields = [{ name: 'last_name', label: '姓', old: '崎', new: '\uFA11', changed: true }];
    renderRow(<DiffRow item={item} selected onToggle={() => {}} />);
    expect(screen.queryAllByRole('img', { name: '異体字（互換漢字） U+FA11' })).toHaveLength(0);
  });

  it('names the marker in English when English is chosen', () => {
    const item = changedItem('0002');
    item.fields = [{ name: 'phone', label: '電話番号', old: '03-1111-2222\u200e', new: '03-1111-2222', changed: true }];
    renderRow(<DiffRow item={item} selected onToggle={() => {}} />, 'en');
    expect(screen.getByRole('img', { name: 'invisible character U+200E' })).toBeInTheDocument();
  });
});

describe('invisible characters', () => {
  it('finds every format character (Cf), and nothing else', () => {
    const cf = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad', '\u180e', '\u{e0001}'];
    for (const c of cf) expect(splitInvisible(`a${c}b`), codePointLabel(c)).toEqual([{ text: 'a' }, { invisible: c }, { text: 'b' }]);
    // ordinary and look-alike but visible characters are left alone
    for (const s of ['山田 太郎', '\u3000全角スペース', 'ｱｲｳ', '０１２', 'E\u0301', '𠮷', '03–1234']) expect(splitInvisible(s)).toEqual([{ text: s }]);
    expect(splitInvisible('')).toEqual([]);
    expect(splitInvisible('\u200b\u200b')).toEqual([{ invisible: '\u200b' }, { invisible: '\u200b' }]);
  });
  it('labels code points as U+XXXX, astral ones in full', () => {
    expect(codePointLabel('\u00ad')).toBe('U+00AD');
    expect(codePointLabel('\ufeff')).toBe('U+FEFF');
    expect(codePointLabel('\u{e0001}')).toBe('U+E0001');
    expect(stripInvisible('\u200b山\ufeff田\u200d')).toBe('山田');
  });
});
