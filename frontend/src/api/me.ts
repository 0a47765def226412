import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { qk } from './queryKeys';
import type { Me } from './types';

/** The signed-in person (GET /me): every domain reads the role from it, so it is shared, not a domain's. */
export function useMe() {
  return useQuery({
    queryKey: qk.me,
    queryFn: async (): Promise<Me> => unwrap(await api.GET('/me')),
    staleTime: 5 * 60_000,
  });
}

export function useIsAdmin(): boolean {
  const me = useMe();
  return me.data?.role === 'admin';
}
