import type { QueryClient } from '@tanstack/react-query';
import type { Direction } from './types';

/**
 * The one query-key factory: every TanStack Query key of the SPA is built here, so that a domain's
 * hooks and another domain's invalidation (an import started on the selection screen refreshes
 * 連携履歴 and the bell) agree on the shapes. Keys are prefixes of one another where one
 * invalidation must reach several queries (`imports.all` covers the history and the retries of an import).
 */
export const qk = {
  me: ['me'] as const,
  diffs: (direction: Direction, generation: number) => ['diffs', direction, generation] as const,
  imports: {
    all: ['imports'] as const,
    list: (filters: object) => ['imports', filters] as const,
    retriesOf: (id: string) => ['imports', { retriesOf: id }] as const,
  },
  importOne: (id: string) => ['import', id] as const,
  results: {
    of: (id: string) => ['import-results', id] as const,
    list: (id: string, status: string) => ['import-results', id, status] as const,
  },
  notifications: ['notifications'] as const,
  connection: ['connection'] as const,
  admin: {
    users: ['admin-users'] as const,
    tokens: ['admin-api-tokens'] as const,
    audit: (filters: object) => ['admin-audit', filters] as const,
  },
};

/** After an import starts, is retried or finishes: 連携履歴 (and the retries of an import) and the bell. */
export function invalidateImportViews(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: qk.imports.all });
  void qc.invalidateQueries({ queryKey: qk.notifications });
}
