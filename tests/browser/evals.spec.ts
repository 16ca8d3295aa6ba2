import { expect, test } from '@playwright/test';
import { openPanel, saveScreenshot } from './panelPage';
import { testIds } from '../../src/components/testIds';

test.describe('Evals panel in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`shows six tiles coloured by threshold and the verdict (${theme})`, async ({ page }) => {
      const panel = await openPanel(page, 'evals', 'main', theme);

      const tiles = panel.getByTestId(testIds.evalsPanel.tile);
      await expect(tiles).toHaveCount(6);
      await expect(tiles.nth(0)).toContainText('P95 latency');
      await expect(tiles.nth(0)).toContainText('2.45 s');
      await expect(tiles.nth(3)).toContainText('Retrieval hit rate');
      await expect(tiles.nth(3)).toContainText('62%');
      await expect(tiles.nth(3)).toHaveAttribute('data-status', 'bad');
      await expect(tiles.nth(0)).toHaveAttribute('data-status', 'good');
      await expect(panel.getByTestId(testIds.evalsPanel.verdict)).toHaveText('!Add indexes or improve tagging.');

      // A failing tile is drawn in the theme's error colour, a passing one in its success colour.
      const border = (index: number) => tiles.nth(index).evaluate((el) => getComputedStyle(el).borderLeftColor);
      expect(await border(3)).not.toBe(await border(0));
    });
  }

  test('screenshot for the README', async ({ page }) => {
    await openPanel(page, 'evals', 'main', 'dark');
    await saveScreenshot(page, 'evals');
  });
});
