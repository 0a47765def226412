import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';
import type { Problem } from './types';

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'hrbridge_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Reads one cookie by name from a `document.cookie` string. */
export function readCookie(name: string, cookieString: string = typeof document === 'undefined' ? '' : document.cookie): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** Adds the CSRF header (double-submit cookie) to every unsafe request. */
export function csrfMiddleware(getCookie: () => string = () => document.cookie): Middleware {
  return {
    onRequest({ request }) {
      if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
      const token = readCookie(CSRF_COOKIE, getCookie());
      if (token && !request.headers.has(CSRF_HEADER)) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  };
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Registers a callback for any 401 (except from the login call itself). */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export function notifyUnauthorized() {
  for (const fn of unauthorizedListeners) fn();
}

export const unauthorizedMiddleware: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url, 'http://x').pathname.endsWith('/auth/login')) {
      notifyUnauthorized();
    }
    return undefined;
  },
};

/** Asks for texts written for people (error messages and advice) in the language the user chose
 * in the SPA (kept in localStorage as hrbridge.lang); the server answers in Japanese otherwise. */
export function langMiddleware(getLang: () => string | null = storedLang): Middleware {
  return {
    onRequest({ request }) {
      const lang = getLang();
      if (lang === 'en' || lang === 'ja') request.headers.set('Accept-Language', lang);
      return request;
    },
  };
}

function storedLang(): string | null {
  try {
    return globalThis.localStorage?.getItem('hrbridge.lang') ?? null;
  } catch {
    return null;
  }
}

export function createApiClient(opts: { baseUrl?: string; fetch?: typeof fetch; getCookie?: () => string } = {}) {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl ?? API_BASE,
    credentials: 'same-origin',
    fetch: opts.fetch,
    querySerializer: { array: { style: 'form', explode: true } },
  });
  client.use(csrfMiddleware(opts.getCookie));
  client.use(langMiddleware());
  client.use(unauthorizedMiddleware);
  return client;
}

export const api = createApiClient({
  // Late-bound so tests (and the e2e harness) can replace globalThis.fetch.
  fetch: (...args) => globalThis.fetch(...args),
});

/** An error carrying the RFC 9457 problem returned by the API. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined, fallback?: string) {
    super(problem?.detail || problem?.title || fallback || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** Unwraps an openapi-fetch result: returns data or throws ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const err = result.error as Problem | undefined;
    const problem = err && typeof err === 'object' && 'status' in err ? err : undefined;
    throw new ApiError(result.response.status, problem, result.response.statusText);
  }
  return result.data as T;
}

/** A UUID for Idempotency-Key; crypto.randomUUID needs a secure context, so fall back. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
