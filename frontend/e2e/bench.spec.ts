import { expect, test, type Page, type Route } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { login, waitForDiffs } from './support/env';

/*
 * Browser benchmark of the selection screen with 10,000 employees (run by `npm run bench:e2e`).
 *
 * By default the API is answered inside the browser (page.route) with 10,000 synthetic rows, so the
 * figures are the SPA's own; only the built SPA must be served at HRBRIDGE_E2E_URL (the Go server,
 * or `npx vite preview`). With HRBRIDGE_BENCH_LIVE=1 the real server and sandbox are used instead
 * (start it with HRBRIDGE_SANDBOX_SIZE=10000) and the figures include the server's paging.
 */
const N = Number(process.env.HRBRIDGE_BENCH_ROWS ?? 10_000);
const LIVE = process.env.HRBRIDGE_BENCH_LIVE === '1';
const DIRECTION = 'jobkan_to_smarthr';
const BUDGET_RENDER_MS = Number(process.env.HRBRIDGE_BENCH_RENDER_BUDGET_MS ?? 3000);
const BUDGET_CLICK_MS = Number(process.env.HRBRIDGE_BENCH_CLICK_BUDGET_MS ?? 250);

function synthetic(i: number) {
  const n = String(i + 1).padStart(6, '0');
  const kind = i % 10 === 3 ? 'new' : i % 4 === 1 ? 'changed' : i % 97 === 0 ? 'conflict' : 'unchanged';
  const base: [string, string, string][] = [
    ['last_name', '姓', ['山田', '佐藤', '鈴木', '高橋'][i % 4]],
    ['first_name', '名', ['太郎', '花子', '一郎', '美咲'][i % 4]],
    ['hired_on', '入社年月日', '2020-04-01'],
    ['employment_type', '雇用形態', '正社員'],
    ['phone', '電話番号', `03-${String(1000 + (i % 9000))}-0000`],
    ['birth_date', '生年月日', '1990-01-01'],
  ];
  return {
    employee_number: n,
    display_name: `${base[0][2]} ${base[1][2]}`,
    status: kind,
    fingerprint: `fp${i}`,
    fields:
      kind === 'conflict'
        ? []
        : base.map(([name, label, v], j) => ({
            name,
            label,
            old: kind === 'new' ? null : kind === 'changed' && j === 4 ? '03-0000-0000' : v,
            new: v,
            changed: kind === 'new' || (kind === 'changed' && j === 4),
          })),
    reason: kind === 'conflict' ? 'unmapped_employment_type' : null,
    warnings:
      kind === 'new' && i % 1000 === 3
        ? [{ code: 'similar_employee_number', message: `社員番号「${String(i + 1)}」の従業員がすでに登録されています。` }]
        : [],
  };
}

async function mockApi(page: Page) {
  const items = Array.from({ length: N }, (_, i) => synthetic(i));
  const count = (s: string) => items.filter((x) => x.status === s).length;
  const summary = { unchanged: count('unchanged'), changed: count('changed'), new: count('new'), conflict: count('conflict'), total: N };
  const generated_at = new Date().toISOString();
  const json = (route: Route, body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/api/v1/**', async (route) => {
    const url = new URL(route.request().url());
    const p = url.pathname.replace('/api/v1', '');
    if (p === '/me') return json(route, { id: '00000000-0000-4000-8000-000000000001', email: 'bench@example.com', role: 'admin', auth: 'session' });
    if (p === '/notifications') return json(route, { items: [], unread: 0, next_cursor: null });
    if (p === '/integrations/jobkan/diffs') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const next = start + limit < N ? String(start + limit) : null;
      return json(route, { direction: DIRECTION, generated_at, summary, items: items.slice(start, start + limit), next_cursor: next });
    }
    return route.fulfill({ status: 404, contentType: 'application/problem+json', body: '{"type":"about:blank","title":"Not Found","status":404}' });
  });
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +s[s.length - 1].toFixed(1) };
}

test(`selection screen with ${N} employees`, async ({ page }) => {
  if (LIVE) await login(page);
  else await mockApi(page);

  const t0 = Date.now();
  await page.goto(`/integrations/jobkan/${DIRECTION}`);
  await waitForDiffs(page);
  await expect(page.locator('[data-testid="diff-list"] > li').first()).toBeVisible();
  const wall = Date.now() - t0;
  await expect(page.getByTestId('summary-all')).toHaveText(new Intl.NumberFormat('ja-JP').format(N));

  const marks = await page.evaluate(() => {
    const get = (n: string) => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN;
    return { loaded: get('hrbridge:diffs-loaded'), rendered: get('hrbridge:diffs-rendered') };
  });
  const renderMs = marks.rendered - marks.loaded;
  const renderedRows = await page.locator('[data-testid="diff-list"] > li').count();

  // a checkbox click until React has re-rendered the row and the counter, and the next frame is painted
  const clicks: number[] = await page.evaluate(async () => {
    const out: number[] = [];
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    for (let i = 0; i < 30; i++) {
      const boxes = [...document.querySelectorAll<HTMLInputElement>('[data-testid="diff-list"] > li input[type=checkbox]:not(:disabled)')];
      const cb = boxes[i % boxes.length];
      const counter = document.querySelector('[data-testid="selected-count"]')!;
      const before = counter.textContent;
      const start = performance.now();
      cb.click();
      while (counter.textContent === before) await new Promise((r) => requestAnimationFrame(r));
      await frame();
      out.push(performance.now() - start);
    }
    return out;
  });

  // select all within a filter (all 10,000) and back
  const selectAll: number[] = await page.evaluate(async () => {
    const out: number[] = [];
    const box = document.querySelector<HTMLInputElement>('[data-testid="select-all-in-filter"]')!;
    const counter = document.querySelector('[data-testid="selected-count"]')!;
    for (let i = 0; i < 4; i++) {
      const before = counter.textContent;
      const start = performance.now();
      box.click();
      while (counter.textContent === before) await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      out.push(performance.now() - start);
    }
    return out;
  });

  // search over 10,000 rows for the 社員番号 of the first row shown (whatever the data's numbering)
  const first = page.locator('[data-testid="diff-list"] > li').first();
  const target = (await first.getAttribute('data-employee-number')) ?? '';
  expect(target, 'rows carry their 社員番号').not.toBe('');
  const searchStart = Date.now();
  await page.getByTestId('diff-search').fill(target);
  await expect(page.locator(`[data-testid="diff-list"] > li[data-employee-number="${target}"]`)).toHaveCount(1);
  const searchMs = Date.now() - searchStart;
  await page.getByTestId('diff-search').fill('');

  const report = {
    rows: N,
    mode: LIVE ? 'live server' : 'mocked API (page.route)',
    load_to_first_rows_wall_ms: wall,
    render_after_data_ms: +renderMs.toFixed(1),
    dom_rows_rendered: renderedRows,
    checkbox_click_ms: stats(clicks),
    select_all_toggle_ms: stats(selectAll),
    search_wall_ms: searchMs,
  };
  console.log(`hrbridge selection bench\n${JSON.stringify(report, null, 2)}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-selection.json', JSON.stringify(report, null, 2));
  test.info().annotations.push({ type: 'bench', description: JSON.stringify(report) });

  expect(renderedRows, 'the list is virtualised').toBeLessThan(200);
  expect(renderMs).toBeLessThan(BUDGET_RENDER_MS);
  expect(report.checkbox_click_ms.p95).toBeLessThan(BUDGET_CLICK_MS);
});
