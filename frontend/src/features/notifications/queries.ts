import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { qk } from '../../api/queryKeys';

/** The latest 20 notifications and the unread count, refreshed every 30 s. */
export function useNotifications() {
  return useQuery({
    queryKey: qk.notifications,
    queryFn: async () => unwrap(await api.GET('/notifications', { params: { query: { limit: 20 } } })),
    refetchInterval: 30_000,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.notifications }),
  });
}
