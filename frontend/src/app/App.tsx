import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useNavigate } from 'react-router';
import { createTheme, IntlProvider, ThemeProvider } from 'smarthr-ui';
import { onUnauthorized } from '../api/client';
import { shouldRetry } from '../api/retry';
import { ApiTokensPage, AuditLogPage, UsersPage } from '../features/admin';
import { LoginPage, RequireAuth } from '../features/auth';
import { HistoryPage, ImportPage } from '../features/imports';
import { IntegrationPage, SettingsPage } from '../features/integration';
import { SelectionPage } from '../features/selection';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { TopPage } from './TopPage';

const theme = createTheme();

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
}

/** Sends the user to the login page on any 401, remembering where they were. */
function UnauthorizedRedirect({ client }: { client: QueryClient }) {
  const navigate = useNavigate();
  useEffect(
    () =>
      onUnauthorized(() => {
        if (window.location.pathname === '/login') return;
        const next = window.location.pathname + window.location.search;
        client.clear();
        navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
      }),
    [client, navigate],
  );
  return null;
}

function SmartHRIntl({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return <IntlProvider locale={lang === 'ja' ? 'ja' : 'en-us'}>{children}</IntlProvider>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout>
              <Outlet />
            </Layout>
          </RequireAuth>
        }
      >
        <Route index element={<TopPage />} />
        <Route path="integrations/jobkan" element={<IntegrationPage />} />
        <Route path="integrations/jobkan/:direction" element={<SelectionPage />} />
        <Route path="imports" element={<HistoryPage />} />
        <Route path="imports/:id" element={<ImportPage />} />
        <Route path="settings/jobkan" element={<SettingsPage />} />
        <Route path="admin" element={<Navigate to="/admin/users" replace />} />
        <Route path="admin/users" element={<UsersPage />} />
        <Route path="admin/api-tokens" element={<ApiTokensPage />} />
        <Route path="admin/audit-log" element={<AuditLogPage />} />
        <Route path="top" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [client] = useState(makeQueryClient);
  return (
    <I18nProvider>
      <SmartHRIntl>
        <ThemeProvider theme={theme}>
          <QueryClientProvider client={client}>
            <BrowserRouter>
              <UnauthorizedRedirect client={client} />
              <AppRoutes />
            </BrowserRouter>
          </QueryClientProvider>
        </ThemeProvider>
      </SmartHRIntl>
    </I18nProvider>
  );
}
