import { expect, type Locator, type Page, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { saveScreenshot } from './panelPage';

async function openEditor(page: Page, queryType: string, theme: 'dark' | 'light'): Promise<Locator> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  const base = process.env.HARNESS_URL;
  if (!base) {
    throw new Error('HARNESS_URL is not set: the Playwright globalSetup (tests/browser/globalSetup.ts) did not run');
  }
  await page.goto(`${base}/?editor=${queryType}`);
  const side = page.locator(`[data-theme="${theme}"]`);
  await expect(side).toBeVisible();
  expect(errors, 'errors thrown in the page').toEqual([]);
  return side;
}

// The inline messages (queryValidation.ts; @grafana/data does not load in Node, so they are matched by their start).
const EMPTY_SELECTOR = /^Enter a LogQL stream selector/;
const EMPTY_EXPR = /^Enter a PromQL query/;

function query(side: Locator) {
  return side.getByTestId('harness-query');
}

test.describe('Query editor in Chromium', () => {
  test('Log templates: asks for a selector inline, then runs with it', async ({ page }) => {
    const side = await openEditor(page, 'logTemplates', 'dark');
    await expect(side.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Log templates');
    await expect(side.getByText(EMPTY_SELECTOR)).toBeVisible();

    const selector = side.getByTestId(testIds.queryEditor.selector);
    await selector.fill('{service_name=~"$service"}');
    await side.getByTestId(testIds.queryEditor.baseline).click();
    await expect(query(side)).toHaveText(
      JSON.stringify({ refId: 'A', queryType: 'logTemplates', selector: '{service_name=~"$service"}' })
    );
    await expect(query(side)).toHaveAttribute('data-runs', '1');
    await expect(side.getByText(EMPTY_SELECTOR)).toHaveCount(0);

    await side.getByTestId(testIds.queryEditor.baseline).fill('one day');
    await side.getByTestId(testIds.queryEditor.templateServices).click();
    await expect(side.getByText('"one day" is not a duration: write one such as 1h or 1d.')).toBeVisible();
  });

  test('Anomalies: a PromQL text area, step and baseline, with inline messages', async ({ page }) => {
    const side = await openEditor(page, 'anomalies', 'light');
    await expect(side.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Anomalies');
    await expect(side.getByText(EMPTY_EXPR)).toBeVisible();

    await side.getByTestId(testIds.queryEditor.expr).fill('sum by (service) (\n  rate(http_requests_total[5m])\n)');
    await side.getByTestId(testIds.queryEditor.step).fill('1m');
    await side.getByTestId(testIds.queryEditor.baseline).click();
    await expect(query(side)).toHaveText(
      JSON.stringify({
        refId: 'A',
        queryType: 'anomalies',
        expr: 'sum by (service) (\n  rate(http_requests_total[5m])\n)',
        step: '1m',
      })
    );
    await expect(side.getByText(EMPTY_EXPR)).toHaveCount(0);
  });

  test('switching to a new query type waits for its query before running', async ({ page }) => {
    const side = await openEditor(page, 'status', 'dark');
    await side.getByTestId(testIds.queryEditor.queryType).click();
    await page.getByRole('option', { name: /Anomalies/ }).click();
    await expect(query(side)).toHaveText(JSON.stringify({ refId: 'A', queryType: 'anomalies' }));
    await expect(query(side)).toHaveAttribute('data-runs', '0');
    await expect(side.getByTestId(testIds.queryEditor.expr)).toBeVisible();

    await side.getByTestId(testIds.queryEditor.queryType).click();
    await page.getByRole('option', { name: /Incidents/ }).click();
    await expect(query(side)).not.toHaveAttribute('data-runs', '0');
  });

  test('screenshot of the Log templates editor', async ({ page }) => {
    const side = await openEditor(page, 'logTemplates', 'dark');
    await side.getByTestId(testIds.queryEditor.selector).fill('{service_name=~"$service"}');
    await side.getByTestId(testIds.queryEditor.baseline).fill('1d');
    await side.getByTestId(testIds.queryEditor.queryType).focus();
    await saveScreenshot(page, 'query-editor-log-templates');
  });

  test('screenshot of the Anomalies editor', async ({ page }) => {
    const side = await openEditor(page, 'anomalies', 'dark');
    await side.getByTestId(testIds.queryEditor.expr).fill('sum by (service) (rate(http_requests_total[5m]))');
    await side.getByTestId(testIds.queryEditor.step).fill('1m');
    await side.getByTestId(testIds.queryEditor.baseline).fill('1d');
    await side.getByTestId(testIds.queryEditor.queryType).focus();
    await saveScreenshot(page, 'query-editor-anomalies');
  });
});
