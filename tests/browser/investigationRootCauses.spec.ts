import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

test.describe('Investigation root causes in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`shows the top three causes, the timeline and the graph with the cause highlighted (${theme})`, async ({
      page,
    }) => {
      const errors = await openAppPage(page, theme, 'storm', '/incidents/inc-7f3a9c');
      const section = page.getByTestId(testIds.rootCauses.section);
      const cards = section.getByTestId(testIds.rootCausePanel.card);
      await expect(cards).toHaveCount(3);
      await expect(cards.nth(0)).toHaveAccessibleName('Root cause 1: checkout, confidence 87%');
      await expect(cards.nth(0).getByTestId(testIds.rootCausePanel.evidence).first()).toHaveText(
        'metriccheckout p99 latency rose from 0.45 s to 2.3 s'
      );
      await expect(section.getByTestId(testIds.rootCauses.method)).toContainText('LLM gpt-4o-mini');
      await expect(section.getByTestId(testIds.rootCauses.analyze)).toHaveText('Analyze again');

      // The suspected cause is the one node drawn as such; the incident's other services are marked too.
      const nodes = section.getByTestId(testIds.rootCauses.graphNode);
      await expect(nodes).toHaveCount(6);
      await expect(section.locator('[data-role="suspected cause"]')).toHaveAttribute('data-service', 'checkout');
      await expect(section.getByTestId(testIds.rootCauses.graphEdge)).toHaveCount(6);
      // Callers are drawn left of the services they call.
      const x = async (service: string) =>
        (await section.locator(`[data-service="${service}"]`).boundingBox())?.x ?? Number.NaN;
      expect(await x('frontend')).toBeLessThan(await x('cart'));
      expect(await x('cart')).toBeLessThan(await x('checkout'));
      expect(await x('checkout')).toBeLessThan(await x('payments-db'));

      // Timeline: the deploy 2 minutes before the first alert, then the anomalies' onsets and the alerts.
      const entries = section.getByTestId(testIds.rootCauses.timelineEntry);
      await expect(entries).toHaveCount(10);
      await expect(entries.nth(1)).toContainText('deploy: checkout v2.4.1');
      await expect(entries.nth(1)).toHaveAttribute('data-lane', 'change');
      await expect(entries.nth(2)).toHaveAttribute('data-lane', 'alert');

      await section.scrollIntoViewIfNeeded();
      if (theme === 'dark') {
        await savePageScreenshot(page, 'investigation-root-causes');
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(errors, 'errors thrown in the page').toEqual([]);
    });
  }

  test('analyses an incident on request, showing progress, and says the LLM was not used', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/incidents/inc-2b81d0');
    const section = page.getByTestId(testIds.rootCauses.section);
    await expect(section.getByTestId(testIds.rootCauses.empty)).toContainText('No root-cause analysis yet', {
      timeout: 10_000,
    });

    const request = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith('/incidents/inc-2b81d0/analyze')
    );
    await section.getByTestId(testIds.rootCauses.analyze).click();
    await request;
    // The slow engine takes 1.5 s: the section says what it is doing meanwhile.
    await expect(section.getByTestId(testIds.rootCauses.analyzing)).toContainText('Analyzing');
    await expect(section.getByTestId(testIds.rootCauses.analyze)).toBeDisabled();

    const cards = section.getByTestId(testIds.rootCausePanel.card);
    await expect(cards).toHaveCount(2, { timeout: 10_000 });
    await expect(cards.nth(0)).toHaveAccessibleName('Root cause 1: orders-db, confidence 74%');
    await expect(section.getByTestId(testIds.rootCauses.method)).toHaveText(
      'Ranked by the dependency graph — LLM not used: no LLM endpoint is configured'
    );
    await expect(section.locator('[data-role="suspected cause"]')).toHaveAttribute('data-service', 'orders-db');

    const feedback = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/feedback'));
    await cards.nth(0).getByRole('button', { name: 'Confirm orders-db as the root cause' }).click();
    expect((await feedback).postDataJSON()).toMatchObject({ service: 'orders-db', verdict: 'confirm' });
    await expect(cards.nth(0).getByRole('status')).toHaveText('Confirmed', { timeout: 10_000 });
    await section.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'investigation-root-causes-analyzed');
  });
});
