import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { DIRECTIONS, login, waitForDiffs } from './support/env';
import { isGreen, isRed, row, search, styleOf } from './support/selection';

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
  // the confirmation dialog (nothing is ticked on arrival: tick with the quick actions first)
  if ((await page.getByTestId('quick-changed').getAttribute('aria-disabled')) !== 'true') await page.getByTestId('quick-changed').click();
  if ((await page.getByTestId('quick-new').getAttribute('aria-disabled')) !== 'true') await page.getByTestId('quick-new').click();
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

/*
 * Warnings and invisible characters on the selection screen, in Chromium. The sandbox's default
 * scenario plants look-alike 社員番号 (the server gives those rows similar_employee_number); the
 * first 差分あり employee's name and old value also get a U+200B, rewritten in the browser, so the
 * marker is checked on a value whose colour is known.
 */
type Item = {
  employee_number: string;
  display_name: string;
  status: string;
  fields: { name: string; old: string | null; new: string; changed: boolean }[];
  warnings: { code: string; message: string }[];
};

test('warned rows and invisible characters are shown, left out of quick actions, listed before import, and pass axe', async ({ page }) => {
  await login(page);
  const picked: { warned?: string; invisible?: string } = {};
  const warnedNumbers = new Set<string>();
  await page.route('**/api/v1/integrations/jobkan/diffs?*', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { items: Item[] };
    expect(body.items.every((it) => Array.isArray(it.warnings)), 'every item has warnings').toBe(true);
    for (const it of body.items) {
      if (it.warnings.length > 0) warnedNumbers.add(it.employee_number);
      if (!picked.warned && it.status === 'new' && it.warnings.length > 0) picked.warned = it.employee_number;
      if (!picked.invisible && it.status === 'changed' && it.fields.some((f) => f.changed)) picked.invisible = it.employee_number;
      if (it.employee_number === picked.invisible) {
        it.display_name = `\u200b${it.display_name}`;
        const f = it.fields.find((x) => x.changed)!;
        f.old = `${f.old ?? ''}\u200b`;
      }
    }
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(`/integrations/jobkan/${DIRECTIONS[1]}`);
  await waitForDiffs(page);
  expect(picked.warned && picked.invisible, 'the seeded data has a warned new and a changed employee').toBeTruthy();
  await expect(page.getByTestId('warned-notice')).toContainText(`確認が必要な従業員がいます（${warnedNumbers.size}件）`);

  await search(page, picked.warned!);
  const warned = row(page, picked.warned!);
  await expect(warned.getByTestId('diff-warnings')).toContainText('社員番号が似ている従業員がいます');
  await expect(warned.getByRole('checkbox')).not.toBeChecked();
  await expectNoSeriousA11yViolations(page, 'selection with a warned row');
  await warned.getByRole('checkbox').check();

  await search(page, picked.invisible!);
  const inv = row(page, picked.invisible!);
  await expect(inv.getByRole('checkbox')).not.toBeChecked();
  await inv.getByRole('checkbox').check();
  const marker = inv.locator('del.diff-old').getByRole('img', { name: '見えない文字 U+200B' });
  await expect(marker).toBeVisible();
  await expect(marker).toHaveText('U+200B');
  await expect(inv.locator('.diff-cell--name').getByRole('img', { name: '見えない文字 U+200B' })).toBeVisible();
  const del = await styleOf(inv.locator('del.diff-old').first());
  expect(del.decoration).toContain('line-through');
  expect(isRed(del.color), `old value colour ${del.color}`).toBe(true);
  expect(isRed((await styleOf(marker)).color), 'the marker takes the old value colour').toBe(true);
  expect(isGreen((await styleOf(inv.locator('ins.diff-new').first())).color)).toBe(true);
  await expectNoSeriousA11yViolations(page, 'selection with invisible characters');

  await page.getByTestId('import-button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const listed = dialog.getByTestId('confirm-warned');
  await expect(listed).toContainText('確認が必要な従業員が含まれています（1件）');
  await expect(listed.locator(`tr[data-employee-number="${picked.warned}"]`)).toContainText('社員番号が似ている従業員');
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.waitForTimeout(300);
  await expectNoSeriousA11yViolations(page, 'confirmation dialog with warned employees');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
