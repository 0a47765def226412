import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Lang } from '../../i18n/i18n';

/** POST /auth/login; on success the cache starts afresh with the person and `next()` is followed. */
export function useLogin(credentials: () => { email: string; password: string }, next: () => string) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/auth/login', { body: credentials() })),
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(qk.me, me);
      navigate(next(), { replace: true });
    },
  });
}

/** POST /auth/logout; whatever the answer, the cache is cleared and the login page shown. */
export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      await api.POST('/auth/logout');
    },
    onSettled: () => {
      qc.clear();
      navigate('/login', { replace: true });
    },
  });
}

/**
 * PATCH /me with the person's language; then every other query is refetched so that the server's
 * texts (error messages) follow.
 */
export function useSaveLanguage() {
  const qc = useQueryClient();
  return useCallback(
    (language: Lang) =>
      void api.PATCH('/me', { body: { language } }).then((r) => {
        if (!r.data) return;
        qc.setQueryData(qk.me, r.data);
        void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== qk.me[0] });
      }),
    [qc],
  );
}
