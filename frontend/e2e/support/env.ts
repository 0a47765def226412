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

