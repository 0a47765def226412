import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { createTheme, IntlProvider, ThemeProvider } from 'smarthr-ui';
import { I18nProvider, type Lang } from '../i18n/i18n';

const theme = createTheme();

export function renderWithProviders(
  ui: ReactElement,
  opts: { lang?: Lang; route?: string; path?: string; client?: QueryClient } = {},
) {
  const client =
    opts.client ?? new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const tree = (
    <I18nProvider initialLang={opts.lang ?? 'ja'}>
      <IntlProvider locale={opts.lang === 'en' ? 'en-us' : 'ja'}>
        <ThemeProvider theme={theme}>
          <QueryClientProvider client={client}>
            <MemoryRouter initialEntries={[opts.route ?? '/']}>
              <Routes>
                <Route path={opts.path ?? '*'} element={ui} />
                <Route path="*" element={<div data-testid="elsewhere" />} />
              </Routes>
            </MemoryRouter>
          </QueryClientProvider>
        </ThemeProvider>
      </IntlProvider>
    </I18nProvider>
  );
  return { client, ...render(tree) };
}
