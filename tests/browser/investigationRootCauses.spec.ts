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
    // Each step as the engine reports it (GET …/analysis): two finished, one running.
    const steps = section.getByRole('list', { name: 'Analysis steps' }).getByRole('listitem');
    await expect(steps).toHaveText([
      'services and changes around it (done)',
      'evidence from logs, metrics and traces (done)',
      'ranking the causes (running)',
    ]);

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

  test('answers questions about the incident with evidence chips, sending the conversation as history', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/incidents/inc-7f3a9c');
    const box = page.getByTestId(testIds.incidentQuestion.section);
    await expect(box.getByRole('heading', { name: 'Ask about this incident' })).toBeVisible();
    const input = box.getByTestId(testIds.incidentQuestion.input);
    await expect(box.getByTestId(testIds.incidentQuestion.ask)).toBeDisabled();

    await input.fill('What happened first?');
    const first = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/incidents/inc-7f3a9c/ask'));
    await box.getByTestId(testIds.incidentQuestion.ask).click();
    expect((await first).postDataJSON()).toEqual({ question: 'What happened first?', history: [] });
    const turns = box.getByTestId(testIds.incidentQuestion.turn);
    await expect(turns).toHaveCount(1);
    await expect(turns.nth(0).getByTestId(testIds.incidentQuestion.answer)).toHaveText(
      'With 0 earlier questions read: checkout p99 latency rose 2 minutes after the checkout v2.4.1 deploy, before payments slowed.'
    );
    const chips = turns.nth(0).getByTestId(testIds.rootCausePanel.evidence);
    await expect(chips).toHaveText([
      'metriccheckout p99 latency rose from 0.45 s to 2.3 s',
      'changedeploy-checkout-4f2c',
    ]);
    await expect(chips.nth(0).getByRole('link')).toHaveAttribute('href', /\/explore\?/);
    await expect(turns.nth(0).getByTestId(testIds.incidentQuestion.tools)).toHaveText(
      'Tools used: get_evidence · gpt-4o-mini'
    );
    await expect(input).toHaveValue('');

    // Enter asks too; the first turn goes along as history.
    const second = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/incidents/inc-7f3a9c/ask'));
    await input.fill('What should I roll back?');
    await input.press('Enter');
    expect((await second).postDataJSON()).toMatchObject({
      question: 'What should I roll back?',
      history: [{ question: 'What happened first?' }],
    });
    await expect(turns).toHaveCount(2);
    await expect(turns.nth(1).getByTestId(testIds.incidentQuestion.answer)).toContainText(
      'With 1 earlier question read'
    );

    await box.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'investigation-question');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('says how to configure an LLM when the engine has none', async ({ page }) => {
    await openAppPage(page, 'light', 'storm', '/incidents/inc-2b81d0');
    const box = page.getByTestId(testIds.incidentQuestion.section);
    await box.getByTestId(testIds.incidentQuestion.input).fill('Why?');
    await box.getByTestId(testIds.incidentQuestion.ask).click();
    const problem = box.getByTestId(testIds.incidentQuestion.problem);
    await expect(problem).toHaveAttribute('data-state', 'no-llm');
    await expect(problem).toContainText('No LLM configured');
    await expect(problem).toContainText('Set the LLM base URL and model on the IntelOps Settings page');
    await expect(box.getByTestId(testIds.incidentQuestion.turn)).toHaveCount(0);
  });
});
