import { expect, test, type Page } from '@playwright/test';
import { login, waitForDiffs } from './support/env';

/**
 * The selection list fits common laptop windows (issue 15): at 1366×768 at least 12 rows are fully
 * visible, at 1024×700 at least 6; the list is the one scroll container (the page does not scroll);
 * 社員番号, names and status words never wrap. 連携履歴 and the results table keep their cells on one line.
 * Screenshots of each size are written to test-results/layout-*.png.
 */
const SIZES = [
  { width: 1024, height: 700, minRows: 6 },
  { width: 1366, height: 768, minRows: 12 },
  { width: 1920, height: 1080, minRows: 12 },
] as const;

/**
 * Cells whose text runs over more than one line: the tops of the content's line boxes (a Range over
 * the cell) are compared with the cell's line height, so a tall table row does not count as a wrap.
 */
async function wrappedCells(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => {
        const s = getComputedStyle(el);
        const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).map((r) => r.top);
        return tops.length > 0 && Math.max(...tops) - Math.min(...tops) > line * 0.75;
      })
      .map((el) => (el.textContent ?? '').trim().slice(0, 40)),
  );
}

async function visibleRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid="diff-scroll"]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="diff-list"] > li')].filter((li) => {
      const r = li.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight;
    }).length;
  });
}

test('the selection list, history and results fit at 1024×700, 1366×768 and 1920×1080', async ({ page }, info) => {
  await login(page);
  const measured: Record<string, number> = {};
  for (const size of SIZES) {
    const name = `${size.width}x${size.height}`;
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/integrations/jobkan/jobkan_to_smarthr');
    await waitForDiffs(page);
    await expect(page.locator('[data-testid="diff-list"] > li').first()).toBeVisible();
    await page.screenshot({ path: `${info.project.outputDir}/layout-${name}-selection.png` });

    const rows = await visibleRows(page);
    measured[name] = rows;
    expect(rows, `rows fully visible at ${name}`).toBeGreaterThanOrEqual(size.minRows);

    // one scroll container: the page itself does not scroll, the list does
    const page_ = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollHeight, inner: window.innerHeight }));
    expect(page_.scroll, `page height at ${name}`).toBeLessThanOrEqual(page_.inner + 1);
    const list = await page.getByTestId('diff-scroll').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(list.scroll).toBeGreaterThan(list.client);
    // the header keeps one line
    expect((await page.locator('.app-header').boundingBox())!.height, `header at ${name}`).toBeLessThan(70);

    const wrapped = await wrappedCells(page, '[data-testid="diff-list"] .diff-cell--number, [data-testid="diff-list"] .diff-cell--name, [data-testid="diff-list"] .diff-cell--status, .diff-head .diff-cell');
    expect(wrapped, `wrapped cells at ${name}`).toEqual([]);

    await page.goto('/imports');
    await expect(page.getByRole('heading', { level: 1, name: '連携履歴' })).toBeVisible();
    await page.screenshot({ path: `${info.project.outputDir}/layout-${name}-history.png` });
    if ((await page.getByTestId('history-table').count()) > 0) {
      expect(await wrappedCells(page, '[data-testid="history-table"] td.nowrap, [data-testid="history-table"] th, [data-testid="history-counts"] li'), `history at ${name}`).toEqual([]);
      const detail = page.locator('[data-testid="history-table"] tbody tr').first().getByRole('link');
      await detail.click();
      await expect(page.getByTestId('results-table')).toBeVisible();
      await page.screenshot({ path: `${info.project.outputDir}/layout-${name}-import.png` });
      expect(await wrappedCells(page, '[data-testid="results-table"] td.nowrap, [data-testid="results-table"] th'), `results at ${name}`).toEqual([]);
    }
  }
  console.log(`layout: rows fully visible ${JSON.stringify(measured)}`);
  info.annotations.push({ type: 'rows', description: JSON.stringify(measured) });
});
