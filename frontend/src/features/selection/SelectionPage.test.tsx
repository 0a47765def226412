import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changedItem, conflictItem, newItem, page, unchangedItem, warnedItem } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { SelectionPage } from './SelectionPage';

const defaultItems = [unchangedItem('0001'), changedItem('0002'), newItem('0003'), conflictItem('0004'), changedItem('0005')];

type Call = { method: string; url: URL; headers: Headers; body: unknown };

function installFetch(role: 'admin' | 'viewer' = 'admin', all = defaultItems) {
  const calls: Call[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fn = vi.fn(async (input: Request | string | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    const url = new URL(req.url, 'http://localhost');
    const text = req.method === 'GET' ? '' : await req.text();
    calls.push({ method: req.method, url, headers: req.headers, body: text ? JSON.parse(text) : undefined });
    if (url.pathname === '/api/v1/me') return json(200, { id: 'u', email: 'admin@example.com', role, auth: 'session' });
    if (url.pathname === '/api/v1/integrations/jobkan/diffs') {
      const cursor = url.searchParams.get('cursor');
      return cursor === 'p2' ? json(200, page(all.slice(3), null, all)) : json(200, page(all.slice(0, 3), 'p2', all));
    }
    if (url.pathname === '/api/v1/imports' && req.method === 'POST') {
      await new Promise((r) => setTimeout(r, 30));
      return json(202, {
        id: '11111111-1111-4111-8111-111111111111',
        integration: 'jobkan',
        direction: 'jobkan_to_smarthr',
        status: 'queued',
        total: 3,
        done: 0,
        counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
        started_by: 'admin@example.com',
        created_at: '2025-01-01T00:00:00Z',
        started_at: null,
        finished_at: null,
      });
    }
    return json(404, { type: 'about:blank', title: 'Not Found', status: 404 });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

describe('SelectionPage', () => {
  beforeEach(() => {
    document.cookie = 'hrbridge_csrf=csrf-1';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('pages through next_cursor, shows the summary and ticks nothing on arrival', async () => {
    const calls = installFetch();
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' });
    expect(await screen.findByTestId('summary-all')).toHaveTextContent('5');
    const diffCalls = calls.filter((c) => c.url.pathname.endsWith('/diffs'));
    expect(diffCalls).toHaveLength(2);
    expect(diffCalls[0].url.searchParams.get('limit')).toBe('500');
    expect(diffCalls[0].url.searchParams.get('direction')).toBe('jobkan_to_smarthr');
    expect(diffCalls[1].url.searchParams.get('cursor')).toBe('p2');
    expect(screen.getByTestId('summary-changed')).toHaveTextContent('2');
    expect(screen.getByTestId('summary-conflict')).toHaveTextContent('1');
    expect(screen.getByTestId('selected-count')).toHaveTextContent('0件選択中');
    expect(screen.getByTestId('import-button')).toHaveAttribute('aria-disabled', 'true');
    // the quick actions say what they would tick
    expect(screen.getByTestId('quick-changed')).toHaveTextContent('差分ありをすべて選択（2件）');
    expect(screen.getByTestId('quick-new')).toHaveTextContent('新規登録をすべて選択（1件）');
  });

  it('quick actions tick all 差分あり / 新規登録 within the search, and [選択を解除] clears', async () => {
    installFetch('admin', [changedItem('0002'), changedItem('0005', '田中 一郎'), newItem('0003'), unchangedItem('0001')]);
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' });
    await screen.findByTestId('summary-all');
    await userEvent.type(screen.getByTestId('diff-search'), '田中');
    await waitFor(() => expect(screen.getByTestId('quick-changed')).toHaveTextContent('（1件）'));
    expect(screen.getByTestId('quick-new')).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByTestId('quick-changed'));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('1件選択中');
    await userEvent.clear(screen.getByTestId('diff-search'));
    await waitFor(() => expect(screen.getByTestId('quick-new')).toHaveTextContent('（1件）'));
    await userEvent.click(screen.getByTestId('quick-new'));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('2件選択中');
    await userEvent.click(screen.getByTestId('import-button'));
    const dialog = await screen.findByRole('dialog');
    const bd = within(dialog).getByTestId('confirm-breakdown');
    expect(bd.querySelector('[data-kind="created"]')).toHaveTextContent('新規登録1件');
    expect(bd.querySelector('[data-kind="updated"]')).toHaveTextContent('更新1件');
    await userEvent.click(within(dialog).getByRole('button', { name: 'キャンセル' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await userEvent.click(screen.getByTestId('clear-selection'));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('0件選択中');
  });

  it('shows the breakdown and asks for the count to be typed above 100 employees', async () => {
    const many = [
      ...Array.from({ length: 60 }, (_, i) => changedItem(`C${String(i).padStart(3, '0')}`)),
      ...Array.from({ length: 41 }, (_, i) => newItem(`N${String(i).padStart(3, '0')}`)),
    ];
    many[0] = { ...many[0], fields: [{ name: 'employment_status', label: '在籍状況', old: 'employed', new: 'retired', changed: true }] };
    const calls = installFetch('admin', many);
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' });
    await screen.findByTestId('summary-all');
    await userEvent.click(screen.getByTestId('quick-changed'));
    await userEvent.click(screen.getByTestId('quick-new'));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('101件選択中');
    await userEvent.click(screen.getByTestId('import-button'));
    const dialog = await screen.findByRole('dialog');
    const bd = within(dialog).getByTestId('confirm-breakdown');
    expect(bd.querySelector('[data-kind="created"]')).toHaveTextContent('新規登録41件');
    expect(bd.querySelector('[data-kind="updated"]')).toHaveTextContent('更新60件');
    expect(bd.querySelector('[data-kind="retiring"]')).toHaveTextContent('うち在籍状況を退職にする1件');
    const action = within(dialog).getByRole('button', { name: '取り込む' });
    expect(action).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(action);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    const input = within(dialog).getByTestId('confirm-typed-count');
    await userEvent.type(input, '100');
    expect(action).toHaveAttribute('aria-disabled', 'true');
    await userEvent.clear(input);
    await userEvent.type(input, '１０１');
    await waitFor(() => expect(action).not.toHaveAttribute('aria-disabled', 'true'));
    await userEvent.click(action);
    await waitFor(() => expect(screen.getByTestId('elsewhere')).toBeInTheDocument());
    const post = calls.find((c) => c.method === 'POST');
    expect((post?.body as { employees: unknown[] }).employees).toHaveLength(101);
  });

  it('selects all within the filter, never the conflicts', async () => {
    installFetch();
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' });
    await screen.findByTestId('summary-all');
    await userEvent.click(within(screen.getByTestId('status-filter')).getByLabelText(/差分なし/));
    const selectAll = screen.getByRole('checkbox', { name: /表示中の従業員をすべて選択（1件）/ });
    await userEvent.click(selectAll);
    expect(screen.getByTestId('selected-count')).toHaveTextContent('1件選択中');
    await userEvent.click(within(screen.getByTestId('status-filter')).getByLabelText(/すべて/));
    const selectAll2 = screen.getByRole('checkbox', { name: /表示中の従業員をすべて選択（4件）/ });
    expect(selectAll2).toBePartiallyChecked();
    await userEvent.click(selectAll2);
    expect(screen.getByTestId('selected-count')).toHaveTextContent('4件選択中');
    await userEvent.click(selectAll2);
    expect(screen.getByTestId('selected-count')).toHaveTextContent('0件選択中');
    expect(screen.getByTestId('import-button')).toHaveAttribute('aria-disabled', 'true');
  });

  it('imports with an Idempotency-Key that a double click reuses', async () => {
    const calls = installFetch();
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' });
    await screen.findByTestId('summary-all');
    await userEvent.click(screen.getByTestId('quick-changed'));
    await userEvent.click(screen.getByTestId('quick-new'));
    await userEvent.click(screen.getByTestId('import-button'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('confirm-body')).toHaveTextContent('3件の従業員情報をSmartHRに取り込みます。');
    expect(within(dialog).queryByTestId('confirm-typed-count')).toBeNull();
    const action = within(dialog).getByRole('button', { name: '取り込む' });
    await userEvent.dblClick(action);
    await waitFor(() => expect(screen.getByTestId('elsewhere')).toBeInTheDocument());
    const posts = calls.filter((c) => c.method === 'POST' && c.url.pathname === '/api/v1/imports');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    const keys = new Set(posts.map((p) => p.headers.get('Idempotency-Key')));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[0].headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(posts[0].body).toEqual({
      integration: 'jobkan',
      direction: 'jobkan_to_smarthr',
      employees: [
        { employee_number: '0002', fingerprint: 'fp-0002' },
        { employee_number: '0003', fingerprint: 'fp-0003' },
        { employee_number: '0005', fingerprint: 'fp-0005' },
      ],
    });
  });

  it('does not let a viewer import', async () => {
    installFetch('viewer');
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/smarthr_to_jobkan', path: '/integrations/jobkan/:direction' });
    await screen.findByTestId('summary-all');
    await waitFor(() => expect(screen.getByTestId('import-button')).toHaveAttribute('aria-disabled', 'true'));
    expect(screen.getByText('閲覧者は取り込みを実行できません。')).toBeInTheDocument();
  });

  it('rejects an unknown direction', () => {
    installFetch();
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/sideways', path: '/integrations/jobkan/:direction' });
    expect(screen.getByText('取り込みの方向が正しくありません。')).toBeInTheDocument();
  });

  it('leaves warned rows out of the quick actions, says why, and lists the warned employees being imported in the confirmation', async () => {
    const items = [
      unchangedItem('0001'),
      changedItem('0002'),
      warnedItem('00123', '123', '伊藤\u200b 誠'),
      newItem('0003'),
      warnedItem('E300', 'e300', '渡辺 光'),
    ];
    const calls = installFetch('admin', items);
    renderWithProviders(<SelectionPage />, { route: '/integrations/jobkan/smarthr_to_jobkan', path: '/integrations/jobkan/:direction' });
    expect(await screen.findByTestId('summary-all')).toHaveTextContent('5');
    // the quick actions tick 差分あり and 新規登録 without warnings only
    expect(screen.getByTestId('selected-count')).toHaveTextContent('0件選択中');
    expect(screen.getByTestId('quick-new')).toHaveAttribute('title', '確認が必要な2件は含みません。1件ずつチェックを入れてください。');
    await userEvent.click(screen.getByTestId('quick-changed'));
    await userEvent.click(screen.getByTestId('quick-new'));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('2件選択中');
    expect(screen.getByTestId('warned-notice')).toHaveTextContent('確認が必要な従業員がいます（2件）');

    // with no warned row selected, the confirmation has no list
    await userEvent.click(screen.getByTestId('import-button'));
    let dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByTestId('confirm-warned')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'キャンセル' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // tick one warned employee on purpose (searched, then ticked): it is listed with 社員番号, name and message
    await userEvent.type(screen.getByTestId('diff-search'), '00123');
    await waitFor(() => expect(screen.getByTestId('shown-count')).toHaveTextContent('1件を表示中'));
    await userEvent.click(screen.getByRole('checkbox', { name: /表示中の従業員をすべて選択（1件。確認が必要な1件を含む）/ }));
    expect(screen.getByTestId('selected-count')).toHaveTextContent('3件選択中');
    await userEvent.click(screen.getByTestId('import-button'));
    dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('confirm-body')).toHaveTextContent('3件の従業員情報をジョブカンに取り込みます。');
    const warned = within(dialog).getByTestId('confirm-warned');
    expect(warned).toHaveTextContent('確認が必要な従業員が含まれています（1件）');
    const rows = within(warned).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    const cells = within(rows[0]).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('00123');
    expect(within(cells[1]).getByRole('img', { name: '見えない文字 U+200B' })).toBeInTheDocument();
    expect(cells[2]).toHaveTextContent('社員番号「123」の従業員がすでに登録されています。同じ人ではないか確認してください。');
    expect(within(warned).queryByText(/E300/)).toBeNull();

    // importing them stays possible
    await userEvent.click(within(dialog).getByRole('button', { name: '取り込む' }));
    await waitFor(() => expect(screen.getByTestId('elsewhere')).toBeInTheDocument());
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/imports');
    expect(post?.body).toMatchObject({
      direction: 'smarthr_to_jobkan',
      employees: [
        { employee_number: '0002', fingerprint: 'fp-0002' },
        { employee_number: '00123', fingerprint: 'fp-00123' },
        { employee_number: '0003', fingerprint: 'fp-0003' },
      ],
    });
  });
});
