// Docker has no engine on CI machines: these checks stand in for `docker compose config`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseSettingsFile } from '../../engine/src/settings/provisionSettings.ts';
import { PLUGIN_IDS, repoRoot } from './repo.ts';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  command?: string[];
  secrets?: string[];
};
type Compose = { services: Record<string, Service>; secrets?: Record<string, { environment?: string }> };

const compose: Compose = parse(readFileSync(join(repoRoot, 'docker-compose.yaml'), 'utf8'));
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  assert.ok(found, `service ${name} is missing`);
  return found;
}

test('has every part of the stack', () => {
  for (const name of ['grafana', 'engine', 'prometheus', 'loki', 'tempo', 'alertmanager']) {
    service(name);
  }
});

test('pins every image to a version', () => {
  for (const [name, service] of Object.entries(services)) {
    assert.ok(service.image, `${name} has no image`);
    const tag = service.image.split(':')[1];
    assert.match(tag ?? '', /^v?\d+\.\d+\.\d+/, `${name} image ${service.image} is not pinned to a version`);
  }
});

test('grafana loads the unsigned plugins with dist/ and provisioning/ mounted', () => {
  const grafana = service('grafana');
  const allowed = (grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '').split(',');
  assert.deepEqual([...allowed].sort(), [...PLUGIN_IDS].sort());
  assert.ok(grafana.volumes?.includes('./dist:/var/lib/grafana/plugins/intelops-aiops-app:ro'));
  assert.ok(grafana.volumes?.includes('./provisioning:/etc/grafana/provisioning:ro'));
  assert.ok(grafana.ports?.includes('3000:3000'));
  assert.equal(grafana.environment?.INTELOPS_ENGINE_URL, 'http://engine:8686');
});

test('the engine is built from engine/Dockerfile and gets its token as a secret', () => {
  const engine = service('engine');
  assert.deepEqual(engine.build, { context: '.', dockerfile: 'engine/Dockerfile' });
  assert.ok(existsSync(join(repoRoot, 'engine/Dockerfile')));
  assert.ok(engine.ports?.some((p) => p.endsWith(':8686')));
  assert.equal(engine.environment?.INTELOPS_TOKEN_FILE, '/run/secrets/intelops_token');
  assert.ok(engine.secrets?.includes('intelops_token'));
  assert.equal(compose.secrets?.intelops_token?.environment, 'INTELOPS_TOKEN');
});

test('the engine Dockerfile runs the engine entry point on Node 22', () => {
  const dockerfile = readFileSync(join(repoRoot, 'engine/Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:22[.\d]*-/m);
  const cmd = /^CMD \[(.*)\]/m.exec(dockerfile)?.[1] ?? '';
  const entry = JSON.parse(`[${cmd}]`).find((arg: string) => arg.endsWith('.ts'));
  assert.ok(entry && existsSync(join(repoRoot, entry)), `CMD entry ${entry} does not exist`);
});

test('the engine loads the shipped workflows and their approval policy', () => {
  const engine = service('engine');
  assert.equal(engine.environment?.INTELOPS_WORKFLOWS_DIR, '/etc/intelops/workflows');
  assert.equal(engine.environment?.INTELOPS_WORKFLOW_POLICY, '/etc/intelops/workflow-policy.yaml');
  assert.ok(engine.volumes?.includes('./deploy/workflows:/etc/intelops/workflows:ro'));
  assert.ok(engine.volumes?.includes('./deploy/workflow-policy.yaml:/etc/intelops/workflow-policy.yaml:ro'));
  // Every secret a shipped workflow names can be passed through from the host.
  for (const file of readdirSync(join(repoRoot, 'deploy/workflows'))) {
    const text = readFileSync(join(repoRoot, 'deploy/workflows', file), 'utf8');
    for (const [, name] of text.matchAll(/(?:webhookSecret|tokenSecret|urlSecret|secret): ([a-z_]+)/g)) {
      const variable = `INTELOPS_SECRET_${(name ?? '').toUpperCase()}`;
      assert.ok(
        engine.environment && variable in engine.environment,
        `${file} needs ${variable}, which the engine does not get`
      );
    }
  }
});

/** Whether `url` names a compose service at a port its container listens on. */
function reachesService(url: string): boolean {
  const { hostname, port } = new URL(url);
  return (services[hostname]?.ports ?? []).some((mapping) => mapping.split(':').at(-1) === port);
}

test('the engine starts with the stack’s own Prometheus, Loki, Tempo, Alertmanager and Grafana', () => {
  const engine = service('engine');
  assert.equal(engine.environment?.INTELOPS_SETTINGS_FILE, '/etc/intelops/settings.yaml');
  assert.ok(engine.volumes?.includes('./deploy/engine-settings.yaml:/etc/intelops/settings.yaml:ro'));
  const settings = parseSettingsFile(readFileSync(join(repoRoot, 'deploy/engine-settings.yaml'), 'utf8'), 'engine-settings.yaml');
  const urls = [settings.prometheus?.url, settings.loki?.url, settings.tempo?.url, settings.alertmanager?.url, settings.grafana?.url];
  for (const url of urls) {
    assert.ok(url !== undefined && reachesService(url), `${url} is not a service of the stack at a port it listens on`);
  }
});

test('the demo shop faults workflow reaches each shop service, and the engine may call it', () => {
  const text = readFileSync(join(repoRoot, 'deploy/workflows/demo-shop-faults.yaml'), 'utf8');
  const allowed = (service('engine').environment?.INTELOPS_EGRESS_ALLOW ?? '').split(',');
  const ports = [...text.matchAll(/\{% when "([a-z]+)" %\}(\d+)/g)].map(([, name, port]) => [name ?? '', port ?? ''] as const);
  assert.deepEqual(ports.map(([name]) => name), ['frontend', 'checkout', 'payment', 'cart', 'frontend', 'checkout', 'payment', 'cart']);
  for (const [name, port] of [...ports, ['productcatalog', /\{% else %\}(\d+)/.exec(text)?.[1] ?? ''] as const]) {
    assert.ok(reachesService(`http://${name}:${port}`), `${name} does not listen on ${port}`);
    assert.ok(allowed.includes(name), `INTELOPS_EGRESS_ALLOW does not list ${name}`);
  }
});

test('prometheus accepts Tempo service-graph remote writes and alerts to Alertmanager', () => {
  const prometheus = service('prometheus');
  assert.ok(prometheus.command?.includes('--web.enable-remote-write-receiver'));
  const config = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8'));
  const jobs = config.scrape_configs.map((c: { job_name: string }) => c.job_name);
  assert.ok(jobs.includes('intelops-engine'));
  assert.deepEqual(config.alerting.alertmanagers[0].static_configs[0].targets, ['alertmanager:9093']);
});

test('alertmanager posts to the engine webhook with the token file', () => {
  const config = parse(readFileSync(join(repoRoot, 'deploy/alertmanager/alertmanager.yml'), 'utf8'));
  const webhook = config.receivers[0].webhook_configs[0];
  assert.equal(webhook.url, 'http://engine:8686/api/v1/alerts/alertmanager');
  assert.equal(webhook.http_config.authorization.credentials_file, '/run/secrets/intelops_token');
  assert.ok(service('alertmanager').secrets?.includes('intelops_token'));
});

test('every file mounted from the repository exists', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (!source.startsWith('./') || source === './dist') {
        continue; // named volumes, and dist/ which `npm run build` makes
      }
      assert.ok(existsSync(join(repoRoot, source)), `${name} mounts ${source}, which does not exist`);
    }
  }
});

