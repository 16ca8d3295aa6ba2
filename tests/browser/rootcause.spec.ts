import { expect, type Page, test } from '@playwright/test';
import { openPanel, saveScreenshot } from './panelPage';
import { testIds } from '../../src/components/testIds';

test.describe('Root cause panel in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`shows the top three causes with confidence, evidence and method (${theme})`, async ({ page }) => {
      const panel = await openPanel(page, 'rootcause', 'main', theme);

      const cards = panel.getByTestId(testIds.rootCausePanel.card);
      await expect(cards).toHaveCount(3);
      await expect(cards.nth(0)).toHaveAccessibleName('Root cause 1: checkout, confidence 87%');
      await expect(cards.nth(0)).toContainText('checkout');
      await expect(cards.nth(0)).toContainText('p99 latency');
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.confidence)).toHaveText('87%');
      await expect(cards.nth(0).getByRole('meter')).toHaveAttribute('aria-valuenow', '87');
      await expect(cards.nth(1)).toContainText('payments-db');
      await expect(cards.nth(1).getByTestId(testIds.rootCausePanel.confidence)).toHaveText('46%');
      await expect(cards.nth(2)).toContainText('cart');
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.evidence)).toHaveText([
        'metriccheckout p99 3.2 s',
        'changedeploy 4f2c',
        'logtimeout after <*> ms',
      ]);
      await expect(cards.nth(1).getByTestId(testIds.rootCausePanel.evidence)).toHaveText([
        'metricpg pool 100%',
        'trace7be2a9',
      ]);
      await expect(panel.getByTestId(testIds.rootCausePanel.method)).toHaveText('Method: LLM, model gpt-4o-mini');
      await expect(panel.getByRole('note')).toHaveCount(0);

      // The confidence bar is drawn to scale: 87% of its track.
      const track = await cards.nth(0).getByRole('meter').boundingBox();
      const fill = await cards.nth(0).getByRole('meter').locator('div').boundingBox();
      expect(track && fill && Math.round((fill.width / track.width) * 100)).toBe(87);

      await expectNoOverflow(page, theme);
    });
  }

  test('says when the LLM was unavailable and the graph ranking is shown', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'fallback', 'dark');
    await expect(panel.getByTestId(testIds.rootCausePanel.card)).toHaveCount(2);
    await expect(panel.getByTestId(testIds.rootCausePanel.method)).toHaveText('Method: graph ranking');
    await expect(panel.getByRole('note')).toHaveText('⚠ LLM unavailable: showing the deterministic graph ranking.');
    await saveScreenshot(page, 'rootcause-llm-unavailable');
  });

  test('explains what to query when there is no data', async ({ page }) => {
    const panel = await openPanel(page, 'rootcause', 'empty', 'light');
    await expect(panel.getByTestId(testIds.rootCausePanel.empty)).toContainText('No root causes in this data');
  });

  test('screenshot for the README', async ({ page }) => {
    await openPanel(page, 'rootcause', 'main', 'dark');
    await saveScreenshot(page, 'rootcause');
  });
});

// A 6x8 dashboard cell: the three cards fit without a scrollbar.
async function expectNoOverflow(page: Page, theme: 'dark' | 'light') {
  const container = page.locator(`[data-theme="${theme}"]`).getByTestId(testIds.rootCausePanel.container);
  const overflow = await container.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(overflow).toBeLessThanOrEqual(0);
}
