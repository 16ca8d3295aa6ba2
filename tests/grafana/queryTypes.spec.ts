import { expect, test } from '@grafana/plugin-e2e';
import { skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';

skipWithoutGrafana();

// The provisioned IntelOps datasource (provisioning/datasources/intelops.yaml) and its data-proxy route.
const DATASOURCE = { fileName: 'intelops.yaml', name: 'IntelOps' };
const proxyPath = (uid: string, path: string) => `/api/datasources/proxy/uid/${uid}/engine/api/v1/${path}`;

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
