import { expect, test } from '@playwright/test';
import { openPanel, saveScreenshot } from './panelPage';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';
import { testIds } from '../../src/components/testIds';
import { EVALS_SUMMARY, NO_DATA_SUMMARY, RUN_IDS } from '../../src/datasource/testing/agentRunFixtures';

test.describe('Evals panel in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`shows the tiles coloured by threshold and the verdict (${theme})`, async ({ page }) => {
      const panel = await openPanel(page, 'evals', 'main', theme);

      const tiles = panel.getByTestId(testIds.evalsPanel.tile);
      await expect(tiles).toHaveCount(7);
      await expect(tiles.nth(0)).toContainText('P95 latency');
      await expect(tiles.nth(0)).toContainText('2.45 s');
      await expect(tiles.nth(3)).toContainText('Retrieval hit rate');
      await expect(tiles.nth(3)).toContainText('62%');
      await expect(tiles.nth(3)).toHaveAttribute('data-status', 'bad');
      await expect(tiles.nth(0)).toHaveAttribute('data-status', 'good');
      await expect(tiles.nth(6)).toHaveAttribute('data-status', 'unknown');
      await expect(panel.getByTestId(testIds.evalsPanel.verdict)).toHaveText('!Add indexes or improve tagging.');

      // A failing tile is drawn in the theme's error colour, a passing one in its success colour.
      const border = (index: number) => tiles.nth(index).evaluate((el) => getComputedStyle(el).borderLeftColor);
      expect(await border(3)).not.toBe(await border(0));
    });
  }

  test('reads the Evals query: the engine’s verdict and thresholds, sparklines and the worst runs', async ({
    page,
  }) => {
    const panel = await openPanel(page, 'evals', 'engine', 'dark');
    await expect(panel.getByTestId(testIds.evalsPanel.verdict)).toHaveText(`!${EVALS_SUMMARY}`);
    const tiles = panel.getByTestId(testIds.evalsPanel.tile);
    await expect(tiles.nth(0)).toHaveAttribute('aria-label', 'P95 latency: 3.42 s, failing (bad above 3.00 s)');
    await expect(tiles.nth(6)).toHaveAttribute('aria-label', 'Faithfulness: 86%, passing (bad below 80%)');
    await expect(panel.getByTestId(testIds.evalsPanel.sparkline)).toHaveCount(5);
    const worst = panel.getByTestId(testIds.evalsPanel.worstRun);
    await expect(worst).toHaveCount(3);
    await expect(worst.nth(0).getByRole('link')).toHaveAttribute(
      'href',
      `/a/intelops-aiops-app/agent-runs?run=${RUN_IDS.apiGatewayFailed}`
    );
  });

  test('screenshot for the README', async ({ page }) => {
    await openPanel(page, 'evals', 'engine', 'dark');
    await saveScreenshot(page, 'evals');
  });
});

test.describe('Evals page in Chromium', () => {
  test('shows the verdict in words, the scorecard with its thresholds, the trend and the worst runs (dark)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/evals');
    const verdict = page.getByTestId(testIds.evalsPage.verdict);
    await expect(verdict.getByRole('heading', { name: 'Needs attention' })).toBeVisible();
    await expect(verdict).toContainText(EVALS_SUMMARY);
    await expect(page.getByTestId(testIds.evalsPage.finding)).toHaveText([
      'P95 latency 3.42 s is over its threshold of 3.00 s: optimise the retrieval path',
      'Retrieval hit rate 61% is under its threshold of 70%: add indexes or improve tagging',
    ]);
    const tiles = page.getByTestId(testIds.evalsPanel.tile);
    await expect(tiles).toHaveCount(7);
    await expect(tiles.nth(0)).toHaveAttribute('data-status', 'bad');
    await expect(tiles.nth(0)).toContainText('bad above 3.00 s');
    await expect(page.getByTestId(testIds.evalsPanel.sparkline)).toHaveCount(5);
    await expect(page.getByTestId(testIds.evalsPage.trend).getByRole('row')).toHaveCount(13);

    await page.setViewportSize({ width: 1400, height: 1340 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await savePageScreenshot(page, 'evals-page');
    expect(await accessibilityViolations(page)).toEqual([]);

    const worst = page.getByTestId(testIds.evalsPage.worst).getByTestId(testIds.agentRuns.row);
    await expect(worst).toHaveCount(3);
    await worst
      .nth(1)
      .getByRole('button', { name: /^Open the analyze run of inc-91aa47/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`/agent-runs\\?run=${RUN_IDS.loggingAnalysis}$`));
    await expect(page.getByTestId(testIds.agentRuns.run)).toContainText('Claims the judge found unsupported');
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('is readable in the light theme, and says what it loads, when there is no data and when the engine is down', async ({
    page,
  }) => {
    await openAppPage(page, 'light', 'storm', '/evals?from=now-7d&to=now');
    await expect(page.getByTestId(testIds.evalsPanel.tile)).toHaveCount(7);
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'dark', 'slow', '/evals');
    await expect(page.getByTestId(testIds.evalsPage.loading)).toHaveText('Loading the evals from the engine…');
    await expect(page.getByTestId(testIds.evalsPanel.tile)).toHaveCount(7, { timeout: 10_000 });

    await openAppPage(page, 'light', 'quiet', '/evals');
    await expect(page.getByTestId(testIds.evalsPage.empty)).toContainText(
      'No analyses to evaluate in the selected time range'
    );
    await expect(page.getByTestId(testIds.evalsPage.empty)).toContainText(NO_DATA_SUMMARY);
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'dark', 'down', '/evals');
    await expect(page.getByTestId(testIds.evalsPage.error)).toContainText('Could not load the evals');
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
