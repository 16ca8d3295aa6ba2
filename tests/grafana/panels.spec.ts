import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@grafana/plugin-e2e';
import { firstEngineRequest, isEngineAnswer, nextEngineResponse, PROVISIONED_DATASOURCE } from './engineProxy';
import { drawnContent, expectPanelWithoutError } from './panelChecks';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';
import datasourcePlugin from '../../src/datasource/plugin.json';
import rootCausePanel from '../../src/panels/rootcause/plugin.json';
import type { QueryType } from '../../src/datasource/types';

skipWithoutGrafana();

// The fields of the provisioned dashboard JSON these tests read.
interface DashboardPanel {
  title: string;
  type: string;
  targets?: Array<{ datasource?: { type?: string }; queryType?: QueryType }>;
  panels?: DashboardPanel[];
}
interface ProvisionedDashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
}

const DASHBOARDS_DIR = join(__dirname, '../../provisioning/dashboards/intelops');

// Every panel that reads the IntelOps datasource, on every provisioned dashboard (rows' panels included).
const CASES = readdirSync(DASHBOARDS_DIR)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => {
    const dashboard: ProvisionedDashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8'));
    return dashboard.panels
      .flatMap((panel) => [panel, ...(panel.panels ?? [])])
      .flatMap((panel) => {
        const target = panel.targets?.find((candidate) => candidate.datasource?.type === datasourcePlugin.id);
        return target ? [{ dashboard, panel, queryType: target.queryType }] : [];
      });
  });

for (const { dashboard, panel, queryType } of CASES) {
  test(`${dashboard.title}: "${panel.title}" (${panel.type}) draws its data or its empty state without a panel error`, async ({
    gotoDashboardPage,
    readProvisionedDataSource,
    page,
  }) => {
    const datasource = await readProvisionedDataSource(PROVISIONED_DATASOURCE);
    const answer = nextEngineResponse(page, datasource.uid, firstEngineRequest(queryType));
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    const shown = dashboardPage.getPanelByTitle(panel.title);
    // Panels below the fold query only once scrolled to.
    await shown.scrollIntoView();
    await expectPanelWithoutError(shown, answer, drawnContent(shown, panel.type));
  });
}

// No provisioned dashboard holds a root cause panel yet: it is added to a new one, as a user would.
test('the root cause panel draws the latest incident of a service, or says why it cannot, without a panel error', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const datasource = await readProvisionedDataSource(PROVISIONED_DATASOURCE);
  await panelEditPage.datasource.set(datasource.name);
  await panelEditPage.setVisualization(rootCausePanel.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByTestId(testIds.queryEditor.queryType).click();
  await page.getByRole('option', { name: /^Root causes/ }).click();
  await row.getByTestId(testIds.queryEditor.incidentService).fill('checkout');
  await row.getByTestId(testIds.queryEditor.incidentService).press('Tab');

  const answer = panelEditPage.refreshPanel({
    waitForResponsePredicateCallback: (response) => isEngineAnswer(response, datasource.uid, 'incidents'),
  });
  await expectPanelWithoutError(panelEditPage.panel, answer, drawnContent(panelEditPage.panel, rootCausePanel.id));
});
