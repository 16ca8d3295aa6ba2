import { expect, test } from '@grafana/plugin-e2e';
import {
  engineProxyPath as proxyPath,
  firstEngineRequest,
  isEngineAnswer,
  PROVISIONED_DATASOURCE as DATASOURCE,
} from './engineProxy';
import { expectPanelWithoutError } from './panelChecks';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';
import { QUERY_TYPES, type QueryType } from '../../src/datasource/types';

skipWithoutGrafana();

// What each query type needs typed into the editor before it runs (the Record names every type, so a new one is
// added here); the services and metrics exist in the compose stack, the results may be empty.
const EDITOR_INPUT: Record<QueryType, Array<[testId: string, text: string]>> = {
  status: [],
  incidents: [],
  logTemplates: [[testIds.queryEditor.selector, '{service_name=~".+"}']],
  anomalies: [[testIds.queryEditor.expr, 'sum(up)']],
  rootCauses: [[testIds.queryEditor.incidentService, 'checkout']],
  incidentGraph: [[testIds.queryEditor.incidentService, 'checkout']],
  agentRuns: [],
  agentRun: [],
  evals: [],
};

// An option's accessible name starts with its label and goes on with its description ("Agent run" is not "Agent runs").
const optionName = (label: string) => new RegExp(`^${label}(?![a-z])`);

for (const { value: queryType, label } of QUERY_TYPES) {
  test(`${label}: the query runs through the proxy and the panel shows no error`, async ({
    panelEditPage,
    readProvisionedDataSource,
    page,
  }) => {
    const datasource = await readProvisionedDataSource(DATASOURCE);
    await panelEditPage.datasource.set(datasource.name);
    const row = panelEditPage.getQueryEditorRow('A');

    await row.getByTestId(testIds.queryEditor.queryType).click();
    await page.getByRole('option', { name: optionName(label) }).click();
    for (const [testId, text] of EDITOR_INPUT[queryType]) {
      // The fields commit when left.
      await row.getByTestId(testId).fill(text);
      await row.getByTestId(testId).press('Tab');
    }

    const answer = panelEditPage.refreshPanel({
      waitForResponsePredicateCallback: (response) =>
        isEngineAnswer(response, datasource.uid, firstEngineRequest(queryType)),
    });
    await expectPanelWithoutError(panelEditPage.panel, answer);
  });
}

test('Status: the table view shows the engine version, API version and store', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const datasource = await readProvisionedDataSource(DATASOURCE);
  await panelEditPage.datasource.set(datasource.name);
  await panelEditPage.toggleTableView();
  await panelEditPage.refreshPanel({
    waitForResponsePredicateCallback: (response) => isEngineAnswer(response, datasource.uid, 'status'),
  });
  await expect(panelEditPage.panel.fieldNames).toContainText(['version', 'apiVersion', 'store']);
});

test('Log templates: the editor asks for a selector, then posts it with the panel time range', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const datasource = await readProvisionedDataSource(DATASOURCE);
  await panelEditPage.datasource.set(datasource.name);
  const row = panelEditPage.getQueryEditorRow('A');

  await row.getByTestId(testIds.queryEditor.queryType).click();
  await page.getByRole('option', { name: /Log templates/ }).click();
  await expect(row.getByText(/^Enter a LogQL stream selector/)).toBeVisible();

  const request = page.waitForRequest(
    (r) => r.method() === 'POST' && r.url().endsWith(proxyPath(datasource.uid, 'query/log-templates'))
  );
  await row.getByTestId(testIds.queryEditor.selector).fill('{service_name="checkout"}');
  await row.getByTestId(testIds.queryEditor.baseline).click();
  const body = (await request).postDataJSON();
  expect(body.selector).toBe('{service_name="checkout"}');
  expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThan(0);
  await expect(row.getByText(/^Enter a LogQL stream selector/)).toHaveCount(0);
});

test('Anomalies: the editor asks for PromQL, then posts it with its step', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const datasource = await readProvisionedDataSource(DATASOURCE);
  await panelEditPage.datasource.set(datasource.name);
  const row = panelEditPage.getQueryEditorRow('A');

  await row.getByTestId(testIds.queryEditor.queryType).click();
  await page.getByRole('option', { name: /Anomalies/ }).click();
  await expect(row.getByText(/^Enter a PromQL query/)).toBeVisible();

  await row.getByTestId(testIds.queryEditor.step).fill('1m');
  const request = page.waitForRequest(
    (r) => r.method() === 'POST' && r.url().endsWith(proxyPath(datasource.uid, 'query/anomalies'))
  );
  await row.getByTestId(testIds.queryEditor.expr).fill('sum(rate(prometheus_http_requests_total[5m]))');
  await row.getByTestId(testIds.queryEditor.step).click();
  const body = (await request).postDataJSON();
  expect(body).toMatchObject({ query: 'sum(rate(prometheus_http_requests_total[5m]))', step: 60 });
});
