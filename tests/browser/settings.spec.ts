import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { engineSettingsJson } from '../../src/services/testing/engineSettingsJson';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

const ids = testIds.sourceSettings;

test.describe('Settings: data sources the engine reads, in Chromium', () => {
  test('loads the URLs from the engine, saves an edit, and shows a refused URL on its field', async ({ page }) => {
    const errors = await openAppPage(page, 'dark', 'slow', '/settings');
    const section = page.getByTestId(ids.section);
    await expect(section.getByTestId(ids.loading)).toHaveText("Loading the engine's settings…");

    await expect(section.getByLabel('Prometheus URL')).toHaveValue('http://prometheus:9090', { timeout: 10_000 });
    await expect(section.getByLabel('Loki URL')).toHaveValue('');
    await expect(section.getByLabel('Loki tenant (X-Scope-OrgID)')).toHaveValue('');
    await expect(section.getByLabel('Tempo URL')).toHaveValue('http://tempo:3200');
    await expect(section.getByTestId(ids.save)).toBeDisabled();

    await section.getByLabel('Loki URL').fill('http://loki:3100');
    await section.getByLabel('Loki tenant (X-Scope-OrgID)').fill('team-a');
    const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/engine/api/v1/settings'));
    await section.getByTestId(ids.save).click();
    // The slow engine takes 1.5 s: the button says it is working meanwhile.
    await expect(section.getByTestId(ids.save)).toHaveText('Saving…');

    // The whole document goes back: only Loki changed, the read-only flag is left out.
    const { llm, ...others } = engineSettingsJson();
    expect((await put).postDataJSON()).toEqual({
      ...others,
      llm: { baseUrl: llm.baseUrl, model: llm.model },
      loki: { url: 'http://loki:3100', tenant: 'team-a' },
    });
    await expect(section.getByTestId(ids.status)).toContainText('Saved in the engine', { timeout: 10_000 });
    await expect(section.getByTestId(ids.save)).toBeDisabled();
    // The whole page, connection check included, as an admin sees it after saving.
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await savePageScreenshot(page, 'settings-sources');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A URL that passes the page's checks but not the engine's: its 400 lands on the Tempo field.
    await section.getByLabel('Tempo URL').fill('http://tempo:3200/100%');
    await expect(section.getByTestId(ids.status)).toBeEmpty();
    await section.getByTestId(ids.save).click();
    await expect(section.getByLabel('Tempo URL')).toHaveAccessibleDescription(
      'The engine refused this URL: it must match format "uri".',
      { timeout: 10_000 }
    );
    await expect(section.getByLabel('Tempo URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(section.getByTestId(ids.save)).toBeEnabled();
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('stops a URL without its scheme before sending it (light)', async ({ page }) => {
    await openAppPage(page, 'light', 'storm', '/settings');
    const section = page.getByTestId(ids.section);
    let sent = false;
    page.on('request', (r) => {
      sent ||= r.method() === 'PUT';
    });
    await section.getByLabel('Prometheus URL').fill('prometheus:9090');
    await section.getByLabel('Prometheus URL').press('Enter');
    await expect(section.getByLabel('Prometheus URL')).toHaveAccessibleDescription(
      'Start the URL with http:// or https://, for example http://prometheus:9090.'
    );
    expect(sent).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  test('says what failed when the engine cannot be reached', async ({ page }) => {
    await openAppPage(page, 'dark', 'down', '/settings');
    await expect(page.getByTestId(ids.error)).toContainText("Could not load the engine's settings");
    await expect(page.getByTestId(ids.error)).toContainText('Grafana could not reach the engine at http://engine:8686');
    await expect(page.getByTestId(ids.error).getByRole('button', { name: 'Try again' })).toBeVisible();
  });
});
