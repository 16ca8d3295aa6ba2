import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readJson } from '../../testing/http.ts';
import { findBinary, freePort, startChild } from '../../testing/processes.ts';
import type { Child } from '../../testing/processes.ts';
import { tempDir } from '../../testing/temp.ts';

const PROMETHEUS = findBinary('prometheus');
const ALERTMANAGER = findBinary('prometheus-alertmanager', 'alertmanager');
const missing = [PROMETHEUS === undefined ? 'prometheus' : undefined, ALERTMANAGER === undefined ? 'prometheus-alertmanager' : undefined].filter(Boolean);
const SKIP = missing.length > 0 ? `${missing.join(' and ')} not installed (Debian packages prometheus, prometheus-alertmanager)` : false;

const SERVICES = ['db', 'payments', 'checkout', 'index'];
const DEADLINE_MS = 60_000;

/** A tiny exporter: one failing gauge per service, scraped by Prometheus. */
async function startExporter(): Promise<{ server: Server; port: number }> {
  const body = ['# HELP demo_errors Errors per service (1: failing)', '# TYPE demo_errors gauge', ...SERVICES.map((service) => `demo_errors{service="${service}"} 1`), ''].join('\n');
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(request.url === '/metrics' ? body : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

async function waitFor<T>(what: string, find: () => Promise<T | undefined>, children: Child[]): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = await find();
    if (found !== undefined) {
      return found;
    }
    const dead = children.find((child) => child.process.exitCode !== null);
    if (dead !== undefined || Date.now() > deadline) {
      assert.fail(`${what}: not seen within ${DEADLINE_MS / 1000} s\n${children.map((child) => child.output()).join('\n---\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface IncidentLike {
  services: string[];
  alerts: Array<{ labels: Record<string, string>; startsAt: string }>;
}

describe('real Prometheus → Alertmanager → engine', { skip: SKIP }, () => {
  it('groups the alerts Prometheus fires into the incidents the CMDB implies', async () => {
    const dir = await tempDir('prom-chain');
    const children: Child[] = [];
    let engine: RunningEngine | undefined;
    let exporter: Server | undefined;
    try {
      engine = await startEngine();
      const cmdb = await engine.request('/api/v1/cmdb', {
        json: { services: [{ name: 'checkout', dependsOn: ['payments'] }, { name: 'payments', dependsOn: ['db'] }, { name: 'db' }, { name: 'index' }] },
      });
      assert.equal(cmdb.status, 200);
      const started = await startExporter();
      exporter = started.server;
      const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];

      await writeFile(
        path.join(dir.path, 'rules.yml'),
        [
          'groups:',
          '  - name: demo',
          '    interval: 1s',
          '    rules:',
          '      - alert: DemoErrors',
          '        expr: demo_errors > 0',
          '        for: 0s',
          '        labels: { severity: critical }',
          "        annotations: { summary: 'Errors on {{ $labels.service }}' }",
        ].join('\n')
      );
      await writeFile(
        path.join(dir.path, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'rule_files: [rules.yml]',
          `alerting: { alertmanagers: [ { static_configs: [ { targets: ['127.0.0.1:${alertmanagerPort}'] } ] } ] }`,
          `scrape_configs: [ { job_name: demo, static_configs: [ { targets: ['127.0.0.1:${started.port}'] } ] } ]`,
        ].join('\n')
      );
      await writeFile(
        path.join(dir.path, 'alertmanager.yml'),
        [
          'route: { receiver: intelops, group_by: [alertname, service], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }',
          'receivers:',
          '  - name: intelops',
          '    webhook_configs:',
          `      - url: ${engine.url}/api/v1/alerts/alertmanager`,
          '        send_resolved: true',
          `        http_config: { authorization: { credentials: '${engine.token}' } }`,
        ].join('\n')
      );
      await mkdir(path.join(dir.path, 'am'));
      children.push(
        startChild(ALERTMANAGER ?? 'prometheus-alertmanager', [
          `--config.file=${path.join(dir.path, 'alertmanager.yml')}`,
          `--storage.path=${path.join(dir.path, 'am')}`,
          `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
          '--cluster.listen-address=',
        ]),
        startChild(PROMETHEUS ?? 'prometheus', [
          `--config.file=${path.join(dir.path, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir.path, 'prometheus')}`,
          `--web.listen-address=127.0.0.1:${prometheusPort}`,
        ])
      );

      const running = engine;
      const incidents = await waitFor(
        'incidents covering all four services',
        async () => {
          const body = await readJson(await running.request('/api/v1/incidents'));
          const list = Array.isArray(body.incidents) ? body.incidents.map((incident): IncidentLike => Object(incident)) : [];
          const seen = new Set(list.flatMap((incident) => incident.alerts.map((alert) => alert.labels.service)));
          return SERVICES.every((service) => seen.has(service)) ? list : undefined;
        },
        children
      );
      assert.deepEqual(incidents.map((incident) => [...incident.services].sort().join(',')).sort(), ['checkout,db,payments', 'index']);
      for (const incident of incidents) {
        for (const alert of incident.alerts) {
          assert.equal(alert.labels.alertname, 'DemoErrors');
          assert.equal(alert.labels.job, 'demo', 'labels exactly as Prometheus sent them');
        }
      }
      const { rows } = await engine.engine.store.query<{ source: string; n: number }>('select source, count(*)::int as n from alerts group by source');
      assert.deepEqual(rows, [{ source: 'alertmanager', n: 4 }]);
    } finally {
      await Promise.all(children.map((child) => child.stop()));
      await new Promise<void>((resolve) => (exporter === undefined ? resolve() : exporter.close(() => resolve())));
      await engine?.stop();
      await dir.remove();
    }
  });
});
