import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { ConnectionTestResult, ConnectionUpdate } from '../../api/types';

/** The Jobkan connection (連携設定). `staleTime` 0 on the settings form: it always shows the stored state. */
export function useConnection(opts: { staleTime?: number } = {}) {
  return useQuery({
    queryKey: qk.connection,
    queryFn: async () => unwrap(await api.GET('/integrations/jobkan/connection')),
    ...opts,
  });
}

/** PUT the connection; the answer replaces the cached one. */
export function useSaveConnection(body: () => ConnectionUpdate, on: { onSuccess: () => void; onError: () => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.PUT('/integrations/jobkan/connection', { body: body() })),
    onSuccess: (c) => {
      qc.setQueryData(qk.connection, c);
      on.onSuccess();
    },
    onError: () => on.onError(),
  });
}

/** [接続テスト]: both providers checked with the stored settings. */
export function useTestConnection() {
  return useMutation({
    mutationFn: async (): Promise<ConnectionTestResult> => unwrap(await api.POST('/integrations/jobkan/connection/test')),
  });
}
