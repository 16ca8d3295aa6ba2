import { expect, test } from '@grafana/plugin-e2e';
import { APP_PLUGIN_ID as pluginId } from './engineProxy';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';

skipWithoutGrafana();

test('the app configuration page checks the engine connection', async ({ gotoAppConfigPage, page }) => {
  await gotoAppConfigPage({ pluginId });
  await expect(page.getByText('IntelOps reaches its engine through the IntelOps datasource')).toBeVisible();
  await expect(page.getByTestId(testIds.engineConnection.container)).toBeVisible();
  await expect(page.getByTestId(testIds.engineConnection.status)).not.toContainText('Checking', {
    timeout: 15_000,
  });
});

// Each page in the app's navigation (src/plugin.json): its title, and the states it settles on with the engine up:
// its data or its empty state, never its error.
const PAGES = [
  {
    title: 'Incidents',
    path: '/incidents',
    page: testIds.pages.incidents,
    settled: [testIds.incidents.table, testIds.incidents.empty],
  },
  {
    title: 'Agent runs',
    path: '/agent-runs',
    page: testIds.pages.agentRuns,
    settled: [testIds.agentRuns.table, testIds.agentRuns.empty],
  },
  {
    title: 'Evals',
    path: '/evals',
    page: testIds.pages.evals,
    settled: [testIds.evalsPage.verdict, testIds.evalsPage.empty],
  },
  { title: 'Knowledge', path: '/knowledge', page: testIds.pages.knowledge, settled: [] },
  {
    title: 'Workflows',
    path: '/workflows',
    page: testIds.pages.workflows,
    settled: [testIds.workflows.list, testIds.workflows.listEmpty],
  },
  {
    title: 'Settings',
    path: '/settings',
    page: testIds.pages.settings,
    settled: [testIds.sourceSettings.form],
  },
];

for (const { title, path, page: pageId, settled } of PAGES) {
  test(`the ${title} page loads with its title and settles on its data or its empty state`, async ({
    gotoAppPage,
    page,
  }) => {
    await gotoAppPage({ pluginId, path });
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByTestId(pageId)).toBeVisible();
    const [first, ...others] = settled.map((id) => page.getByTestId(id));
    if (first) {
      await expect(others.reduce((either, next) => either.or(next), first)).toBeVisible({ timeout: 15_000 });
    }
  });
}

test('the Incidents page says where to send alerts when there are none', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/incidents' });
  await expect(page.getByTestId(testIds.incidents.filters)).toContainText('Last 6 hours');
  await expect(page.getByTestId(testIds.incidents.table).or(page.getByTestId(testIds.incidents.empty))).toBeVisible({
    timeout: 15_000,
  });
  if (await page.getByTestId(testIds.incidents.empty).isVisible()) {
    await expect(page.getByText(/\/api\/v1\/alerts\/alertmanager/)).toBeVisible();
  }
});

test('the Knowledge page says it has no documents yet', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/knowledge' });
  await expect(page.getByTestId(testIds.pages.knowledge)).toContainText('No documents yet');
});

test('the Investigation page without an incident says none is selected', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/investigation' });
  await expect(page.getByTestId(testIds.pages.investigation)).toContainText('No incident selected');
});

test('an incident link opens the investigation page, which says when the incident is unknown', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId, path: '/incidents/no-such-incident' });
  await expect(page.getByTestId(testIds.pages.investigation)).toBeVisible();
  await expect(page.getByTestId(testIds.investigation.error)).toBeVisible({ timeout: 15_000 });
});

test('the Settings page shows the live engine check', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/settings' });
  await expect(page.getByRole('heading', { name: 'Engine connection' })).toBeVisible();
  await expect(page.getByTestId(testIds.engineConnection.status)).not.toContainText('Checking', {
    timeout: 15_000,
  });
});
