import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import {
  Button,
  FormControl,
  Input,
  InformationPanel,
  Stack,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { ApiError } from '../../api/client';
import { LanguageSelect } from '../../components/LanguageSelect';
import { useT } from '../../i18n/i18n';
import { useLogin } from './queries';

/** Only same-origin paths are followed after login. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginPage() {
  const t = useT();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useLogin(
    () => ({ email, password }),
    () => safeNext(params.get('next')),
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };

  const failed = login.error instanceof ApiError && (login.error.status === 401 || login.error.status === 400);

  return (
    <div className="login">
      <div className="login-lang">
        <LanguageSelect />
      </div>
      <main className="login-card" id="main">
        <Stack gap={1.5}>
          <div className="login-brand" aria-hidden="true">
            hrbridge
          </div>
          <PageHeading>{t('login.title')}</PageHeading>
          <p>{t('login.lead')}</p>
          {login.isError ? (
            <InformationPanel type="error" title={failed ? t('login.failed') : t('login.error')} role="alert">
              {!failed && login.error instanceof Error ? <p>{login.error.message}</p> : null}
            </InformationPanel>
          ) : null}
          <form onSubmit={onSubmit} noValidate={false}>
            <Stack gap={1.25}>
              <FormControl label={t('login.email')}>
                <Input
                  type="email"
                  name="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  width="100%"
                />
              </FormControl>
              <FormControl label={t('login.password')}>
                <Input
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  width="100%"
                />
              </FormControl>
              <Button type="submit" variant="primary" wide loading={login.isPending}>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Stack>
      </main>
    </div>
  );
}
