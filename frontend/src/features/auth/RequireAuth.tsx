import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loader } from 'smarthr-ui';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/me';
import { useT } from '../../i18n/i18n';
import { ErrorPanel } from '../../components/ErrorPanel';

export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const t = useT();
  if (me.isPending) {
    return (
      <div className="page-center">
        <Loader alt={t('common.loading')} />
      </div>
    );
  }
  if (me.error instanceof ApiError && me.error.status === 401) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.isError) {
    return (
      <main className="page-center">
        <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return <>{children}</>;
}
