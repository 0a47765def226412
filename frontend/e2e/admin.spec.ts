import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { login } from './support/env';

/*
 * The administration screens (issue 15): 管理者とユーザー (add a viewer, disable and enable them),
 * APIトークン (create, shown once, revoke after confirmation), 操作ログ (the actions just done,
 * filtered by action); axe on each. Also: the language switch is saved to the account (GET /me).
 */
test('administration screens', async ({ page }) => {
  await login(page);
  const stamp = Date.now();

  // 管理者とユーザー, from the header's 管理 link
  await page.getByRole('link', { name: '管理', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '管理者とユーザー' })).toBeVisible();
  await expect(page.getByTestId('users-table')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'admin-users');
  const email = `e2e-${stamp}@example.jp`;
  const add = page.getByTestId('user-add');
  await add.getByRole('textbox', { name: 'メールアドレス' }).fill(email);
  await add.getByLabel(/初期パスワード/).fill('e2e initial password');
  await add.getByRole('button', { name: '追加' }).click();
  await expect(page.getByText(`${email}を追加しました。`)).toBeVisible();
  const row = page.locator(`tr[data-user="${email}"]`);
  await expect(row).toContainText('閲覧者');
  await row.getByRole('button', { name: '無効にする' }).click();
  await expect(row).toHaveAttribute('data-disabled', 'true');
  await row.getByRole('button', { name: '有効にする' }).click();
  await expect(row).toHaveAttribute('data-disabled', 'false');

  // APIトークン
  await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: 'APIトークン' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'APIトークン' })).toBeVisible();
  const name = `e2e ${stamp}`;
  const create = page.getByTestId('token-create');
  await create.getByRole('textbox', { name: '名前' }).fill(name);
  await create.getByRole('button', { name: '作成' }).click();
  await expect(page.getByTestId('token-secret')).toHaveText(/^hrb_/);
  const tok = page.locator(`tr[data-token="${name}"]`);
  await expect(tok).toHaveAttribute('data-state', 'active');
  await expectNoSeriousA11yViolations(page, 'admin-api-tokens');
  await tok.getByRole('button', { name: '失効させる' }).click();
  await tok.getByTestId('revoke-confirm').click();
  await expect(tok).toHaveAttribute('data-state', 'revoked');

  // 操作ログ, filtered by action
  await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: '操作ログ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '操作ログ' })).toBeVisible();
  await expect(page.locator('tr[data-action="api_token.revoked"]').first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'admin-audit-log');
  await page.getByTestId('audit-filters').getByRole('combobox', { name: '操作' }).selectOption('user.created');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page.locator('tr[data-action]').first()).toHaveAttribute('data-action', 'user.created');
  await expect(page.locator('tr[data-action]:not([data-action="user.created"])')).toHaveCount(0);
  await expect(page.getByTestId('audit-table')).toContainText(email);
});

test('the language switch is saved to the account', async ({ page }) => {
  await login(page);
  await page.getByTestId('lang-select').selectOption('en');
  await expect.poll(async () => (await (await page.request.get('/api/v1/me')).json()).language).toBe('en');
  await page.getByTestId('lang-select').selectOption('ja');
  await expect.poll(async () => (await (await page.request.get('/api/v1/me')).json()).language).toBe('ja');
});
