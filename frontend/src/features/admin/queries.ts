import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { ApiToken, ApiTokenCreated, Role, Scope, User } from '../../api/types';

async function fetchAllUsers(): Promise<User[]> {
  const out: User[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = unwrap(await api.GET('/users', { params: { query: { limit: 200, cursor } } }));
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}

export function useUsers() {
  return useQuery({ queryKey: qk.admin.users, queryFn: fetchAllUsers });
}

export function useAddUser(fields: () => { email: string; role: Role; password: string }, onAdded: (u: User) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/users', { body: fields() })),
    onSuccess: (u) => {
      onAdded(u);
      void qc.invalidateQueries({ queryKey: qk.admin.users });
    },
  });
}

/** A role change or disabling/enabling one user. */
export function useChangeUser(onChanged: (u: User) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { id: string; role?: Role; disabled?: boolean }) =>
      unwrap(await api.PATCH('/users/{id}', { params: { path: { id: v.id } }, body: { role: v.role, disabled: v.disabled } })),
    onSuccess: (u) => {
      onChanged(u);
      void qc.invalidateQueries({ queryKey: qk.admin.users });
    },
  });
}

async function fetchAllTokens(): Promise<ApiToken[]> {
  const out: ApiToken[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = unwrap(await api.GET('/api-tokens', { params: { query: { limit: 200, cursor } } }));
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}

export function useApiTokens() {
  return useQuery({ queryKey: qk.admin.tokens, queryFn: fetchAllTokens });
}

export function useCreateToken(
  fields: () => { name: string; scopes: Scope[]; expires_at?: string },
  onCreated: (tok: ApiTokenCreated) => void,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api-tokens', { body: fields() })),
    onSuccess: (tok) => {
      onCreated(tok);
      void qc.invalidateQueries({ queryKey: qk.admin.tokens });
    },
  });
}

export function useRevokeToken(onRevoked: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const r = await api.DELETE('/api-tokens/{id}', { params: { path: { id } } });
      if (!r.response.ok) unwrap(r);
    },
    onSuccess: () => {
      onRevoked();
      void qc.invalidateQueries({ queryKey: qk.admin.tokens });
    },
  });
}

export type AuditQuery = { actor?: string; action?: string; since?: string; until?: string };

/** 操作ログ, 50 a page, newest first; `filters` as the API takes them (times in RFC 3339 UTC). */
export function useAuditEvents(filters: AuditQuery) {
  return useInfiniteQuery({
    queryKey: qk.admin.audit(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/audit-events', { params: { query: { limit: 50, cursor: pageParam, ...filters } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
