import { expect, test } from '@playwright/test';
import { accessibilityViolations, APP, openAppPage, savePageScreenshot } from './appPage';
import { testIds } from '../../src/components/testIds';

test.describe('Incidents page in Chromium', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`lists the incidents with severity colours, services, counts and status (${theme})`, async ({ page }) => {
      const errors = await openAppPage(page, theme, 'storm', '/incidents');

      const rows = page.getByTestId(testIds.incidents.row);
      await expect(rows).toHaveCount(5);
      await expect(page.getByRole('columnheader')).toHaveText([
        'Severity',
        'Title',
        'Services',
        'Started',
        'Duration',
        'Alerts',
        'Status',
        'Suspected cause',
      ]);
      await expect(rows.nth(0).getByRole('cell')).toHaveText([
        'critical',
        'HighLatency checkout p99 above 2 s',
        'checkoutpaymentscart',
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
        /^4[23]m$/,
        '6',
        'Open',
        'checkoutlatency87%',
      ]);
      // Not analysed yet: said in muted text, not left blank.
      await expect(rows.nth(1).getByRole('cell').nth(7)).toHaveText('Not analysed');
      const colour = (cell: ReturnType<typeof rows.nth>) =>
        cell
          .locator('span')
          .first()
          .evaluate((el) => getComputedStyle(el).color);
      const muted = await colour(rows.nth(1).getByTestId(testIds.incidents.cause));
      expect(muted).not.toBe(await colour(rows.nth(0).getByTestId(testIds.incidents.cause).locator('span').first()));
      await expect(rows.nth(2).getByRole('cell').nth(6)).toHaveText('Resolving');
      await expect(rows.nth(3).getByRole('cell').nth(1)).toHaveText('DiskSpaceLow logging-node-3 below 10%');
      await expect(rows.nth(3).getByRole('cell').nth(4)).toHaveText('38m');
      await expect(rows.nth(3).getByRole('cell').nth(6)).toHaveText('Resolved');
      await expect(rows.nth(4).getByRole('cell').nth(2)).toHaveText('search-indexerkafkasearch+1 more');
      await expect(page.getByTestId(testIds.incidents.summary)).toHaveText('5 incidents (3 ongoing) from 16 alerts');

      // Severity pills: four severities, four different theme colours; text stays readable on each.
      const pill = (row: number) => rows.nth(row).getByRole('cell').nth(0).locator('span').first();
      const colours = await Promise.all(
        [0, 1, 2, 3].map((row) => pill(row).evaluate((el) => getComputedStyle(el).backgroundColor))
      );
      expect(new Set(colours).size).toBe(4);
      await expect(pill(0)).toHaveAttribute('data-colour', 'red');
      await expect(pill(2)).toHaveAttribute('data-colour', 'blue');

      await savePageScreenshot(page, theme === 'dark' ? 'incidents' : 'incidents-light');
      expect(errors, 'errors thrown in the page').toEqual([]);
    });
  }

  test('a row opens the investigation: header and why each alert joined', async ({ page }) => {
    await openAppPage(page, 'dark', 'storm', '/incidents');
    // Click the row outside its title link: the whole row opens the incident.
    await page.getByTestId(testIds.incidents.row).nth(0).getByRole('cell').nth(5).click();
    await expect(page).toHaveURL(new RegExp(`/dark/storm${APP}/incidents/inc-7f3a9c$`));

    const header = page.getByTestId(testIds.investigation.header);
    await expect(header.getByRole('heading', { name: 'HighLatency checkout p99 above 2 s' })).toBeVisible();
    await expect(header).toContainText('critical');
    await expect(header).toContainText('Open');
    await expect(header).toContainText('Servicescheckout, payments, cart');
    await expect(header).toContainText('Alerts6');

    const alerts = page.getByTestId(testIds.investigation.alertRow);
    await expect(alerts).toHaveCount(6);
    await expect(alerts.nth(0)).toContainText('Started the incident');
    await expect(alerts.nth(2)).toContainText('Topology score 0.86checkout calls payments (1 hop), 2 min apart');
    await expect(page.getByTestId(testIds.investigation.grouping)).toHaveText(
      'Joined by topology (2 alerts), same service (1 alert), same alert (1 alert), similar text (1 alert).'
    );
    await savePageScreenshot(page, 'investigation');

    await page.getByRole('link', { name: 'All incidents' }).click();
    await expect(page.getByTestId(testIds.incidents.row)).toHaveCount(5);
  });

  test('the title is a link a keyboard reaches', async ({ page }) => {
    await openAppPage(page, 'light', 'storm', '/incidents');
    const link = page.getByRole('link', { name: 'PostgresReplicationLag orders-db replica 45 s behind' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${APP}/incidents/inc-2b81d0$`));
    await expect(page.getByTestId(testIds.investigation.alertRow)).toHaveCount(3);
  });

  test('filters are kept in the URL and sent to the engine', async ({ page }) => {
    await openAppPage(page, 'dark', 'storm', '/incidents?severity=high');
    const rows = page.getByTestId(testIds.incidents.row);
    await expect(rows).toHaveCount(2);

    const request = page.waitForRequest((r) => r.url().includes('/api/v1/incidents?') && r.url().includes('status='));
    await page.getByTestId(testIds.incidents.status).click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    expect(new URL((await request).url()).searchParams.get('status')).toBe('resolved');
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0)).toContainText('KafkaConsumerLag search-indexer');
    await expect(page).toHaveURL(/\?status=resolved&severity=high$/);

    // The URL alone brings the same list back.
    await page.reload();
    await expect(rows).toHaveCount(1);
    await page.getByTestId(testIds.incidents.clearFilters).click();
    await expect(rows).toHaveCount(5);
    await expect(page).toHaveURL(new RegExp(`${APP}/incidents$`));
  });

  test('shows what it is loading while the engine answers', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/incidents');
    await expect(page.getByTestId(testIds.incidents.loading)).toHaveText('Loading incidents from the engine…');
    await expect(page.getByTestId(testIds.incidents.row)).toHaveCount(5);
    await expect(page.getByTestId(testIds.incidents.loading)).toHaveCount(0);
  });

  test('says where to send alerts when there are no incidents', async ({ page }) => {
    await openAppPage(page, 'dark', 'quiet', '/incidents');
    const empty = page.getByTestId(testIds.incidents.empty);
    await expect(empty).toContainText('No incidents in the selected time range');
    await expect(empty).toContainText('Send alerts to http://engine:8686/api/v1/alerts/alertmanager');
    await expect(empty.getByRole('link', { name: 'Inject a fault into the demo shop' })).toHaveAttribute(
      'href',
      /\/workflows\?workflow=demo-shop-faults$/
    );
    await savePageScreenshot(page, 'incidents-empty');
  });

  test('says what failed and what to do when the engine is down', async ({ page }) => {
    await openAppPage(page, 'light', 'down', '/incidents');
    const error = page.getByTestId(testIds.incidents.error);
    await expect(error).toContainText('Could not load the incidents');
    await expect(error).toContainText(
      'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.'
    );
    await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  test('auto-refresh defaults to 30 s and the time range to the last 6 hours', async ({ page }) => {
    await openAppPage(page, 'dark', 'storm', '/incidents');
    const toolbar = page.getByTestId(testIds.incidents.filters);
    await expect(toolbar).toContainText('Last 6 hours');
    await expect(toolbar).toContainText('30s');

    await toolbar.getByRole('button', { name: /Time range selected/ }).click();
    await page.getByText('Last 24 hours').click();
    await expect(page).toHaveURL(/from=now-24h&to=now/);
    await expect(page.getByTestId(testIds.incidents.row)).toHaveCount(5);
  });

  for (const theme of ['dark', 'light'] as const) {
    test(`the list and the investigation pass axe's accessibility checks (${theme})`, async ({ page }) => {
      await openAppPage(page, theme, 'storm', '/incidents');
      await expect(page.getByTestId(testIds.incidents.row)).toHaveCount(5);
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'HighLatency checkout p99 above 2 s' }).click();
      await expect(page.getByTestId(testIds.investigation.alertRow)).toHaveCount(6);
      expect(await accessibilityViolations(page)).toEqual([]);
    });
  }
});
