import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { invalidateImportViews, qk } from '../../api/queryKeys';
import type { DiffItem, DiffPage, Direction } from '../../api/types';

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
 * Every row of one direction's diff. `generation` 0 is the first load; each [再取得] bumps it and asks
 * the server for a fresh snapshot. The previous list stays as placeholder data while the next one loads.
 */
export function useAllDiffs(
  direction: Direction,
  generation: number,
  onProgress: (progress: { loaded: number; total: number } | null) => void,
) {
  return useQuery({
    queryKey: qk.diffs(direction, generation),
    queryFn: async ({ signal }) => {
      onProgress(null);
      const res = await fetchAllDiffs(direction, {
        refresh: generation > 0,
        signal,
        onProgress: (loaded, total) => onProgress({ loaded, total }),
      });
      performance.mark('hrbridge:diffs-loaded');
      return res;
    },
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    gcTime: 60_000,
  });
}

export type ImportRequest = { idempotencyKey: string; employees: { employee_number: string; fingerprint: string }[] };

/** POST /imports; on success the import's page opens. `request()` is read when the mutation runs. */
export function useCreateImport(direction: Direction, request: () => ImportRequest, onCreated: () => void) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      const { idempotencyKey, employees } = request();
      return unwrap(
        await api.POST('/imports', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: { integration: 'jobkan', direction, employees },
        }),
      );
    },
    onSuccess: (imp) => {
      invalidateImportViews(qc);
      qc.setQueryData(qk.importOne(imp.id), imp);
      onCreated();
      navigate(`/imports/${imp.id}`);
    },
  });
}
