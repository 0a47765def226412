import { expect, type Locator, type Page } from '@playwright/test';

export const STATUS_TEXT = {
  all: 'すべて',
  unchanged: '差分なし',
  changed: '差分あり',
  new: '新規登録',
  conflict: '取り込めません',
} as const;
export type Filter = keyof typeof STATUS_TEXT;

export function rows(page: Page): Locator {
  return page.locator('[data-testid="diff-list"] > li');
}

export function row(page: Page, employeeNumber: string): Locator {
  return page.locator(`[data-testid="diff-list"] > li[data-employee-number="${employeeNumber}"]`);
}

export async function summary(page: Page, f: Filter): Promise<number> {
  const text = (await page.getByTestId(`summary-${f}`).textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

export async function filterBy(page: Page, f: Filter) {
  await page.locator(`[data-testid="status-filter"] label[data-filter="${f}"]`).click();
  await expect(page.locator(`[data-testid="status-filter"] input[value="${f}"]`)).toBeChecked();
}

export async function search(page: Page, q: string) {
  await page.getByTestId('diff-search').fill(q);
}

export async function selectedCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('selected-count').textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

/** Unticks every row ([選択を解除]). */
export async function clearSelection(page: Page) {
  await filterBy(page, 'all');
  await search(page, '');
  if ((await selectedCount(page)) > 0) await page.getByTestId('clear-selection').click();
  await expect(page.getByTestId('selected-count')).toContainText('0件');
}

/** Finds one employee by search and ticks it. */
export async function selectEmployee(page: Page, employeeNumber: string) {
  await search(page, employeeNumber);
  const r = row(page, employeeNumber);
  await expect(r).toBeVisible();
  await r.getByRole('checkbox').check();
  await search(page, '');
}

/** The 社員番号 of the first `n` rows shown for a filter. */
export async function firstNumbers(page: Page, f: Filter, n: number): Promise<string[]> {
  await filterBy(page, f);
  await expect(rows(page).first()).toBeVisible();
  const all = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-employee-number') ?? ''));
  return all.filter(Boolean).slice(0, n);
}

function rgb(color: string): [number, number, number] {
  const m = color.match(/\d+(\.\d+)?/g)?.map(Number) ?? [0, 0, 0];
  return [m[0], m[1], m[2]];
}
export function isRed(color: string) {
  const [r, g, b] = rgb(color);
  return r >= 120 && r > g * 1.5 && r > b * 1.5;
}
export function isGreen(color: string) {
  const [r, g, b] = rgb(color);
  return g >= 80 && g > r * 1.3 && g > b * 1.3;
}

export async function styleOf(l: Locator) {
  return l.evaluate((e) => {
    const s = getComputedStyle(e);
    return { color: s.color, decoration: s.textDecorationLine };
  });
}
