import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Cluster, FormControl, Heading, InformationPanel, Input, Loader, Section, Stack, StatusLabel, Table, Td, Th } from 'smarthr-ui';
import type { ApiToken, ApiTokenCreated, Scope } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { useI18n } from '../../i18n/i18n';
import { AdminFrame } from './AdminTabs';
import { useApiTokens, useCreateToken, useRevokeToken } from './queries';

type State = 'active' | 'revoked' | 'expired';
const stateOf = (tok: ApiToken, now = Date.now()): State =>
  tok.revoked_at ? 'revoked' : tok.expires_at && Date.parse(tok.expires_at) <= now ? 'expired' : 'active';

export function ApiTokensPage() {
  const { t, formatDateTime } = useI18n();
  const tokens = useApiTokens();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<ApiTokenCreated>();
  const [confirming, setConfirming] = useState<string>();

  const create = useCreateToken(
    () => ({ name, scopes, expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined }),
    (tok) => {
      setCreated(tok);
      setName('');
    },
  );
  const revoke = useRevokeToken(() => setConfirming(undefined));
  const toggleScope = (s: Scope, on: boolean) => setScopes((cur) => (on ? [...new Set([...cur, s])] : cur.filter((x) => x !== s)));
  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    setCreated(undefined);
    create.mutate();
  };

  return (
    <AdminFrame title={t('admin.tokens.title')} lead={t('admin.tokens.lead')}>
      {created ? (
        <InformationPanel type="success" title={t('admin.tokens.createdOnce')} role="status">
          <Cluster gap={0.5} align="center">
            <code className="token-secret" data-testid="token-secret">
              {created.token}
            </code>
            <Button size="s" onClick={() => void navigator.clipboard?.writeText(created.token)}>
              {t('admin.tokens.copy')}
            </Button>
          </Cluster>
        </InformationPanel>
      ) : null}
      {create.isError ? <InformationPanel type="error" title={t('admin.tokens.failed', { detail: problemText(create.error) })} role="alert" /> : null}
      {revoke.isError ? <InformationPanel type="error" title={problemText(revoke.error)} role="alert" /> : null}
      {tokens.isPending ? <Loader alt={t('common.loading')} /> : null}
      {tokens.isError ? <ErrorPanel error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      {tokens.data && tokens.data.length > 0 ? (
        <div className="table-wrap">
          <Table data-testid="tokens-table">
            <thead>
              <tr>
                <Th>{t('admin.tokens.name')}</Th>
                <Th>{t('admin.tokens.prefix')}</Th>
                <Th>{t('admin.tokens.scopes')}</Th>
                <Th>{t('admin.tokens.state')}</Th>
                <Th>{t('admin.tokens.createdBy')}</Th>
                <Th>{t('admin.tokens.created')}</Th>
                <Th>{t('admin.tokens.expires')}</Th>
                <Th>{t('admin.tokens.lastUsed')}</Th>
                <Th>{t('admin.users.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((tok) => {
                const st = stateOf(tok);
                return (
                  <tr key={tok.id} data-token={tok.name} data-state={st}>
                    <Td>{tok.name}</Td>
                    <Td className="nowrap">
                      <code>{tok.prefix}…</code>
                    </Td>
                    <Td className="nowrap">{tok.scopes.map((s) => t(`admin.tokens.scope.${s}`)).join(t('admin.tokens.sep'))}</Td>
                    <Td className="nowrap">
                      <StatusLabel type={st === 'active' ? 'green' : 'grey'}>{t(`admin.tokens.${st}`)}</StatusLabel>
                    </Td>
                    <Td className="nowrap">{tok.created_by}</Td>
                    <Td className="nowrap">{formatDateTime(tok.created_at)}</Td>
                    <Td className="nowrap">{tok.expires_at ? formatDateTime(tok.expires_at) : t('admin.tokens.none')}</Td>
                    <Td className="nowrap">{tok.last_used_at ? formatDateTime(tok.last_used_at) : t('admin.tokens.never')}</Td>
                    <Td>
                      {st !== 'revoked' && confirming !== tok.id ? (
                        <Button size="s" variant="danger" onClick={() => setConfirming(tok.id)}>
                          {t('admin.tokens.revoke')}
                        </Button>
                      ) : null}
                      {confirming === tok.id ? (
                        <Stack gap={0.5} role="group" aria-label={t('admin.tokens.revoke')}>
                          <p>{t('admin.tokens.revokeConfirm', { name: tok.name })}</p>
                          <Cluster gap={0.5}>
                            <Button size="s" variant="danger" loading={revoke.isPending} onClick={() => revoke.mutate(tok.id)} data-testid="revoke-confirm">
                              {t('admin.tokens.revoke')}
                            </Button>
                            <Button size="s" onClick={() => setConfirming(undefined)}>
                              {t('admin.tokens.cancel')}
                            </Button>
                          </Cluster>
                        </Stack>
                      ) : null}
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
          <Heading>{t('admin.tokens.create')}</Heading>
          <form onSubmit={onCreate} data-testid="token-create">
            <Stack gap={1}>
              <FormControl label={t('admin.tokens.name')}>
                <Input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              </FormControl>
              <fieldset className="plain-fieldset">
                <legend>{t('admin.tokens.scopes')}</legend>
                <Cluster gap={1}>
                  {(['read', 'import'] as Scope[]).map((s) => (
                    <Checkbox key={s} name={`scope-${s}`} checked={scopes.includes(s)} onChange={(e) => toggleScope(s, e.currentTarget.checked)}>
                      {t(`admin.tokens.scope.${s}`)}
                    </Checkbox>
                  ))}
                </Cluster>
              </fieldset>
              <FormControl label={t('admin.tokens.expires')} helpMessage={t('admin.tokens.expiresHelp')}>
                <Input type="date" name="expires" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} />
              </FormControl>
              <div>
                <Button type="submit" variant="primary" loading={create.isPending} disabled={!name.trim() || scopes.length === 0}>
                  {t('admin.tokens.submit')}
                </Button>
              </div>
            </Stack>
          </form>
        </Stack>
      </Section>
    </AdminFrame>
  );
}
