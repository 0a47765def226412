import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { DIRECTIONS, login, waitForDiffs } from './support/env';

/* axe (WCAG 2.1 A/AA) on every screen, in Japanese and once in English: no serious or critical violations. */

async function anyImportId(page: Page): Promise<string | undefined> {
  const res = await page.request.get('/api/v1/imports?limit=1');
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { items: { id: string }[] };
  if (body.items[0]) return body.items[0].id;
  // none yet: start a small one through the API (session cookie + CSRF header, as the SPA does)
  const diffs = (await (
    await page.request.get('/api/v1/integrations/jobkan/diffs?direction=jobkan_to_smarthr&status=changed&status=new&limit=1')
  ).json()) as { items: { employee_number: string; fingerprint: string }[] };
  const first = diffs.items[0];
  if (!first) return undefined;
  const csrf = (await page.context().cookies()).find((c) => c.name === 'hrbridge_csrf')?.value ?? '';
  const created = await page.request.post('/api/v1/imports', {
    headers: { 'Idempotency-Key': crypto.randomUUID(), 'X-CSRF-Token': csrf },
    data: { integration: 'jobkan', direction: 'jobkan_to_smarthr', employees: [{ employee_number: first.employee_number, fingerprint: first.fingerprint }] },
  });
  expect(created.status(), await created.text()).toBe(202);
  return ((await created.json()) as { id: string }).id;
}

test('every screen passes axe', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'ログイン' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'login');

  await login(page);
  await expectNoSeriousA11yViolations(page, 'top');

  await page.goto('/integrations/jobkan');
  await expect(page.getByRole('heading', { level: 1, name: 'ジョブカン連携' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'integration');

  for (const d of DIRECTIONS) {
    await page.goto(`/integrations/jobkan/${d}`);
    await waitForDiffs(page);
    await expectNoSeriousA11yViolations(page, `selection ${d}`);
  }
  // the confirmation dialog
  if ((await page.getByTestId('import-button').getAttribute('aria-disabled')) !== 'true') {
    await page.getByTestId('import-button').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    // let the opening transition finish, or axe measures half-faded colours
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    await page.waitForTimeout(300);
    await expectNoSeriousA11yViolations(page, 'confirmation dialog');
    await page.keyboard.press('Escape');
  }

  await page.goto('/imports');
  await expect(page.getByRole('heading', { level: 1, name: '連携履歴' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'history');

  const id = await anyImportId(page);
  if (id) {
    await page.goto(`/imports/${id}`);
    await expect(page.getByTestId('import-status')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'import detail');
  }

  await page.goto('/settings/jobkan');
  await expect(page.getByRole('heading', { level: 1, name: '連携設定' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'settings');

  await page.getByTestId('notification-bell').click();
  await expect(page.getByRole('region', { name: 'お知らせ' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'notifications');

  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'ページが見つかりません' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'not found');

  // English
  await page.getByTestId('lang-select').selectOption('en');
  await page.goto(`/integrations/jobkan/${DIRECTIONS[0]}`);
  await waitForDiffs(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Import from Jobkan to SmartHR' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'selection (English)');
  await page.getByTestId('lang-select').selectOption('ja');
});
