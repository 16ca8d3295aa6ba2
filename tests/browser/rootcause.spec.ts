import { expect, type Page, test } from '@playwright/test';
import { openPanel, saveScreenshot } from './panelPage';
import { accessibilityViolations } from './appPage';
import { testIds } from '../../src/components/testIds';

// The main scene is the IntelOps datasource's Root causes query for the latest checkout incident, answered by the
// engine double with the engine's response shapes (see engineDouble.ts): the frames the panel gets in Grafana.

test.describe('Root cause panel in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`shows the top three causes with confidence, evidence, actions and method (${theme})`, async ({ page }) => {
      const panel = await openPanel(page, 'rootcause', 'main', theme);

      const cards = panel.getByTestId(testIds.rootCausePanel.card);
      await expect(cards).toHaveCount(3);
      await expect(cards.nth(0)).toHaveAccessibleName('Root cause 1: checkout, confidence 87%');
      await expect(cards.nth(0)).toContainText('latency');
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.confidence)).toHaveText('87%');
      await expect(cards.nth(0).getByRole('meter')).toHaveAttribute('aria-valuenow', '87');
      await expect(cards.nth(1)).toHaveAccessibleName('Root cause 2: payments, confidence 46%');
      await expect(cards.nth(2)).toHaveAccessibleName('Root cause 3: cart, confidence 12%');
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.evidence)).toHaveText([
        'metriccheckout p99 latency rose from 0.45 s to 2.3 s',
        'tracecheckout span p95 rose from 380 ms to 2900 ms',
        'changedeploy-checkout-4f2c',
      ]);
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.actions)).toContainText(
        'Roll back checkout to v2.4.0'
      );
      await expect(panel.getByTestId(testIds.rootCausePanel.method)).toHaveText('LLM gpt-4o-mini');
      await expect(panel.getByRole('note')).toContainText('1 cause the LLM gave was dropped');

      // The log template chip opens Explore on Loki with its LogQL over the evidence's 52 minutes.
      const href = await cards
        .nth(1)
        .getByRole('link', { name: /Open in Explore: log: New log template in payments/ })
        .getAttribute('href');
      const url = new URL(href ?? '', 'http://grafana.local');
      expect(url.pathname).toBe('/explore');
      const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').intelops;
      expect(pane.datasource).toBe('loki');
      expect(pane.queries[0].expr).toBe('{service_name="payments"} |= "payment gateway timeout after"');
      expect(Number(pane.range.to) - Number(pane.range.from)).toBe(52 * 60_000);

      // The confidence bar is drawn to scale: 87% of its track.
      const track = await cards.nth(0).getByRole('meter').boundingBox();
      const fill = await cards.nth(0).getByRole('meter').locator('div').boundingBox();
      expect(track && fill && Math.round((fill.width / track.width) * 100)).toBe(87);

      await expectNoOverflow(page, theme);
      expect(await accessibilityViolations(page, `[data-theme="${theme}"]`)).toEqual([]);
      if (theme === 'dark') {
        await saveScreenshot(page, 'rootcause');
      }
    });
  }

  test('confirming a cause posts feedback with the Grafana login through the datasource route', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'main', 'dark');
    const first = panel.getByTestId(testIds.rootCausePanel.card).nth(0);
    const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/feedback'));
    await first.getByRole('button', { name: 'Confirm checkout as the root cause' }).click();
    const sent = await request;
    expect(new URL(sent.url()).pathname).toBe(
      '/api/datasources/proxy/uid/storm/engine/api/v1/incidents/inc-7f3a9c/feedback'
    );
    expect(sent.postDataJSON()).toEqual({ service: 'checkout', verdict: 'confirm', by: 'sre-alice' });
    await expect(first.getByRole('status')).toHaveText('Confirmed');
    await expect(first.getByRole('button', { name: 'Confirm checkout as the root cause' })).toHaveAttribute(
      'aria-pressed',
      'true'
    );
  });

  test('says when the LLM was not used and the graph ranking is shown', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'fallback', 'dark');
    await expect(panel.getByTestId(testIds.rootCausePanel.card)).toHaveCount(2);
    await expect(panel.getByRole('note')).toHaveText('Ranked by the dependency graph — LLM not used: LLM unavailable');
    await saveScreenshot(page, 'rootcause-llm-unavailable');
  });

  test('says the incident is not analysed yet', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'notanalysed', 'light');
    await expect(panel.getByTestId(testIds.rootCausePanel.empty)).toContainText('Not analysed yet');
    await expect(panel.getByTestId(testIds.rootCausePanel.empty)).toContainText(
      'incident inc-2b81d0 has no root-cause analysis'
    );
  });

  test('explains what to query when there is no data', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'empty', 'light');
    await expect(panel.getByTestId(testIds.rootCausePanel.empty)).toContainText('No root causes in this data');
  });
});

// A 6x8 dashboard cell: the three cards fit without a scrollbar.
async function expectNoOverflow(page: Page, theme: 'dark' | 'light') {
  const container = page.locator(`[data-theme="${theme}"]`).getByTestId(testIds.rootCausePanel.container);
  const overflow = await container.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(overflow).toBeLessThanOrEqual(0);
}
