import { expect, test } from '@grafana/plugin-e2e';
import type { Page } from '@playwright/test';
import { APP_PLUGIN_ID as pluginId } from './engineProxy';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';

skipWithoutGrafana();

const ids = testIds.workflows;

/** Runs the compose stack's demo-shop-faults workflow from its form on the Workflows page; waits for it to succeed. */
async function runFault(page: Page, service: string, kind: string) {
  const editor = page.getByTestId(ids.editor);
  await editor.getByTestId(ids.start).click();
  const form = editor.getByTestId(ids.runForm);
  await form.getByRole('combobox', { name: 'Service' }).click();
  await page.getByRole('option', { name: service, exact: true }).click();
  await form.getByRole('combobox', { name: 'Fault' }).click();
  await page.getByRole('option', { name: kind, exact: true }).click();
  await form.getByTestId(ids.runFormSubmit).click();
  const run = page.getByTestId(ids.run);
  await expect(run.getByTestId(ids.runInputs)).toHaveText(`Inputs: service=${service} · kind=${kind}`);
  await expect(run.getByTestId(ids.runStep).getByRole('cell', { name: 'succeeded', exact: true })).toHaveCount(1, {
    timeout: 30_000,
  });
}

// The Docker path as a newcomer takes it (docker compose up, then GRAFANA_URL=http://localhost:3000): break the shop
// from the app, and the incident it causes appears analysed. Prometheus' rules need a minute of the fault,
// Alertmanager and the incident-analysis workflow less than another.
test('breaking the demo shop from the Workflows page opens an incident with the broken service as its top cause', async ({
  gotoAppPage,
  page,
}) => {
  test.setTimeout(8 * 60_000);
  await gotoAppPage({ pluginId, path: '/workflows', queryParams: new URLSearchParams({ workflow: 'demo-shop-faults' }) });
  await runFault(page, 'payment', 'errors');
  try {
    await expect(async () => {
      await gotoAppPage({ pluginId, path: '/incidents', queryParams: new URLSearchParams({ service: 'payment' }) });
      await expect(page.getByTestId(testIds.incidents.row).first().getByTestId(testIds.incidents.cause)).toContainText(
        'payment',
        { timeout: 5_000 }
      );
    }).toPass({ timeout: 5 * 60_000, intervals: [10_000] });
    await page.getByTestId(testIds.incidents.row).first().getByRole('link').first().click();
    const causes = page.getByTestId(testIds.rootCauses.section).getByTestId(testIds.rootCausePanel.card);
    await expect(causes.first()).toContainText('payment', { timeout: 15_000 });
    await expect(page.getByTestId(testIds.evidence.item).first()).toBeVisible({ timeout: 15_000 });
  } finally {
    await gotoAppPage({ pluginId, path: '/workflows', queryParams: new URLSearchParams({ workflow: 'demo-shop-faults' }) });
    await runFault(page, 'payment', 'clear');
  }
});
