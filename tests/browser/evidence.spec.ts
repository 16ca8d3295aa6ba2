import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { accessibilityViolations, APP, openAppPage, savePageScreenshot } from './appPage';

test.describe('Investigation evidence in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`lists the evidence by kind, each one click from Explore (${theme})`, async ({ page }) => {
      const errors = await openAppPage(page, theme, 'storm', '/incidents/inc-7f3a9c');
      const section = page.getByTestId(testIds.evidence.section);
      const groups = section.getByTestId(testIds.evidence.group);
      await expect(groups).toHaveCount(3);
      await expect(groups.getByRole('heading')).toHaveText(['Metric anomalies (2)', 'Log templates (1)', 'Traces (2)']);
      const items = section.getByTestId(testIds.evidence.item);
      await expect(items).toHaveCount(5);
      await expect(items.nth(0)).toContainText('checkout p99 latency rose from 0.45 s to 2.3 s');
      await expect(items.nth(0)).toContainText('score0.86');
      await expect(section.getByTestId(testIds.evidence.source)).toHaveText([
        'Prometheus: read',
        'Loki: read',
        'Tempo: read',
      ]);

      // The Tempo link opens Explore with the TraceQL on the provisioned Tempo datasource over the evidence's range.
      const href = await items.nth(3).getByRole('link', { name: 'Open in Explore' }).getAttribute('href');
      const url = new URL(href ?? '', 'http://grafana.local');
      expect(url.pathname).toBe('/explore');
      const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').intelops;
      expect(pane.datasource).toBe('tempo');
      expect(pane.queries[0]).toMatchObject({
        queryType: 'traceql',
        query: '{ resource.service.name = "payments" && status = error }',
      });
      expect(Number(pane.range.to) - Number(pane.range.from)).toBe(52 * 60_000);

      await section.scrollIntoViewIfNeeded();
      if (theme === 'dark') {
        await savePageScreenshot(page, 'investigation-evidence');
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(errors, 'errors thrown in the page').toEqual([]);
    });
  }

  test('collects evidence on request and shows which sources could not be read', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/incidents/inc-2b81d0');
    const section = page.getByTestId(testIds.evidence.section);
    await expect(section.getByTestId(testIds.evidence.empty)).toContainText('No evidence collected yet', {
      timeout: 10_000,
    });
    await expect(section).toContainText('Not collected yet.');

    const request = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith('/incidents/inc-2b81d0/evidence')
    );
    await section.getByTestId(testIds.evidence.collect).click();
    await request;
    // The slow engine takes 1.5 s: the button says it is working meanwhile.
    await expect(section.getByTestId(testIds.evidence.collect)).toHaveText('Collecting evidence…');
    await expect(section.getByTestId(testIds.evidence.item)).toHaveCount(1, { timeout: 10_000 });
    await expect(section.getByTestId(testIds.evidence.collect)).toHaveText('Collect again');

    const sources = section.getByTestId(testIds.evidence.source);
    await expect(sources.nth(0)).toHaveAttribute('data-state', 'ok');
    await expect(sources.nth(1)).toContainText('Loki: not configured (no Loki URL set).');
    await expect(sources.nth(2)).toContainText('Tempo: failed: Tempo at http://tempo:3200 answered 503');
    await section.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'investigation-evidence-partial');

    await sources.nth(1).getByRole('link', { name: 'Set its URL in Settings' }).click();
    await expect(page).toHaveURL(new RegExp(`${APP}/settings$`));
  });

  test('says what it is loading while the engine answers', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/incidents/inc-7f3a9c');
    await expect(page.getByTestId(testIds.evidence.loading)).toHaveText("Loading the incident's evidence…", {
      timeout: 10_000,
    });
    await expect(page.getByTestId(testIds.evidence.item)).toHaveCount(5, { timeout: 10_000 });
  });
});
