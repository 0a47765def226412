import { useRef, useState, type FormEvent } from 'react';
import {
  Base,
  Button,
  Checkbox,
  Cluster,
  FormControl,
  Heading,
  InformationPanel,
  Input,
  Loader,
  Section,
  Stack,
  StatusLabel,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { ApiError } from '../../api/client';
import { useIsAdmin } from '../../api/me';
import type { Connection, ConnectionUpdate, ProviderCheck } from '../../api/types';
import { ErrorPanel, problemText } from '../../components/ErrorPanel';
import { useI18n } from '../../i18n/i18n';
import { ErrorInfo } from '../../components/ErrorInfo';
import { useConnection, useSaveConnection, useTestConnection } from './queries';

type EtRow = { key: number; name: string; code: string };
export type SettingsForm = {
  smarthrBaseUrl: string;
  smarthrToken: string;
  jobkanApiUrl: string;
  jobkanTokenUrl: string;
  jobkanClientId: string;
  jobkanClientSecret: string;
  useBusinessName: boolean;
  employmentTypes: EtRow[];
};

let rowKey = 0;

export function formFromConnection(c: Connection): SettingsForm {
  return {
    smarthrBaseUrl: c.smarthr.base_url,
    smarthrToken: '',
    jobkanApiUrl: c.jobkan.api_url,
    jobkanTokenUrl: c.jobkan.token_url,
    jobkanClientId: c.jobkan.client_id,
    jobkanClientSecret: '',
    useBusinessName: c.use_business_name,
    employmentTypes: c.employment_types.map((m) => ({ key: ++rowKey, name: m.name, code: String(m.jobkan_code) })),
  };
}

/** The PUT body: secrets left empty are left out, which keeps the stored ones. */
export function updateFromForm(f: SettingsForm): ConnectionUpdate {
  const body: ConnectionUpdate = {
    smarthr: { base_url: f.smarthrBaseUrl.trim() },
    jobkan: { api_url: f.jobkanApiUrl.trim(), token_url: f.jobkanTokenUrl.trim(), client_id: f.jobkanClientId.trim() },
    use_business_name: f.useBusinessName,
    employment_types: f.employmentTypes
      .filter((r) => r.name.trim() !== '' || r.code.trim() !== '')
      .map((r) => ({ name: r.name.trim(), jobkan_code: Number(r.code.normalize('NFKC').trim()) })),
  };
  if (f.smarthrToken !== '') body.smarthr.access_token = f.smarthrToken;
  if (f.jobkanClientSecret !== '') body.jobkan.client_secret = f.jobkanClientSecret;
  return body;
}

/** Maps problem `errors[].location` (e.g. `body.smarthr.base_url`) to messages per field path. */
function fieldErrors(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (err instanceof ApiError) {
    for (const e of err.problem?.errors ?? []) {
      const loc = e.location.replace(/^body\./, '');
      (out[loc] ??= []).push(e.message);
    }
  }
  return out;
}

export function SettingsPage() {
  const { t } = useI18n();
  const conn = useConnection({ staleTime: 0 });
  if (conn.isPending) {
    return (
      <div className="page">
        <Loader alt={t('common.loading')} />
      </div>
    );
  }
  if (conn.isError) {
    return (
      <Stack gap={1} className="page">
        <PageHeading>{t('settings.title')}</PageHeading>
        <ErrorPanel error={conn.error} onRetry={() => void conn.refetch()} />
      </Stack>
    );
  }
  return <SettingsEditor connection={conn.data} />;
}

function SecretStatus({ set }: { set: boolean }) {
  const { t } = useI18n();
  return (
    <StatusLabel type={set ? 'green' : 'grey'} data-testid="secret-status">
      {set ? t('settings.secretSet') : t('settings.secretNotSet')}
    </StatusLabel>
  );
}

function SettingsEditor({ connection }: { connection: Connection }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const isAdmin = useIsAdmin();
  const [form, setForm] = useState<SettingsForm>(() => formFromConnection(connection));
  const [source, setSource] = useState(connection);
  const [saved, setSaved] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  if (source !== connection) {
    setSource(connection);
    setForm(formFromConnection(connection));
  }

  const save = useSaveConnection(() => updateFromForm(form), {
    onSuccess: () => {
      setSaved(true);
      queueMicrotask(() => statusRef.current?.focus());
    },
    onError: () => {
      setSaved(false);
      queueMicrotask(() => statusRef.current?.focus());
    },
  });
  const test = useTestConnection();

  const errs = fieldErrors(save.error);
  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const setRow = (key: number, patch: Partial<EtRow>) =>
    set(
      'employmentTypes',
      form.employmentTypes.map((r) => (r.key === key ? { ...r, ...patch } : r)),
    );

  type TextKey = 'smarthrBaseUrl' | 'smarthrToken' | 'jobkanApiUrl' | 'jobkanTokenUrl' | 'jobkanClientId' | 'jobkanClientSecret';
  /** One text field. A secret is write-only: empty, marked 設定済み when one is stored, and kept when left empty. */
  const field = (
    k: TextKey,
    kind: 'url' | 'text' | 'secret',
    name: string,
    label: string,
    errorAt: string,
    o: { help?: string; secretSet?: boolean } = {},
  ) => {
    const secret = kind === 'secret';
    return (
      <FormControl
        label={label}
        statusLabels={secret ? <SecretStatus set={!!o.secretSet} /> : undefined}
        helpMessage={secret ? (o.secretSet ? t('settings.secretKeep') : undefined) : o.help}
        errorMessages={errs[errorAt]}
      >
        <Input
          name={name}
          type={secret ? 'password' : kind}
          required={!secret}
          autoComplete={secret ? 'new-password' : kind === 'text' ? 'off' : undefined}
          value={form[k]}
          onChange={(e) => set(k, e.currentTarget.value)}
          width="100%"
        />
      </FormControl>
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  const providerResult = (name: string, r: ProviderCheck, testId: string) => (
    <Base padding={1} className="test-result" data-testid={testId} data-ok={r.ok}>
      <Stack gap={0.5}>
        <Cluster gap={0.5} align="center">
          <strong>{name}</strong>
          <StatusLabel type={r.ok ? 'green' : 'error'}>{r.ok ? t('settings.test.ok') : t('settings.test.ng')}</StatusLabel>
        </Cluster>
        {r.ok || !r.error ? <p className="test-message">{r.message}</p> : <ErrorInfo error={r.error} testId={`${testId}-error`} />}
        {typeof r.employees === 'number' ? <p>{t('settings.test.employees', { n: formatNumber(r.employees) })}</p> : null}
      </Stack>
    </Base>
  );

  return (
    <Stack gap={1.5} className="page page--settings">
      <PageHeading>{t('settings.title')}</PageHeading>
      <p>{t('settings.lead')}</p>
      {!connection.configured ? (
        <InformationPanel type="info" title={t('settings.notConfigured')} data-testid="not-configured" />
      ) : connection.updated_at ? (
        <p className="muted">{t('settings.updatedAt', { time: formatDateTime(connection.updated_at) })}</p>
      ) : null}
      {!isAdmin ? <InformationPanel type="warning" title={t('settings.readOnly')} /> : null}

      <div ref={statusRef} tabIndex={-1} className="status-anchor">
        {saved ? (
          <InformationPanel type="success" title={t('settings.saved')} role="status" data-testid="settings-saved" />
        ) : null}
        {save.isError ? (
          <InformationPanel type="error" title={t('settings.saveFailed')} role="alert" data-testid="settings-error">
            <p>{problemText(save.error)}</p>
          </InformationPanel>
        ) : null}
      </div>

      <form onSubmit={onSubmit} data-testid="settings-form">
        <fieldset disabled={!isAdmin} className="plain-fieldset">
          <Stack gap={1.5}>
            <Section>
              <Base padding={1.5}>
                <Stack gap={1.25}>
                  <Heading>{t('settings.smarthr')}</Heading>
                  {field('smarthrBaseUrl', 'url', 'smarthr_base_url', t('settings.smarthr.baseUrl'), 'smarthr.base_url', {
                    help: t('settings.smarthr.baseUrlHelp'),
                  })}
                  {field('smarthrToken', 'secret', 'smarthr_access_token', t('settings.smarthr.token'), 'smarthr.access_token', {
                    secretSet: connection.smarthr.access_token_set,
                  })}
                </Stack>
              </Base>
            </Section>

            <Section>
              <Base padding={1.5}>
                <Stack gap={1.25}>
                  <Heading>{t('settings.jobkan')}</Heading>
                  {field('jobkanApiUrl', 'url', 'jobkan_api_url', t('settings.jobkan.apiUrl'), 'jobkan.api_url', {
                    help: t('settings.jobkan.apiUrlHelp'),
                  })}
                  {field('jobkanTokenUrl', 'url', 'jobkan_token_url', t('settings.jobkan.tokenUrl'), 'jobkan.token_url', {
                    help: t('settings.jobkan.tokenUrlHelp'),
                  })}
                  {field('jobkanClientId', 'text', 'jobkan_client_id', t('settings.jobkan.clientId'), 'jobkan.client_id')}
                  {field('jobkanClientSecret', 'secret', 'jobkan_client_secret', t('settings.jobkan.clientSecret'), 'jobkan.client_secret', {
                    secretSet: connection.jobkan.client_secret_set,
                  })}
                </Stack>
              </Base>
            </Section>

            <Section>
              <Base padding={1.5}>
                <Stack gap={1.25}>
                  <Heading>{t('settings.options')}</Heading>
                  <Stack gap={0.25}>
                    <Checkbox
                      name="use_business_name"
                      checked={form.useBusinessName}
                      onChange={(e) => set('useBusinessName', e.currentTarget.checked)}
                      aria-describedby="business-name-help"
                    >
                      {t('settings.businessName')}
                    </Checkbox>
                    <p id="business-name-help" className="muted help">
                      {t('settings.businessNameHelp')}
                    </p>
                  </Stack>
                </Stack>
              </Base>
            </Section>

            <Section>
              <Base padding={1.5}>
                <Stack gap={1}>
                  <Heading>{t('settings.employmentTypes')}</Heading>
                  <p className="muted">{t('settings.employmentTypesHelp')}</p>
                  {errs['employment_types'] ? (
                    <p className="field-error" role="alert">
                      {errs['employment_types'].join(' ')}
                    </p>
                  ) : null}
                  {form.employmentTypes.length === 0 ? <p>{t('settings.et.empty')}</p> : null}
                  <table className="et-table" data-testid="employment-types">
                    <thead>
                      <tr>
                        <th scope="col">{t('settings.et.name')}</th>
                        <th scope="col">{t('settings.et.code')}</th>
                        <th scope="col">
                          <span className="visually-hidden">{t('settings.et.remove')}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {form.employmentTypes.map((r, i) => {
                        const rowErrs = [
                          ...(errs[`employment_types[${i}].name`] ?? []),
                          ...(errs[`employment_types[${i}].jobkan_code`] ?? []),
                          ...(errs[`employment_types[${i}]`] ?? []),
                        ];
                        return (
                          <tr key={r.key} data-testid="et-row">
                            <td>
                              <Input
                                aria-label={t('settings.et.nameRow', { n: i + 1 })}
                                value={r.name}
                                required
                                error={rowErrs.length > 0}
                                onChange={(e) => setRow(r.key, { name: e.currentTarget.value })}
                                width="100%"
                                data-testid="et-name"
                              />
                              {rowErrs.length > 0 ? <p className="field-error">{rowErrs.join(' ')}</p> : null}
                            </td>
                            <td>
                              <Input
                                aria-label={t('settings.et.codeRow', { n: i + 1 })}
                                type="number"
                                min={1}
                                max={999999}
                                step={1}
                                required
                                value={r.code}
                                onChange={(e) => setRow(r.key, { code: e.currentTarget.value })}
                                width="8em"
                                data-testid="et-code"
                              />
                            </td>
                            <td>
                              <Button
                                size="s"
                                variant="text"
                                aria-label={t('settings.et.removeLabel', { n: i + 1 })}
                                onClick={() =>
                                  set(
                                    'employmentTypes',
                                    form.employmentTypes.filter((x) => x.key !== r.key),
                                  )
                                }
                              >
                                {t('settings.et.remove')}
                              </Button>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                  <div>
                    <Button
                      size="s"
                      onClick={() =>
                        set('employmentTypes', [...form.employmentTypes, { key: ++rowKey, name: '', code: '' }])
                      }
                      data-testid="et-add"
                    >
                      {t('settings.et.add')}
                    </Button>
                  </div>
                </Stack>
              </Base>
            </Section>

            <div className="form-actions">
              <Button type="submit" variant="primary" loading={save.isPending} data-testid="settings-save">
                {t('settings.save')}
              </Button>
            </div>
          </Stack>
        </fieldset>
      </form>

      <Section>
        <Stack gap={1}>
          <Heading>{t('settings.test')}</Heading>
          <p>{t('settings.testLead')}</p>
          <div>
            <Button onClick={() => test.mutate()} loading={test.isPending} disabled={!isAdmin} data-testid="connection-test">
              {t('settings.test')}
            </Button>
          </div>
          <div aria-live="polite">
            {test.isError ? (
              <InformationPanel
                type="error"
                title={t('settings.test.failed', { detail: problemText(test.error) })}
                role="alert"
              />
            ) : null}
            {test.data ? (
              <section aria-label={t('settings.testResult')} className="test-results">
                {providerResult('SmartHR', test.data.smarthr, 'test-smarthr')}
                {providerResult(t('settings.jobkan'), test.data.jobkan, 'test-jobkan')}
              </section>
            ) : null}
          </div>
        </Stack>
      </Section>
    </Stack>
  );
}
