import { expect, test } from '@grafana/plugin-e2e';
import { engineProxyPath, PROVISIONED_DATASOURCE } from './engineProxy';
import { ENGINE_TOKEN, ENGINE_URL_FROM_GRAFANA, skipWithoutGrafana } from './skipWithoutGrafana';
import { testIds } from '../../src/components/testIds';

skipWithoutGrafana();

const statusPath = (uid: string) => engineProxyPath(uid, 'status');

test('"Save & test" on the provisioned datasource reaches the provisioned engine through the data proxy', async ({
  gotoDataSourceConfigPage,
  readProvisionedDataSource,
}) => {
  const datasource = await readProvisionedDataSource(PROVISIONED_DATASOURCE);
  const configPage = await gotoDataSourceConfigPage(datasource.uid);
  await expect(configPage.saveAndTest({ path: statusPath(datasource.uid) })).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /Connected to IntelOps engine .* \(store: / });
});

test('"Save & test" on a new datasource reaches the engine through the data proxy', async ({
  createDataSourceConfigPage,
  page,
}) => {
  test.skip(!ENGINE_TOKEN, 'INTELOPS_TOKEN is not set: the engine token is needed for a successful Save & test');
  const configPage = await createDataSourceConfigPage({ type: 'intelops-aiops-datasource' });

  await page.getByTestId(testIds.datasourceConfig.engineUrl).fill(ENGINE_URL_FROM_GRAFANA);
  await page.getByTestId(testIds.datasourceConfig.tokenInput).fill(ENGINE_TOKEN ?? '');
  await expect(configPage.saveAndTest({ path: statusPath(configPage.datasource.uid) })).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /Connected to IntelOps engine .* \(store: / });
});

test('"Save & test" says in words that a wrong token was rejected', async ({ createDataSourceConfigPage, page }) => {
  const configPage = await createDataSourceConfigPage({ type: 'intelops-aiops-datasource' });

  await page.getByTestId(testIds.datasourceConfig.engineUrl).fill(ENGINE_URL_FROM_GRAFANA);
  await page.getByTestId(testIds.datasourceConfig.tokenInput).fill('not-the-engine-token');
  await configPage.saveAndTest({ path: statusPath(configPage.datasource.uid) });
  await expect(configPage).toHaveAlert('error', {
    hasText: 'The engine rejected the token: set the engine token in the datasource settings.',
  });
});

test('"Save & test" asks for the engine URL when it is missing', async ({
  createDataSourceConfigPage,
  page,
  selectors,
}) => {
  const configPage = await createDataSourceConfigPage({ type: 'intelops-aiops-datasource' });
  await expect(page.getByText('Set the URL of the engine')).toBeVisible();
  await configPage.getByGrafanaSelector(selectors.pages.DataSource.saveAndTest).click();
  await expect(configPage).toHaveAlert('error', { hasText: /Set the engine URL/ });
});
