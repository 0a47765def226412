import { expect, test } from '@playwright/test';
import { E2E_URL, login } from './support/env';

/**
 * The API reference at /api/docs: Swagger UI bundled into the binary renders openapi.yaml offline
 * (every request to another origin is refused here), with Markdown descriptions, an operation with
 * its parameters and response schema, and the app links to it.
 */
test('the API reference loads offline and shows an operation with its schema', async ({ page }) => {
  const origin = new URL(E2E_URL).origin;
  const foreign: string[] = [];
  await page.route(
    (url) => url.origin !== origin,
    async (route) => {
      foreign.push(route.request().url());
      await route.abort();
    },
  );
  const csp: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text());
  });

  await login(page);
  // linked from the header (opens in a new tab)
  const link = page.getByTestId('api-docs-link');
  await expect(link).toHaveAttribute('href', '/api/docs');
  await expect(link).toHaveAccessibleName('APIリファレンス（新しいタブで開きます）');

  await page.goto('/api/docs');
  await expect(page).toHaveTitle('API reference | hrbridge');
  // the spec's title and its Markdown description (backticks rendered as <code>)
  await expect(page.locator('.swagger-ui .info .title')).toContainText('hrbridge');
  await expect(page.locator('.swagger-ui .info .description code').filter({ hasText: 'application/problem+json' }).first()).toBeVisible();

  // one operation, opened: its parameters and the schema of its answer
  const op = page.locator('#operations-integration-listDiffs');
  await expect(op).toContainText('/integrations/jobkan/diffs');
  await op.locator('.opblock-summary-control').click();
  await expect(op.locator('.parameters')).toContainText('direction');
  // the 200 answer's example, generated from the schema, then the schema itself (Model tab)
  const example = op.locator('.responses-wrapper .highlight-code').first();
  await expect(example).toContainText('next_cursor');
  await expect(example).toContainText('employee_number');
  await op.locator('.responses-wrapper [data-name="model"]').first().click();
  await expect(op.locator('.responses-wrapper .model-box').first()).toContainText('DiffPage');

  // the schemas section lists the contract's models
  await expect(page.locator('.swagger-ui section.models')).toContainText('DiffItem');

  expect(foreign, 'requests to other origins').toEqual([]);
  expect(csp, 'CSP violations').toEqual([]);
});
