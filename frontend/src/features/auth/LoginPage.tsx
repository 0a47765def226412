import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  Button,
  FormControl,
  Input,
  InformationPanel,
  Stack,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { api, ApiError, unwrap } from '../../api/client';
import { qk } from '../../api/queries';
import { LanguageSelect } from '../../app/Layout';
import { useT } from '../../i18n/i18n';

/** Only same-origin paths are followed after login. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginPage() {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: async () => unwrap(await api.POST('/auth/login', { body: { email, password } })),
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(qk.me, me);
      navigate(safeNext(params.get('next')), { replace: true });
    },
  });

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
