import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { API_BASE, api, unwrap } from '../../api/client';
import { invalidateImportViews, qk } from '../../api/queryKeys';
import {
  isTerminal,
  type Direction,
  type Import,
  type ImportResultPage,
  type ImportStatus,
  type ResultStatus,
} from '../../api/types';

/** The result statuses in the order of the results filter (failed first). */
export const RESULT_STATUSES: readonly ResultStatus[] = ['failed', 'created', 'updated', 'unchanged', 'skipped_stale', 'pending'];
/** Without a filter the results list the failed employees first, then every other status (two phases of one list). */
type ResultsCursor = { phase: 'failed' | 'rest' | 'one'; cursor: string };
const NOT_FAILED = RESULT_STATUSES.filter((s) => s !== 'failed');

/** The imports that retried this one (the API links a retry to its source by `retry_of`; they are newer). */
async function fetchRetriesOf(imp: Import): Promise<Import[]> {
  const out: Import[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const page = unwrap(await api.GET('/imports', { params: { query: { since: imp.created_at, limit: 100, cursor } } }));
    for (const it of page.items) if (it.retry_of === imp.id) out.push(it);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}
const POLL_MS = 2000;

/**
 * Follows an import live: the SSE stream (`event: progress`, data = Import) while it runs,
 * falling back to polling GET /imports/{id} every 2 s if the stream fails.
 */
export function useImportProgress(id: string) {
  const qc = useQueryClient();
  const [polling, setPolling] = useState(false);
  const q = useQuery({
    queryKey: qk.importOne(id),
    queryFn: async () => unwrap(await api.GET('/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const d = query.state.data as Import | undefined;
      return polling && (!d || !isTerminal(d.status)) ? POLL_MS : false;
    },
    staleTime: 0,
  });
  const finished = q.data ? isTerminal(q.data.status) : false;

  useEffect(() => {
    if (finished) return;
    if (typeof EventSource === 'undefined') {
      setPolling(true);
      return;
    }
    const es = new EventSource(`${API_BASE}/imports/${encodeURIComponent(id)}/events`, { withCredentials: true });
    let closed = false;
    es.addEventListener('progress', (ev) => {
      try {
        const imp = JSON.parse((ev as MessageEvent<string>).data) as Import;
        qc.setQueryData(qk.importOne(id), imp);
        if (isTerminal(imp.status)) {
          closed = true;
          es.close();
        }
      } catch {
        // a malformed event: keep listening, polling covers us if the stream dies
      }
    });
    es.onerror = () => {
      if (closed) return;
      closed = true;
      es.close();
      const cur = qc.getQueryData<Import>(qk.importOne(id));
      if (!cur || !isTerminal(cur.status)) {
        setPolling(true);
        void qc.invalidateQueries({ queryKey: qk.importOne(id) });
      }
    };
    return () => {
      closed = true;
      es.close();
    };
  }, [id, finished, qc]);

  useEffect(() => {
    if (finished) {
      invalidateImportViews(qc);
      void qc.invalidateQueries({ queryKey: qk.results.of(id) });
    }
  }, [finished, id, qc]);

  return { query: q, polling, finished };
}

/**
 * An import's results, 200 a page. Without a filter the failed employees come first; when that phase
 * ends, the first page of the other statuses follows at once. Refetched every 4 s until the import ends.
 */
export function useImportResults(id: string, statusFilter: '' | ResultStatus, opts: { enabled: boolean; finished: boolean }) {
  const results = useInfiniteQuery({
    queryKey: qk.results.list(id, statusFilter),
    queryFn: async ({ pageParam }): Promise<ImportResultPage & { phase: ResultsCursor['phase'] }> => {
      const status = pageParam.phase === 'one' ? [statusFilter as ResultStatus] : pageParam.phase === 'failed' ? ['failed' as const] : NOT_FAILED;
      const page = unwrap(
        await api.GET('/imports/{id}/results', {
          params: { path: { id }, query: { limit: 200, cursor: pageParam.cursor || undefined, status: [...status] } },
        }),
      ) as ImportResultPage;
      return { ...page, phase: pageParam.phase };
    },
    initialPageParam: { phase: statusFilter ? 'one' : 'failed', cursor: '' } as ResultsCursor,
    getNextPageParam: (last): ResultsCursor | undefined => {
      if (last.next_cursor) return { phase: last.phase, cursor: last.next_cursor };
      return last.phase === 'failed' ? { phase: 'rest', cursor: '' } : undefined;
    },
    enabled: opts.enabled,
    refetchInterval: opts.finished ? false : 4000,
  });

  // the failed phase comes first; when it ends, the first page of the other statuses follows at once
  const lastPhase = results.data?.pages.at(-1)?.phase;
  useEffect(() => {
    if (lastPhase === 'failed' && results.hasNextPage && !results.isFetchingNextPage) void results.fetchNextPage();
  }, [lastPhase, results]);

  return results;
}

/** [失敗した従業員を再取り込み]: the new import's page opens. */
export function useRetryImport(id: string) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/imports/{id}/retry', { params: { path: { id } } })),
    onSuccess: (next) => {
      invalidateImportViews(qc);
      qc.setQueryData(qk.importOne(next.id), next);
      navigate(`/imports/${next.id}`);
    },
  });
}

/** [中止]; `onDone` runs after the answer, whichever it was. */
export function useCancelImport(id: string, onDone: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/imports/{id}/cancel', { params: { path: { id } } })),
    onSuccess: (next) => {
      qc.setQueryData(qk.importOne(id), next);
      onDone();
    },
    onError: () => onDone(),
  });
}

/** The imports that retried `imp` (newest first as the API lists them); asked only when `enabled`. */
export function useRetriesOf(id: string, imp: Import | undefined, enabled: boolean) {
  return useQuery({
    queryKey: qk.imports.retriesOf(id),
    queryFn: () => fetchRetriesOf(imp!),
    enabled,
    staleTime: 10_000,
  });
}

async function downloadCsv(id: string) {
  const res = await api.GET('/imports/{id}/results', {
    params: { path: { id } },
    headers: { Accept: 'text/csv' },
    parseAs: 'blob',
  });
  if (!res.response.ok || !res.data) unwrap(res);
  const blob = res.data as unknown as Blob;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `hrbridge-import-${id}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The results as CSV, saved by the browser. */
export function useDownloadCsv(id: string) {
  return useMutation({ mutationFn: () => downloadCsv(id) });
}

/**
 * 連携履歴, 50 a page. A running import's progress (done/total) is followed more closely (2 s) than
 * a finished list (10 s).
 */
export function useImportHistory(filters: { direction?: Direction; status?: ImportStatus }) {
  const { direction, status } = filters;
  return useInfiniteQuery({
    queryKey: qk.imports.list({ direction, status }),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/imports', {
          params: { query: { direction, status, limit: 50, cursor: pageParam || undefined } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // a running import's progress (done/total) is followed more closely
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((i) => !isTerminal(i.status))) ? 2_000 : 10_000,
  });
}
