import { expect, test } from '@grafana/plugin-e2e';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';

skipWithoutGrafana();

const pluginId = 'intelops-aiops-app';

test('the app configuration page checks the engine connection', async ({ gotoAppConfigPage, page }) => {
  await gotoAppConfigPage({ pluginId });
  await expect(page.getByText('IntelOps reaches its engine through the IntelOps datasource')).toBeVisible();
  await expect(page.getByTestId(testIds.engineConnection.container)).toBeVisible();
  await expect(page.getByTestId(testIds.engineConnection.status)).not.toContainText('Checking', {
    timeout: 15_000,
  });
});

test('the Incidents page lists incidents, or says how to get them', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/incidents' });
  await expect(page.getByTestId(testIds.pages.incidents)).toBeVisible();
  await expect(page.getByTestId(testIds.incidents.filters)).toContainText('Last 6 hours');
  // Whatever the engine holds, the page settles on one of its designed states.
  const settled = page
    .getByTestId(testIds.incidents.table)
    .or(page.getByTestId(testIds.incidents.empty))
    .or(page.getByTestId(testIds.incidents.error));
  await expect(settled).toBeVisible({ timeout: 15_000 });
  if (await page.getByTestId(testIds.incidents.empty).isVisible()) {
    await expect(page.getByText(/\/api\/v1\/alerts\/alertmanager/)).toBeVisible();
  }
});

test('an incident link opens the investigation page', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/incidents/no-such-incident' });
  await expect(page.getByTestId(testIds.pages.investigation)).toBeVisible();
  await expect(page.getByTestId(testIds.investigation.error)).toBeVisible({ timeout: 15_000 });
});

test('the Settings page shows the live engine check', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/settings' });
  await expect(page.getByTestId(testIds.pages.settings)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Engine connection' })).toBeVisible();
});
