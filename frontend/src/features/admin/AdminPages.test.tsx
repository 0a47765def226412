import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorInfo } from '../../components/ErrorInfo';
import { renderWithProviders } from '../../test/render';
import { ApiTokensPage } from './ApiTokensPage';
import { AuditLogPage } from './AuditLogPage';
import { UsersPage } from './UsersPage';

type Call = { method: string; url: URL; headers: Headers; body: unknown };
type Handler = (req: { method: string; url: URL; body: unknown }) => Response | undefined;

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const ADMIN_ID = '11111111-1111-4111-8111-111111111111';
const VIEWER_ID = '22222222-2222-4222-8222-222222222222';

function installFetch(handler: Handler, role: 'admin' | 'viewer' = 'admin') {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request | string | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
      const url = new URL(req.url, 'http://localhost');
      const text = req.method === 'GET' ? '' : await req.text();
      const body = text ? JSON.parse(text) : undefined;
      calls.push({ method: req.method, url, headers: req.headers, body });
      if (url.pathname === '/api/v1/me') return json(200, { id: ADMIN_ID, email: 'admin@example.com', role, auth: 'session', language: 'ja' });
      return handler({ method: req.method, url, body }) ?? json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no' });
    }),
  );
  return calls;
}

const user = (id: string, email: string, role: 'admin' | 'viewer', disabled = false) => ({
  id,
  email,
  role,
  language: 'ja',
  disabled,
  disabled_at: disabled ? '2026-01-02T00:00:00Z' : null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('管理者とユーザー', () => {
  beforeEach(() => {
    document.cookie = 'hrbridge_csrf=csrf-1';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lists users, adds one with a role and password, and explains the last-admin refusal', async () => {
    let users = [user(ADMIN_ID, 'admin@example.com', 'admin'), user(VIEWER_ID, 'sato@example.jp', 'viewer')];
    const calls = installFetch(({ method, url, body }) => {
      if (url.pathname === '/api/v1/users' && method === 'GET') return json(200, { items: users, next_cursor: null });
      if (url.pathname === '/api/v1/users' && method === 'POST') {
        const b = body as { email: string; role: 'admin' | 'viewer' };
        const u = user('33333333-3333-4333-8333-333333333333', b.email, b.role);
        users = [u, ...users];
        return json(201, u);
      }
      if (url.pathname === `/api/v1/users/${VIEWER_ID}` && method === 'PATCH')
        return json(409, { type: '/problems/last-admin', title: 'Conflict', status: 409, detail: 'last admin' }, 'application/problem+json');
      return undefined;
    });
    renderWithProviders(<UsersPage />);
    const table = await screen.findByTestId('users-table');
    expect(within(table).getByText(/admin@example.com（あなた）/)).toBeInTheDocument();
    // One's own row cannot be demoted or disabled.
    const own = table.querySelector(`tr[data-user="admin@example.com"]`) as HTMLElement;
    for (const b of within(own).getAllByRole('button')) expect(b).toHaveAttribute('aria-disabled', 'true');

    await userEvent.type(screen.getByRole('textbox', { name: 'メールアドレス' }), 'kato@example.jp');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: '権限' }), 'admin');
    await userEvent.type(screen.getByLabelText(/初期パスワード/), 'initial pass');
    await userEvent.click(screen.getByRole('button', { name: '追加' }));
    expect(await screen.findByText('kato@example.jpを追加しました。')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/users');
    expect(post?.body).toEqual({ email: 'kato@example.jp', role: 'admin', password: 'initial pass' });
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    await screen.findByText('kato@example.jp');

    const sato = (await screen.findByTestId('users-table')).querySelector('tr[data-user="sato@example.jp"]') as HTMLElement;
    await userEvent.click(within(sato).getByRole('button', { name: '無効にする' }));
    expect(await screen.findByTestId('users-error')).toHaveTextContent('ほかに有効な管理者がいないため');
  });

  it('refuses viewers', async () => {
    installFetch(() => undefined, 'viewer');
    renderWithProviders(<UsersPage />);
    expect(await screen.findByText('この画面は管理者だけが使えます。')).toBeInTheDocument();
  });
});

