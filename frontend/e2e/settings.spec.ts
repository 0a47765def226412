import { expect, test, type Page } from '@playwright/test';
import { login } from './support/env';

/*
 * 連携設定 round trip: secrets are write-only (empty inputs marked 設定済み), an empty secret keeps
 * the stored one, options and the employment-type map persist, and [接続テスト] reports both
 * providers. The sandbox credentials are DESIGN.md §4's fixed ones. Everything changed is restored.
 */
const SANDBOX = { token: 'sandbox-token', clientId: 'sandbox-client', secret: 'sandbox-secret' };
const E2E_TYPE = 'E2Eテスト用雇用形態';

const input = (page: Page, name: string) => page.locator(`input[name="${name}"]`);

async function open(page: Page) {
  await page.goto('/settings/jobkan');
  await expect(page.getByRole('heading', { level: 1, name: '連携設定' })).toBeVisible();
  await expect(input(page, 'smarthr_base_url')).not.toHaveValue('');
}

async function save(page: Page) {
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
}

test('connection settings round trip', async ({ page }) => {
  await login(page);
  await open(page);

  const business = page.getByRole('checkbox', { name: 'ビジネスネームを使う' });
  const businessBefore = await business.isChecked();

  // 1. save with the sandbox secrets, a flipped option and one more mapping
  await input(page, 'smarthr_access_token').fill(SANDBOX.token);
  await input(page, 'jobkan_client_id').fill(SANDBOX.clientId);
  await input(page, 'jobkan_client_secret').fill(SANDBOX.secret);
  await business.setChecked(!businessBefore);
  await page.getByTestId('et-add').click();
  await page.getByTestId('et-name').last().fill(E2E_TYPE);
  await page.getByTestId('et-code').last().fill('9999');
  await save(page);

  // 2. after a reload: secrets not shown but 設定済み, the rest as saved
  await open(page);
  await expect(input(page, 'smarthr_access_token')).toHaveValue('');
  await expect(input(page, 'jobkan_client_secret')).toHaveValue('');
  await expect(input(page, 'smarthr_access_token')).toHaveAttribute('type', 'password');
  await expect(page.getByTestId('secret-status')).toHaveText(['設定済み', '設定済み']);
  await expect(page.getByRole('checkbox', { name: 'ビジネスネームを使う' })).toBeChecked({ checked: !businessBefore });
  const e2eRow = page.getByTestId('et-row').filter({ has: page.locator(`input[value="${E2E_TYPE}"]`) });
  await expect(e2eRow).toHaveCount(1);
  await expect(e2eRow.getByTestId('et-code')).toHaveValue('9999');
  expect(await page.request.get('/api/v1/integrations/jobkan/connection').then((r) => r.text())).not.toContain(SANDBOX.secret);

  // 3. saving with empty secrets keeps them, and the connection test passes on both sides
  await page.getByRole('checkbox', { name: 'ビジネスネームを使う' }).setChecked(businessBefore);
  await e2eRow.getByRole('button', { name: /削除/ }).click();
  await save(page);
  await open(page);
  await expect(page.getByTestId('secret-status')).toHaveText(['設定済み', '設定済み']);
  await expect(page.getByTestId('et-row').filter({ has: page.locator(`input[value="${E2E_TYPE}"]`) })).toHaveCount(0);

  await page.getByTestId('connection-test').click();
  await expect(page.getByTestId('test-smarthr')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-jobkan')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-smarthr')).toContainText('接続できました');
});
