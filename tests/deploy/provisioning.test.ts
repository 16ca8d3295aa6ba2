import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APP_ID, DATASOURCE_ID, PANEL_IDS, repoRoot } from './repo.ts';

const provisioning = join(repoRoot, 'provisioning');
const readYaml = (path: string) => parse(readFileSync(join(provisioning, path), 'utf8'));

type Datasource = {
  uid: string;
  type: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
};
const datasources: Datasource[] = readYaml('datasources/intelops.yaml').datasources;

test('enables the app', () => {
  const apps = readYaml('plugins/intelops.yaml').apps;
  assert.deepEqual(
    apps.map((a: { type: string; disabled: boolean }) => [a.type, a.disabled]),
    [[APP_ID, false]]
  );
});

test('points the IntelOps datasource at the engine with the token kept secure', () => {
  const intelops = datasources.find((d) => d.type === DATASOURCE_ID);
  assert.ok(intelops);
  assert.equal(intelops.jsonData?.engineUrl, '${INTELOPS_ENGINE_URL}');
  assert.equal(intelops.secureJsonData?.engineToken, '${INTELOPS_TOKEN}');
  assert.equal(intelops.jsonData?.engineToken, undefined, 'the token must not be in jsonData');
});

type DatasourceRef = { uid?: string; type?: string };
type Panel = {
  type: string;
  title: string;
  datasource?: DatasourceRef;
  targets?: Array<{ datasource?: DatasourceRef }>;
};
const dashboardFolder = join(provisioning, 'dashboards/intelops');
const dashboards = readdirSync(dashboardFolder).filter((f) => f.endsWith('.json'));

test('ships at least one dashboard', () => {
  assert.ok(dashboards.length > 0);
  const provider = readYaml('dashboards/intelops.yaml').providers[0];
  assert.equal(provider.options.path, '/etc/grafana/provisioning/dashboards/intelops');
});

for (const file of dashboards) {
  test(`dashboard ${file} uses only provisioned datasources and known panels`, () => {
    const dashboard = JSON.parse(readFileSync(join(dashboardFolder, file), 'utf8'));
    assert.ok(dashboard.uid && dashboard.title, 'uid and title are required');
    const uids = new Set(datasources.map((d) => d.uid));
    const known = new Set(['stat', 'timeseries', 'table', 'text', 'row', 'gauge', 'nodeGraph', 'traces', ...PANEL_IDS]);
    for (const panel of dashboard.panels as Panel[]) {
      assert.ok(known.has(panel.type), `panel "${panel.title}" has unknown type ${panel.type}`);
      for (const ref of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
        const uid = ref?.uid;
        if (uid && !uid.startsWith('$') && !uid.startsWith('-- ')) {
          assert.ok(uids.has(uid), `panel "${panel.title}" uses datasource ${uid}, which is not provisioned`);
        }
      }
    }
  });
}
