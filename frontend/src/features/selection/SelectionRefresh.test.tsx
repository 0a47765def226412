import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changedItem, newItem, page, unchangedItem } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { SelectionPage } from './SelectionPage';

// issue 14: 再取得 re-lists both systems, so it is shown only to those who may import, and says when
// the server coalesced it with a refresh made moments ago or refused it for now (429).
const items = [unchangedItem('0001'), changedItem('0002'), newItem('0003')];

function installFetch(role: 'admin' | 'viewer', refreshAnswer: 'coalesced' | 'limited' = 'coalesced') {
  const refreshes: URL[] = [];
  const fn = vi.fn(async (input: Request | string | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    const url = new URL(req.url, 'http://localhost');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
    if (url.pathname === '/api/v1/me') return json(200, { id: 'u', email: 'a@example.com', role, auth: 'session' });
    if (url.pathname === '/api/v1/integrations/jobkan/diffs') {
      if (url.searchParams.get('refresh') === 'true') {
        refreshes.push(url);
        if (refreshAnswer === 'limited') {
          return new Response(JSON.stringify({ type: '/problems/refresh-rate-limited', title: 'Too Many Requests', status: 429 }), {
            status: 429,
            headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '20' },
          });
        }
        return json(200, page(items, null), { 'Hrbridge-Refresh': 'coalesced', 'Hrbridge-Refresh-Next': '2030-01-01T00:00:30Z' });
      }
      return json(200, page(items, null));
    }
    return json(404, { type: 'about:blank', title: 'Not Found', status: 404 });
  });
  vi.stubGlobal('fetch', fn);
  return refreshes;
}

const route = { route: '/integrations/jobkan/jobkan_to_smarthr', path: '/integrations/jobkan/:direction' };

describe('SelectionPage 再取得', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is not offered to a viewer', async () => {
    installFetch('viewer');
    renderWithProviders(<SelectionPage />, route);
    await screen.findByTestId('summary-all');
    expect(screen.queryByTestId('refresh')).toBeNull();
  });

  it('says when the refresh was coalesced with one made moments ago', async () => {
    const refreshes = installFetch('admin', 'coalesced');
    renderWithProviders(<SelectionPage />, route);
    await screen.findByTestId('summary-all');
    await userEvent.click(await screen.findByTestId('refresh'));
    expect(await screen.findByTestId('refresh-outcome')).toHaveTextContent('直前に再取得した情報です。');
    expect(refreshes).toHaveLength(1);
  });

  it('shows the current snapshot and when to try again after a 429', async () => {
    installFetch('admin', 'limited');
    renderWithProviders(<SelectionPage />, route);
    await screen.findByTestId('summary-all');
    await userEvent.click(await screen.findByTestId('refresh'));
    const note = await screen.findByTestId('refresh-outcome');
    expect(note).toHaveAttribute('data-outcome', 'limited');
    expect(note).toHaveTextContent(/再取得は\d\d:\d\d以降にできます。/);
    expect(screen.getByTestId('summary-all')).toHaveTextContent('3');
  });
});
