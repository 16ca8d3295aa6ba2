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

// Metric names the engine registers (prom-client `name: '…'` in its sources), and Prometheus's and prom-client's own.
const engineSources = ['engine/src/observability/metrics.ts', 'engine/src/server/http-metrics.ts'].map((path) =>
  readFileSync(join(repoRoot, path), 'utf8')
);
const registered = new Set(
  engineSources.flatMap((source) => [...source.matchAll(/\bname: '([a-z_:][a-z0-9_:]*)'/g)].map((m) => m[1]))
);
const EXTERNAL_METRIC = /^(up|process_.*|nodejs_.*)$/;
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;
// A metric selector in PromQL: a name followed by a label matcher or a range.
const METRIC_IN_EXPR = /\b([a-z_:][a-z0-9_:]*)\s*(?=\{|\[)/g;
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

// The query types the IntelOps datasource answers (src/datasource/types.ts, QUERY_TYPES).
const queryTypes = new Set(
  [...readFileSync(join(repoRoot, 'src/datasource/types.ts'), 'utf8').matchAll(/^\s+value: '(\w+)',$/gm)].map(
    (m) => m[1]
  )
);

type Target = { expr?: string; queryType?: string; datasource?: DatasourceRef };
const targetsOf = (file: string): Array<{ panel: string; type: string; target: Target }> => {
  const dashboard = JSON.parse(readFileSync(join(dashboardFolder, file), 'utf8'));
  return (dashboard.panels as Array<Panel & { targets?: Target[] }>).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, type: panel.type, target }))
  );
};

for (const file of dashboards) {
  test(`dashboard ${file} queries only metrics the engine exports and query types the datasource answers`, () => {
    for (const { panel, target } of targetsOf(file)) {
      const datasourceType = target.datasource?.type;
      if (datasourceType === DATASOURCE_ID) {
        assert.ok(
          queryTypes.has(target.queryType ?? 'status'),
          `panel "${panel}": unknown query type ${target.queryType}`
        );
      }
      if (datasourceType === 'prometheus' && target.expr) {
        const names = [...target.expr.matchAll(METRIC_IN_EXPR)].flatMap(([, name]) =>
          name === undefined || PROMQL_WORDS.has(name) ? [] : [name]
        );
        assert.ok(names.length > 0, `panel "${panel}": no metric in ${target.expr}`);
        for (const name of names) {
          const base = name.replace(HISTOGRAM_SERIES, '');
          assert.ok(
            EXTERNAL_METRIC.test(name) || registered.has(name) || registered.has(base),
            `panel "${panel}" queries ${name}, which the engine does not export`
          );
        }
      }
    }
  });
}

test('the AI observability dashboard shows the evals and a run’s trace, and the metrics the issue names', () => {
  const file = 'ai-observability.json';
  assert.ok(dashboards.includes(file));
  const dashboard = JSON.parse(readFileSync(join(dashboardFolder, file), 'utf8'));
  assert.equal(dashboard.title, 'IntelOps — AI observability');
  const targets = targetsOf(file);
  const intelops = targets.filter(({ target }) => target.datasource?.type === DATASOURCE_ID);
  assert.deepEqual(
    intelops.map(({ type, target }) => [type, target.queryType]),
    [
      ['intelops-evals-panel', 'evals'],
      ['intelops-agenttrace-panel', 'agentRun'],
      ['table', 'agentRuns'],
    ]
  );
  const exprs = targets.map(({ target }) => target.expr ?? '').join('\n');
  for (const metric of [
    'intelops_agent_run_duration_seconds',
    'intelops_agent_runs_total',
    'gen_ai_client_operation_duration_seconds',
    'intelops_llm_time_to_first_token_seconds',
    'gen_ai_client_token_usage',
    'intelops_llm_cost_usd_total',
    'intelops_llm_citations_total',
    'intelops_retrieval_queries_total',
    'intelops_alert_compression_ratio',
    'intelops_alert_ingest_queue_depth',
  ]) {
    assert.ok(exprs.includes(metric), `no panel shows ${metric}`);
  }
  for (const quantile of ['0.5', '0.95', '0.99']) {
    assert.ok(
      exprs.includes(`histogram_quantile(${quantile}, sum by (le) (rate(intelops_agent_run_duration_seconds_bucket`),
      `no p${Number(quantile) * 100} of run latency`
    );
  }
});
