import { describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, createApiClient, newIdempotencyKey, onUnauthorized, readCookie } from './client';

function recorder(status = 200, body: unknown = {}) {
  const calls: Request[] = [];
  const fetchFn = vi.fn(async (input: Request | string | URL) => {
    calls.push(input as Request);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return { calls, fetchFn: fetchFn as unknown as typeof fetch };
}

describe('readCookie', () => {
  it('finds one cookie among many and decodes it', () => {
    expect(readCookie('hrbridge_csrf', 'a=1; hrbridge_csrf=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('hrbridge_csrf', 'hrbridge_csrfx=1')).toBeUndefined();
    expect(readCookie('x', '')).toBeUndefined();
  });
});

describe('CSRF header', () => {
  const cookie = () => 'hrbridge_session=s; hrbridge_csrf=tok123';

  it('is sent on unsafe methods with the hrbridge_csrf cookie value', async () => {
    const { calls, fetchFn } = recorder(202, {});
    const api = createApiClient({ baseUrl: 'http://test/api/v1', fetch: fetchFn, getCookie: cookie });
    await api.POST('/imports/{id}/retry', { params: { path: { id: '00000000-0000-0000-0000-000000000000' } } });
    await api.PUT('/integrations/jobkan/connection', {
      body: { smarthr: { base_url: 'x' }, jobkan: { api_url: 'y', token_url: 'z', client_id: 'c' }, employment_types: [], use_business_name: false },
    });
    expect(calls.map((r) => r.headers.get(CSRF_HEADER))).toEqual(['tok123', 'tok123']);
  });

  it('is not sent on GET', async () => {
    const { calls, fetchFn } = recorder(200, { items: [], next_cursor: null });
    const api = createApiClient({ baseUrl: 'http://test/api/v1', fetch: fetchFn, getCookie: cookie });
    await api.GET('/imports');
    expect(calls[0].headers.has(CSRF_HEADER)).toBe(false);
  });

  it('is left out when there is no cookie', async () => {
    const { calls, fetchFn } = recorder(200, {});
    const api = createApiClient({ baseUrl: 'http://test/api/v1', fetch: fetchFn, getCookie: () => '' });
    await api.POST('/auth/logout');
    expect(calls[0].headers.has(CSRF_HEADER)).toBe(false);
  });
});

describe('401 handling', () => {
  it('notifies on a 401 from any call but the login itself', async () => {
    const seen = vi.fn();
    const off = onUnauthorized(seen);
    const { fetchFn } = recorder(401, { type: 'about:blank', title: 'Unauthorized', status: 401 });
    const api = createApiClient({ baseUrl: 'http://test/api/v1', fetch: fetchFn, getCookie: () => '' });
    await api.POST('/auth/login', { body: { email: 'a@b.c', password: 'x' } });
    expect(seen).not.toHaveBeenCalled();
    await api.GET('/me');
    expect(seen).toHaveBeenCalledTimes(1);
    off();
  });
});

describe('idempotency keys', () => {
  it('are UUIDs, also without crypto.randomUUID', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const orig = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: orig, configurable: true });
    }
  });
});
