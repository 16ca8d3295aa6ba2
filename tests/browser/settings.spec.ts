import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { engineSettingsJson } from '../../src/services/testing/engineSettingsJson';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

const ids = testIds.sourceSettings;

test.describe('Settings: what the engine reads, the LLM it asks and its change annotations, in Chromium', () => {
  test('loads the settings from the engine, saves an edit, and shows a refused URL on its field', async ({ page }) => {
    const errors = await openAppPage(page, 'dark', 'slow', '/settings');
    const section = page.getByTestId(ids.section);
    await expect(section.getByTestId(ids.loading)).toHaveText("Loading the engine's settings…");

    await expect(section.getByLabel('Prometheus URL')).toHaveValue('http://prometheus:9090', { timeout: 10_000 });
    await expect(section.getByLabel('Loki URL')).toHaveValue('');
    await expect(section.getByLabel('Loki tenant (X-Scope-OrgID)')).toHaveValue('');
    await expect(section.getByLabel('Tempo URL')).toHaveValue('http://tempo:3200');
    const llm = section.getByRole('region', { name: 'LLM' });
    await expect(llm.getByLabel('LLM base URL')).toHaveValue('http://ollama:11434/v1');
    await expect(llm.getByLabel('Model')).toHaveValue('llama3.1');
    await expect(llm.getByTestId(ids.llmApiKey)).toContainText('API key: not set.');
    await expect(llm).toContainText('Without an LLM it answers with its deterministic ranking of the evidence.');
    const changes = section.getByRole('region', { name: 'Change annotations' });
    await expect(changes.getByLabel('Grafana URL')).toHaveValue('');
    await expect(changes.getByLabel('Change tag')).toHaveAttribute('placeholder', 'deploy');
    await expect(section.getByTestId(ids.save)).toBeDisabled();

    await section.getByLabel('Loki URL').fill('http://loki:3100');
    await section.getByLabel('Loki tenant (X-Scope-OrgID)').fill('team-a');
    await llm.getByLabel('Model').fill('llama3.1:70b');
    await changes.getByLabel('Grafana URL').fill('http://grafana:3000');
    await changes.getByLabel('Change tag').fill('release');
    const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/engine/api/v1/settings'));
    await section.getByTestId(ids.save).click();
    // The slow engine takes 1.5 s: the button says it is working meanwhile.
    await expect(section.getByTestId(ids.save)).toHaveText('Saving…');

    // The whole document goes back: only the edited fields changed, the read-only key flag is left out.
    const { llm: loadedLlm, ...others } = engineSettingsJson();
    expect((await put).postDataJSON()).toEqual({
      ...others,
      llm: { baseUrl: loadedLlm.baseUrl, model: 'llama3.1:70b' },
      loki: { url: 'http://loki:3100', tenant: 'team-a' },
      grafana: { url: 'http://grafana:3000', changeTag: 'release' },
    });
    await expect(section.getByTestId(ids.status)).toContainText('Saved in the engine', { timeout: 10_000 });
    await expect(section.getByTestId(ids.save)).toBeDisabled();
    // The whole page, connection check included, as an admin sees it after saving.
    await page.setViewportSize({ width: 1400, height: 1800 });
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

  test('stops URLs without their scheme before sending them, and shows a refused LLM URL (light)', async ({ page }) => {
    await openAppPage(page, 'light', 'storm', '/settings');
    const section = page.getByTestId(ids.section);
    let sent = false;
    page.on('request', (r) => {
      sent ||= r.method() === 'PUT';
    });
    await section.getByLabel('Grafana URL').fill('grafana:3000');
    await section.getByLabel('Prometheus URL').fill('prometheus:9090');
    await section.getByLabel('Prometheus URL').press('Enter');
    await expect(section.getByLabel('Prometheus URL')).toHaveAccessibleDescription(
      'Start the URL with http:// or https://, for example http://prometheus:9090.'
    );
    await expect(section.getByLabel('Grafana URL')).toHaveAccessibleDescription(
      'Start the URL with http:// or https://, for example http://grafana:3000.'
    );
    expect(sent).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Fixed, with an LLM URL the page lets through but the engine's "uri" format does not: the 400 lands on it.
    await section.getByLabel('Prometheus URL').fill('http://prometheus:9090');
    await section.getByLabel('Grafana URL').fill('http://grafana:3000');
    await section.getByLabel('LLM base URL').fill('http://ollama:11434/v1/{model}');
    await section.getByTestId(ids.save).click();
    await expect(section.getByLabel('LLM base URL')).toHaveAccessibleDescription(
      'The engine refused this URL: it must match format "uri".'
    );
    await expect(section.getByLabel('LLM base URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(section.getByLabel('Grafana URL')).not.toHaveAttribute('aria-invalid', 'true');
  });

  test('tests the LLM with the values as typed, before saving: pending, answered, refused', async ({ page }) => {
    const errors = await openAppPage(page, 'dark', 'slow', '/settings');
    const llm = page.getByTestId(ids.section).getByRole('region', { name: 'LLM' });
    await expect(llm.getByLabel('Model')).toHaveValue('llama3.1', { timeout: 10_000 });
    const button = llm.getByRole('button', { name: 'Test LLM' });
    const result = llm.getByTestId(ids.llmTestResult);

    const first = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/engine/api/v1/llm/test'));
    await button.click();
    // The slow engine takes 1.5 s: the button says it is working and cannot be pressed twice.
    await expect(llm.getByTestId(ids.llmTest)).toHaveText('Testing the LLM…');
    await expect(llm.getByTestId(ids.llmTest)).toBeDisabled();
    expect((await first).postDataJSON()).toEqual({ baseUrl: 'http://ollama:11434/v1', model: 'llama3.1' });
    await expect(result).toContainText('The LLM answered in 184 ms', { timeout: 10_000 });
    await expect(result).toContainText('Model llama3.1 replied “OK”.');

    // Values not saved: an endpoint that needs the key the engine does not have.
    await llm.getByLabel('LLM base URL').fill('https://api.openai.com/v1');
    await expect(result).toBeEmpty();
    await llm.getByLabel('Model').fill('gpt-4o-mini');
    const second = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/engine/api/v1/llm/test'));
    await button.click();
    expect((await second).postDataJSON()).toEqual({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
    await expect(result).toContainText('The LLM did not answer', { timeout: 10_000 });
    await expect(result).toContainText(
      "LLM endpoint answered HTTP 401: You didn't provide an API key. (model gpt-4o-mini, after 96 ms)"
    );
    await expect(page.getByTestId(ids.save)).toBeEnabled();
    await page.setViewportSize({ width: 1400, height: 1800 });
    await llm.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'settings-llm-test');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('says what failed when the engine cannot be reached', async ({ page }) => {
    await openAppPage(page, 'dark', 'down', '/settings');
    await expect(page.getByTestId(ids.error)).toContainText("Could not load the engine's settings");
    await expect(page.getByTestId(ids.error)).toContainText('Grafana could not reach the engine at http://engine:8686');
    await expect(page.getByTestId(ids.error).getByRole('button', { name: 'Try again' })).toBeVisible();
  });
});
