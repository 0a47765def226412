import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from './client';
import type { DiffItem, DiffPage, Direction, Me } from './types';

export const qk = {
  me: ['me'] as const,
  diffs: (direction: Direction, generation: number) => ['diffs', direction, generation] as const,
  imports: (filters: object) => ['imports', filters] as const,
  importOne: (id: string) => ['import', id] as const,
  results: (id: string, status: string) => ['import-results', id, status] as const,
  notifications: ['notifications'] as const,
  connection: ['connection'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: qk.me,
    queryFn: async (): Promise<Me> => unwrap(await api.GET('/me')),
    staleTime: 5 * 60_000,
  });
}

/**
 * How a refresh (再取得) was served: `fresh` re-listed both systems; `coalesced` reused a refresh made
 * moments ago (by anyone); `limited` was refused for now (429) and the current snapshot is shown.
 * `at` is when a refresh will re-list again (coalesced) or may be asked again (limited).
 */
export type RefreshOutcome = { outcome: 'fresh' | 'coalesced' | 'limited'; at?: string };

export type AllDiffs = Pick<DiffPage, 'direction' | 'generated_at' | 'summary'> & { items: DiffItem[]; refresh?: RefreshOutcome };

/** The refresh outcome from a diff answer's headers (Hrbridge-Refresh, Hrbridge-Refresh-Next, Retry-After). */
export function refreshOutcome(response: Response, now: number = Date.now()): RefreshOutcome | undefined {
  if (response.status === 429) {
    const secs = Number(response.headers.get('Retry-After'));
    return { outcome: 'limited', at: new Date(now + (Number.isFinite(secs) && secs > 0 ? secs : 10) * 1000).toISOString() };
  }
  const how = response.headers.get('Hrbridge-Refresh');
  if (how !== 'fresh' && how !== 'coalesced') return undefined;
  return { outcome: how, at: response.headers.get('Hrbridge-Refresh-Next') ?? undefined };
}

/** Loads every row of the diff, following next_cursor with the largest page size. */
export async function fetchAllDiffs(
  direction: Direction,
  opts: { refresh?: boolean; signal?: AbortSignal; onProgress?: (loaded: number, total: number) => void } = {},
): Promise<AllDiffs> {
  const items: DiffItem[] = [];
  let cursor: string | undefined;
  let head: DiffPage | undefined;
  let refresh: RefreshOutcome | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    // only the first request asks for a fresh snapshot; the cursor pins it afterwards
    const asks = !cursor && opts.refresh && !refresh;
    const res = await api.GET('/integrations/jobkan/diffs', {
      params: { query: { direction, limit: 500, cursor, refresh: asks ? true : undefined } },
      signal: opts.signal,
    });
    if (asks) {
      refresh = refreshOutcome(res.response);
      // refreshed too often: show the current snapshot and say when to try again
      if (refresh?.outcome === 'limited') continue;
    }
    const page: DiffPage = unwrap(res);
    head ??= page;
    for (const it of page.items) items.push(it);
    opts.onProgress?.(items.length, head.summary.total);
    if (!page.next_cursor || page.items.length === 0) break;
    cursor = page.next_cursor;
  }
  if (!head) throw new ApiError(500, undefined, 'empty diff');
  return { direction: head.direction, generated_at: head.generated_at, summary: head.summary, items, refresh };
}

/**
 * TanStack Query's retry rule. Client errors are final; so are 502 and 504, which hrbridge answers when
 * SmartHR or Jobkan is down or too slow after the server has already retried them within its budget
 * (HRBRIDGE_PROVIDER_RETRY_BUDGET): retrying again here only stacks waits (issue 15: a 21 s spinner).
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
  if (error instanceof ApiError && (error.status === 502 || error.status === 504)) return false;
  return failureCount < 2;
}

export function invalidateImportViews(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ['imports'] });
  void qc.invalidateQueries({ queryKey: qk.notifications });
}
