import { expect, test } from '@playwright/test';
import { openPanel, saveScreenshot } from './panelPage';
import { testIds } from '../../src/components/testIds';
import { CHECKOUT_RUN_ID } from '../../src/datasource/testing/agentRunFixtures';

test.describe('Agent trace panel in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`draws the run as a waterfall coloured by span kind (${theme})`, async ({ page }) => {
      const panel = await openPanel(page, 'agenttrace', 'main', theme);

      const rows = panel.getByTestId(testIds.agentTracePanel.row);
      await expect(rows).toHaveCount(8);
      await expect(panel).toContainText('8 spans · 4.10 s');
      await expect(panel.getByRole('list', { name: 'Span kinds' }).getByRole('listitem')).toHaveText([
        'perception',
        'retrieval',
        'LLM',
        'tool',
        'action',
      ]);
      await expect(rows.nth(4)).toContainText('chat gpt-4o-mini');
      await expect(rows.nth(4)).toContainText('1.70 s · 1840 tok');
      await expect(rows.nth(5)).toContainText('query_prometheus');

      // Bars sit where their spans start and last: the LLM call starts 540 ms into the 4.1 s run, for 1.7 s.
      const track = await rows.nth(4).locator(':scope > span:nth-child(2)').boundingBox();
      const bar = await rows.nth(4).locator(':scope > span:nth-child(2) > span').boundingBox();
      expect(track).not.toBeNull();
      expect(bar).not.toBeNull();
      if (track && bar) {
        expect((bar.x - track.x) / track.width).toBeCloseTo(540 / 4100, 2);
        expect(bar.width / track.width).toBeCloseTo(1700 / 4100, 2);
      }

      // Different kinds get different theme colours.
      const colour = (index: number) =>
        rows
          .nth(index)
          .locator('span[style*="background"]')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(new Set([await colour(1), await colour(3), await colour(4), await colour(5), await colour(0)]).size).toBe(
        5
      );
    });
  }

  test('can be read by keyboard', async ({ page }) => {
    const panel = await openPanel(page, 'agenttrace', 'main', 'dark');
    const rows = panel.getByTestId(testIds.agentTracePanel.row);
    await rows.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(4)).toBeFocused();
    await page.keyboard.press('Enter');
    const details = panel.getByTestId(testIds.agentTracePanel.details);
    await expect(details).toContainText('Time to first token380 ms');
    await expect(details).toContainText('Tokens1840');
  });

  test('draws the Agent run query’s trace: an LLM span opens its prompt and completion, the run links to Tempo', async ({
    page,
  }) => {
    const panel = await openPanel(page, 'agenttrace', 'engine', 'dark');
    const rows = panel.getByTestId(testIds.agentTracePanel.row);
    await expect(rows).toHaveCount(8);
    await expect(panel.getByRole('list', { name: 'Span kinds' }).getByRole('listitem')).toHaveText([
      'perception',
      'retrieval',
      'LLM',
      'tool',
      'action',
      'other',
    ]);
    await expect(panel.getByTestId(testIds.agentTracePanel.tempoLink)).toHaveAttribute(
      'href',
      new RegExp(`^/explore\\?.*${CHECKOUT_RUN_ID}`)
    );
    await expect(panel.getByRole('link', { name: /Investigation of inc-7f3a9c/ })).toBeVisible();
    await saveScreenshot(page, 'agenttrace');
    await rows.nth(4).click();
    const events = panel.getByTestId(testIds.agentTracePanel.event);
    await expect(events).toHaveCount(1);
    await expect(events).toContainText('gen_ai.client.inference.operation.details at +1.70 s');
    await expect(events).toContainText('Grafana token [REDACTED]');
  });

  test('says why there is no run when the incident has none', async ({ page }) => {
    const panel = await openPanel(page, 'agenttrace', 'missing', 'light');
    await expect(panel.getByTestId(testIds.agentTracePanel.empty)).toContainText(
      'No agent run for incident inc-d40f13 in the time range'
    );
  });
});
