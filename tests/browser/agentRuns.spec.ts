import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { CHECKOUT_RUN_ID, RUN_IDS } from '../../src/datasource/testing/agentRunFixtures';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

const ids = testIds.agentRuns;

test.describe('Agent runs page in Chromium', () => {
  test('lists the runs and opens one as a waterfall whose spans show their prompts and tool calls (dark)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/agent-runs');
    const rows = page.getByTestId(ids.row);
    await expect(rows).toHaveCount(8);
    await expect(page.getByTestId(ids.summary)).toHaveText('8 runs, 1 failed, 13,350 LLM tokens');
    await expect(rows.nth(2).getByRole('cell')).toHaveText([
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
      'analyze',
      'inc-7f3a9c',
      '4.21 s',
      '3,532',
      'gpt-4o-mini',
      'ok',
      'confirmed checkout',
      '92%',
    ]);
    await expect(rows.nth(4).getByRole('cell').nth(6)).toHaveText('error');

    await rows
      .nth(2)
      .getByRole('button', { name: /^Open the analyze run of inc-7f3a9c/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`run=${CHECKOUT_RUN_ID}`));
    const run = page.getByTestId(ids.run);
    await expect(run.getByRole('heading', { name: /analyze run of inc-7f3a9c/ })).toBeVisible();
    await expect(run.getByTestId(ids.runFacts)).toContainText('Time to first token380 ms');
    const spans = run.getByTestId(testIds.agentTracePanel.row);
    await expect(spans).toHaveCount(8);
    await expect(spans.nth(4)).toContainText('1.70 s · 1840 tok');

    // Bars sit where their spans start and last: the first LLM call starts 540 ms into the 4.21 s run, for 1.7 s.
    const track = await spans.nth(4).locator(':scope > span:nth-child(2)').boundingBox();
    const bar = await spans.nth(4).locator(':scope > span:nth-child(2) > span').boundingBox();
    expect(track && bar).toBeTruthy();
    if (track && bar) {
      expect((bar.x - track.x) / track.width).toBeCloseTo(540 / 4210, 2);
      expect(bar.width / track.width).toBeCloseTo(1700 / 4210, 2);
    }

    await spans.nth(4).click();
    const details = run.getByTestId(testIds.agentTracePanel.details);
    await expect(details.getByTestId(testIds.agentTracePanel.event)).toHaveCount(1);
    await expect(details).toContainText('Grafana token [REDACTED]');
    await expect(details.getByTestId(testIds.agentTracePanel.attributes)).toContainText(
      'gen_ai.usage.output_tokens320'
    );
    const tempo = run.getByRole('link', { name: 'View in Tempo' });
    await expect(tempo).toHaveAttribute('href', new RegExp(`^/explore\\?.*${CHECKOUT_RUN_ID}`));
    await expect(run.getByTestId(ids.investigationLink)).toHaveAttribute(
      'href',
      '/dark/storm/a/intelops-aiops-app/incidents/inc-7f3a9c'
    );

    await page.setViewportSize({ width: 1400, height: 1560 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await savePageScreenshot(page, 'agent-runs');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('opens a run from a link with its incident, filters by kind, and shows a failed run (light)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'light', 'storm', `/agent-runs?incident=inc-7f3a9c&run=${CHECKOUT_RUN_ID}`);
    await expect(page.getByTestId(ids.row)).toHaveCount(3);
    await expect(page.getByTestId(ids.row).nth(2)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId(ids.run).getByTestId(testIds.agentTracePanel.row)).toHaveCount(8);

    await page.getByTestId(ids.filters).getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'judge' }).click();
    await expect(page).toHaveURL(/kind=judge/);
    await expect(page).not.toHaveURL(/run=/);
    await expect(page.getByTestId(ids.row)).toHaveCount(1);
    await expect(page.getByTestId(ids.run)).toHaveCount(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'light', 'storm', `/agent-runs?run=${RUN_IDS.apiGatewayFailed}`);
    const run = page.getByTestId(ids.run);
    await expect(run).toContainText('The run failed');
    await expect(run).toContainText('The LLM endpoint did not answer within 30 s');
    await expect(run.getByTestId(testIds.agentTracePanel.row).first()).toHaveAccessibleName(
      /failed: The LLM endpoint did not answer within 30 s/
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('says what it loads, how runs get recorded when there are none, and what failed when the engine is down', async ({
    page,
  }) => {
    await openAppPage(page, 'dark', 'slow', '/agent-runs');
    await expect(page.getByTestId(ids.loading)).toHaveText('Loading the agent runs from the engine…');
    await expect(page.getByTestId(ids.row)).toHaveCount(8, { timeout: 10_000 });

    await openAppPage(page, 'light', 'quiet', '/agent-runs');
    await expect(page.getByTestId(ids.empty)).toContainText('No agent runs in the selected time range');
    await expect(page.getByTestId(ids.empty)).toContainText('POST /api/v1/incidents/{id}/analyze');
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'dark', 'down', '/agent-runs');
    await expect(page.getByTestId(ids.error)).toContainText('Could not load the agent runs');
    await expect(page.getByTestId(ids.error)).toContainText('Grafana could not reach the engine at http://engine:8686');
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
