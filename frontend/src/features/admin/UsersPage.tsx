import { useState, type FormEvent } from 'react';
import { Button, Cluster, FormControl, Heading, InformationPanel, Input, Loader, Section, Select, Stack, StatusLabel, Table, Td, Th } from 'smarthr-ui';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/me';
import type { Role } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { useI18n, type T } from '../../i18n/i18n';
import { AdminFrame } from './AdminTabs';
import { useAddUser, useChangeUser, useUsers } from './queries';

/** A user-management failure in the product's words. */
export function userErrorText(err: unknown, t: T): string {
  if (err instanceof ApiError) {
    const type = err.problem?.type ?? '';
    if (type.endsWith('/last-admin')) return t('admin.users.lastAdmin');
    if (type.endsWith('/own-account')) return t('admin.users.ownAccount');
    if (type.endsWith('/email-taken')) return t('admin.users.emailTaken');
  }
  return t('admin.users.failed', { detail: problemText(err) });
}

export function UsersPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const users = useUsers();
  const [notice, setNotice] = useState<string>();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');

  const add = useAddUser(
    () => ({ email, role, password }),
    (u) => {
      setNotice(t('admin.users.added', { email: u.email }));
      setEmail('');
      setPassword('');
    },
  );
  const change = useChangeUser((u) => setNotice(t('admin.users.changed', { email: u.email })));
  const onAdd = (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    change.reset();
    add.mutate();
  };
  const actionError = change.error ?? add.error;

  return (
    <AdminFrame title={t('admin.users.title')} lead={t('admin.users.lead')}>
      {notice ? <InformationPanel type="success" title={notice} role="status" /> : null}
      {actionError ? <InformationPanel type="error" title={userErrorText(actionError, t)} role="alert" data-testid="users-error" /> : null}
      {users.isPending ? <Loader alt={t('common.loading')} /> : null}
      {users.isError ? <ErrorPanel error={users.error} onRetry={() => void users.refetch()} /> : null}
      {users.data ? (
        <div className="table-wrap">
          <Table data-testid="users-table">
            <thead>
              <tr>
                <Th>{t('admin.users.email')}</Th>
                <Th>{t('admin.users.role')}</Th>
                <Th>{t('admin.users.state')}</Th>
                <Th>{t('admin.users.language')}</Th>
                <Th>{t('admin.users.created')}</Th>
                <Th>{t('admin.users.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const self = u.id === me.data?.id;
                return (
                  <tr key={u.id} data-user={u.email} data-disabled={u.disabled}>
                    <Td className="nowrap">
                      {u.email}
                      {self ? t('admin.users.you') : ''}
                    </Td>
                    <Td className="nowrap">{t(`role.${u.role}`)}</Td>
                    <Td className="nowrap">
                      <StatusLabel type={u.disabled ? 'grey' : 'green'}>
                        {u.disabled ? t('admin.users.disabled') : t('admin.users.enabled')}
                      </StatusLabel>
                    </Td>
                    <Td className="nowrap">{u.language === 'en' ? 'English' : '日本語'}</Td>
                    <Td className="nowrap">
                      <time dateTime={u.created_at}>{formatDateTime(u.created_at)}</time>
                    </Td>
                    <Td>
                      <Cluster gap={0.5}>
                        <Button
                          size="s"
                          disabled={self || change.isPending}
                          onClick={() => change.mutate({ id: u.id, role: u.role === 'admin' ? 'viewer' : 'admin' })}
                        >
                          {u.role === 'admin' ? t('admin.users.makeViewer') : t('admin.users.makeAdmin')}
                        </Button>
                        <Button
                          size="s"
                          variant={u.disabled ? 'secondary' : 'danger'}
                          disabled={self || change.isPending}
                          onClick={() => change.mutate({ id: u.id, disabled: !u.disabled })}
                        >
                          {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                        </Button>
                      </Cluster>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </div>
      ) : null}
      <Section>
        <Stack gap={1}>
          <Heading>{t('admin.users.add')}</Heading>
          <form onSubmit={onAdd} data-testid="user-add">
            <Stack gap={1}>
              <FormControl label={t('admin.users.email')}>
                <Input type="email" name="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              </FormControl>
              <FormControl label={t('admin.users.role')}>
                <Select
                  name="role"
                  value={role}
                  onChangeValue={(v) => setRole(v as Role)}
                  options={[
                    { label: t('role.viewer'), value: 'viewer' },
                    { label: t('role.admin'), value: 'admin' },
                  ]}
                />
              </FormControl>
              <FormControl label={t('admin.users.password')} helpMessage={t('admin.users.passwordHelp')}>
                <Input
                  type="password"
                  name="password"
                  autoComplete="new-password"
                  required
                  minLength={8}
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
              </FormControl>
              <div>
                <Button type="submit" variant="primary" loading={add.isPending}>
                  {t('admin.users.submit')}
                </Button>
              </div>
            </Stack>
          </form>
        </Stack>
      </Section>
    </AdminFrame>
  );
}