const SHOP = ['frontend', 'checkout', 'payment', 'cart', 'productcatalog'];

test('the demo shop runs every service from one image, exporting to Tempo and Loki', () => {
  const cmdbNames = readdirSync(join(repoRoot, 'deploy/cmdb')).flatMap((file) =>
    (parse(readFileSync(join(repoRoot, 'deploy/cmdb', file), 'utf8')).services as Array<{ name: string }>).map(
      (s) => s.name
    )
  );
  for (const name of SHOP) {
    const shop = service(name);
    assert.ok(cmdbNames.includes(name), `${name} is not in deploy/cmdb`);
    assert.deepEqual(shop.build, { context: '.', dockerfile: 'demo/Dockerfile' });
    assert.deepEqual(shop.command, ['node', 'demo/shop/main.ts', name]);
    assert.equal(shop.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://tempo:4318');
    assert.equal(shop.environment?.LOKI_URL, 'http://loki:3100');
    assert.ok(
      shop.ports?.every((port) => port.startsWith('127.0.0.1:')),
      `${name} publishes its fault endpoint beyond localhost`
    );
  }
  assert.ok(existsSync(join(repoRoot, 'demo/Dockerfile')));
  assert.ok(existsSync(join(repoRoot, 'demo/shop/main.ts')));
  assert.deepEqual(service('loadgen').command, ['node', 'demo/shop/main.ts', 'load']);
  assert.equal(service('loadgen').image, service('frontend').image);
  // The Dockerfile copies what the entry imports and installs the demo workspace.
  const dockerfile = readFileSync(join(repoRoot, 'demo/Dockerfile'), 'utf8');
  assert.match(dockerfile, /--workspace demo/);
  assert.match(dockerfile, /^COPY demo\/shop demo\/shop$/m);
});

test('prometheus scrapes each shop service under its own job, at the port it listens on', () => {
  const config = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8'));
  for (const name of SHOP) {
    const job = config.scrape_configs.find((c: { job_name: string }) => c.job_name === name);
    assert.ok(job, `no scrape job for ${name}`);
    const port = service(name).ports?.[0]?.split(':').at(-1);
    assert.deepEqual(job.static_configs[0].targets, [`${name}:${port}`]);
  }
});

test('alert rules cover the shop’s errors, latency, CPU and memory, by service', () => {
  const rules = parse(readFileSync(join(repoRoot, 'deploy/prometheus/rules.yml'), 'utf8'));
  const shop = rules.groups.find((group: { name: string }) => group.name === 'shop');
  assert.ok(shop, 'no rule group "shop"');
  const byName = new Map<string, { expr: string; for: string }>(
    shop.rules.map((rule: { alert: string; expr: string; for: string }) => [rule.alert, rule])
  );
  assert.deepEqual([...byName.keys()].sort(), [
    'ShopHighCpu',
    'ShopHighErrorRate',
    'ShopHighLatency',
    'ShopMemoryGrowing',
  ]);
  for (const [name, rule] of byName) {
    assert.match(
      rule.expr,
      /by \(service|service!=""/,
      `${name} does not keep the service label the engine maps to the CMDB`
    );
  }
  assert.match(byName.get('ShopHighErrorRate')?.expr ?? '', /http_response_status_code=~"5\.\."/);
});

test('tempo makes span metrics and the service graph and writes them to prometheus', () => {
  const tempo = parse(readFileSync(join(repoRoot, 'deploy/tempo/tempo.yaml'), 'utf8'));
  assert.deepEqual([...tempo.overrides.defaults.metrics_generator.processors].sort(), [
    'service-graphs',
    'span-metrics',
  ]);
  assert.equal(tempo.metrics_generator.storage.remote_write[0].url, 'http://prometheus:9090/api/v1/write');
});