describe('APIトークン', () => {
  beforeEach(() => {
    document.cookie = 'hrbridge_csrf=csrf-1';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('creates a token shown once, lists state and last use, and revokes after confirmation', async () => {
    const tok = {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'payroll',
      scopes: ['read'],
      prefix: 'hrb_abcdefgh',
      created_at: '2026-01-01T00:00:00Z',
      created_by: 'admin@example.com',
      expires_at: null,
      last_used_at: null,
      revoked_at: null as string | null,
    };
    const calls = installFetch(({ method, url }) => {
      if (url.pathname === '/api/v1/api-tokens' && method === 'GET') return json(200, { items: [tok], next_cursor: null });
      if (url.pathname === '/api/v1/api-tokens' && method === 'POST') return json(201, { ...tok, id: '55555555-5555-4555-8555-555555555555', name: 'sync', token: 'hrb_secret_value' });
      if (url.pathname === `/api/v1/api-tokens/${tok.id}` && method === 'DELETE') {
        tok.revoked_at = '2026-01-03T00:00:00Z';
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderWithProviders(<ApiTokensPage />);
    const row = (await screen.findByTestId('tokens-table')).querySelector('tr[data-token="payroll"]') as HTMLElement;
    expect(row).toHaveTextContent('未使用');
    expect(row).toHaveTextContent('無期限');
    expect(row.dataset.state).toBe('active');

    await userEvent.type(screen.getByRole('textbox', { name: '名前' }), 'sync');
    await userEvent.click(screen.getByRole('checkbox', { name: '取り込み' }));
    await userEvent.click(screen.getByRole('button', { name: '作成' }));
    expect(await screen.findByTestId('token-secret')).toHaveTextContent('hrb_secret_value');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'sync', scopes: ['read', 'import'] });

    await userEvent.click(within(row).getByRole('button', { name: '失効させる' }));
    expect(within(row).getByText(/「payroll」を失効させますか/)).toBeInTheDocument();
    await userEvent.click(within(row).getByTestId('revoke-confirm'));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    await waitFor(() =>
      expect((screen.getByTestId('tokens-table').querySelector('tr[data-token="payroll"]') as HTMLElement).dataset.state).toBe('revoked'),
    );
  });
});

describe('操作ログ', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('filters by actor, action and time range and pages with the cursor', async () => {
    const ev = (id: string, action: string) => ({
      id,
      action,
      actor: 'admin@example.com',
      target: 'users/x',
      ip: '127.0.0.1',
      detail: { email: 'sato@example.jp' },
      created_at: '2026-01-01T00:00:00Z',
    });
    const calls = installFetch(({ url }) => {
      if (url.pathname !== '/api/v1/audit-events') return undefined;
      if (url.searchParams.get('cursor') === 'c2') return json(200, { items: [ev('66666666-6666-4666-8666-666666666662', 'logout')], next_cursor: null });
      return json(200, { items: [ev('66666666-6666-4666-8666-666666666661', 'user.created')], next_cursor: 'c2' });
    });
    renderWithProviders(<AuditLogPage />);
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getByText('ユーザー追加')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'さらに表示' }));
    expect(await within(screen.getByTestId('audit-table')).findByText('ログアウト')).toBeInTheDocument();

    await userEvent.type(screen.getByRole('textbox', { name: '操作した人' }), 'sato');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: '操作' }), 'login.failed');
    await userEvent.type(screen.getByLabelText('開始日時'), '2026-01-01T09:00');
    await userEvent.click(screen.getByRole('button', { name: '絞り込む' }));
    await waitFor(() => {
      const last = calls.filter((c) => c.url.pathname === '/api/v1/audit-events').at(-1)!;
      expect(last.url.searchParams.get('actor')).toBe('sato');
      expect(last.url.searchParams.get('action')).toBe('login.failed');
      expect(last.url.searchParams.get('since')).toBe(new Date('2026-01-01T09:00').toISOString());
    });
  });
});

describe('ErrorInfo', () => {
  it('shows the message and advice, and the technical detail only behind a disclosure', () => {
    renderWithProviders(
      <ErrorInfo
        error={{
          code: 'smarthr.rejected_value',
          message: 'SmartHRが電話番号の値を受け付けませんでした。',
          advice: 'ジョブカンで電話番号を正しい値に直してから、失敗した従業員を再取り込みしてください。',
          action: 'fix_source_data',
          detail: 'SmartHR API: PATCH /api/v1/crews/1: HTTP 400 bad_request (code 1) — tel_number: 不正',
        }}
      />,
    );
    expect(screen.getByText('SmartHRが電話番号の値を受け付けませんでした。')).toBeVisible();
    expect(screen.getByText(/対処：ジョブカンで電話番号/)).toBeVisible();
    const details = screen.getByText('技術的な詳細').closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(within(details).getByText(/tel_number/)).toBeInTheDocument();
  });

  it('sends the chosen language as Accept-Language', async () => {
    localStorage.setItem('hrbridge.lang', 'en');
    const calls = installFetch(({ url }) => (url.pathname === '/api/v1/users' ? json(200, { items: [], next_cursor: null }) : undefined));
    renderWithProviders(<UsersPage />, { lang: 'en' });
    await screen.findByTestId('users-table');
    expect(calls.find((c) => c.url.pathname === '/api/v1/users')?.headers.get('Accept-Language')).toBe('en');
    localStorage.removeItem('hrbridge.lang');
    vi.unstubAllGlobals();
  });
});
