import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const E2E_URL = process.env.HRBRIDGE_E2E_URL ?? 'http://127.0.0.1:8080';
export const EMAIL = process.env.HRBRIDGE_E2E_EMAIL ?? 'admin@example.com';
export const PASSWORD = process.env.HRBRIDGE_E2E_PASSWORD ?? 'password';

export type Direction = 'jobkan_to_smarthr' | 'smarthr_to_jobkan';
export const DIRECTIONS: Direction[] = ['jobkan_to_smarthr', 'smarthr_to_jobkan'];
export const DIRECTION_LABEL: Record<Direction, string> = {
  jobkan_to_smarthr: 'ジョブカンからSmartHRに取り込む',
  smarthr_to_jobkan: 'SmartHRからジョブカンに取り込む',
};
/** The provider that is written to by an import in this direction. */
export const TARGET: Record<Direction, 'smarthr' | 'jobkan'> = {
  jobkan_to_smarthr: 'smarthr',
  smarthr_to_jobkan: 'jobkan',
};

/** Signs in through the login page, in Japanese. */
export async function login(page: Page) {
  await page.addInitScript(() => {
    if (!localStorage.getItem('hrbridge.lang')) localStorage.setItem('hrbridge.lang', 'ja');
  });
  await page.goto('/login');
  await page.getByLabel('メールアドレス').fill(EMAIL);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'トップ' })).toBeVisible();
}

/** Waits for the selection screen to have loaded every row. */
export async function waitForDiffs(page: Page) {
  await expect(page.getByTestId('summary-all')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('diff-loading')).toHaveCount(0, { timeout: 120_000 });
}

export async function csrfHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  const state = await request.storageState();
  const csrf = state.cookies.find((c) => c.name === 'hrbridge_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': csrf } : {};
}

/** The sandbox credentials of DESIGN.md §4. */
export const SANDBOX_CREDENTIALS = { token: 'sandbox-token', clientId: 'sandbox-client', secret: 'sandbox-secret' };

type ConnectionView = {
  smarthr: { base_url: string };
  jobkan: { api_url: string; token_url: string; client_id: string };
  use_business_name: boolean;
  employment_types: { name: string; jobkan_code: number }[];
};

/**
 * Saves the connection with the given secrets through the API, as the signed-in browser user
 * (session cookie + X-CSRF-Token). A wrong secret makes the provider answer 401, which the
 * server treats as a failure that waiting cannot fix: the import's employees fail at once.
 */
export async function putSecrets(page: Page, secrets: { token: string; secret: string }) {
  const cur = (await (await page.request.get('/api/v1/integrations/jobkan/connection')).json()) as ConnectionView;
  const csrf = (await page.context().cookies()).find((c) => c.name === 'hrbridge_csrf')?.value ?? '';
  const res = await page.request.put('/api/v1/integrations/jobkan/connection', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      smarthr: { base_url: cur.smarthr.base_url, access_token: secrets.token },
      jobkan: { api_url: cur.jobkan.api_url, token_url: cur.jobkan.token_url, client_id: cur.jobkan.client_id, client_secret: secrets.secret },
      use_business_name: cur.use_business_name,
      employment_types: cur.employment_types,
    },
  });
  expect(res.status(), await res.text()).toBe(200);
}

export async function breakTargetCredentials(page: Page, target: 'smarthr' | 'jobkan') {
  await putSecrets(page, {
    token: target === 'smarthr' ? 'wrong-token' : SANDBOX_CREDENTIALS.token,
    secret: target === 'jobkan' ? 'wrong-secret' : SANDBOX_CREDENTIALS.secret,
  });
}

export async function restoreSandboxCredentials(page: Page) {
  await putSecrets(page, { token: SANDBOX_CREDENTIALS.token, secret: SANDBOX_CREDENTIALS.secret });
}
