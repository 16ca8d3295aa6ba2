// The recordings shipped in demo/recordings/ are what the recorder wrote: small, and showing their fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../recordings/', import.meta.url));
const MAX_BYTES = 2 * 1024 * 1024;

interface Scenario {
  before: number;
  durationSeconds: number;
  fault: { service: string; kind: string };
  services: string[];
  cmdb: Array<{ name: string }>;
  alerts: Array<{
    at: number;
    body: { status: string; commonLabels: Record<string, string>; alerts: Array<{ startsAt: number }> };
  }>;
}

const folders = readdirSync(ROOT).filter((name) => statSync(path.join(ROOT, name)).isDirectory());

test('at least one recording ships', () => {
  assert.ok(folders.length > 0, `no recording in ${ROOT}`);
});

for (const folder of folders) {
  const dir = path.join(ROOT, folder);
  const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;

  test(`${folder}: small, within its window, with every service in the CMDB`, () => {
    const bytes = readdirSync(dir).reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0);
    assert.ok(bytes < MAX_BYTES, `${folder} holds ${bytes} bytes`);
    const scenario = read<Scenario>('scenario.json');
    const cmdb = new Set(scenario.cmdb.map((service) => service.name));
    assert.deepEqual(
      scenario.services.filter((service) => !cmdb.has(service)),
      []
    );
    const inWindow = (t: number) => t >= -scenario.before && t <= scenario.durationSeconds - scenario.before;
    const metrics = read<Array<{ samples: Array<[number, number]> }>>('metrics.json');
    assert.ok(
      metrics.every((series) => series.samples.every(([t]) => inWindow(t) && t % 15 === 0)),
      'metric samples are 15 s apart, on t=0'
    );
    const traces = read<Array<{ spans: Array<{ start: number }> }>>('traces.json');
    assert.ok(traces.length > 0 && traces.every((trace) => trace.spans.every((span) => inWindow(span.start))));
    const logs = read<Array<{ entries: Array<[number, string]> }>>('logs.json');
    assert.ok(logs.length > 0 && logs.every((stream) => stream.entries.every(([t]) => inWindow(t))));
  });

  test(`${folder}: the faulty service alerts after t=0, and its traces show the fault`, () => {
    const scenario = read<Scenario>('scenario.json');
    const alerted = scenario.alerts.filter(
      (alert) => alert.body.status === 'firing' && alert.body.commonLabels.service === scenario.fault.service
    );
    assert.ok(alerted.length > 0, `no alert fired for ${scenario.fault.service}`);
    assert.ok(alerted.every((alert) => alert.at > 0 && (alert.body.alerts[0]?.startsAt ?? -1) > 0));
    const traces =
      read<
        Array<{ spans: Array<{ service: string; start: number; durationMs: number; status: string; kind: string }> }>
      >('traces.json');
    const own = traces
      .flatMap((trace) => trace.spans)
      .filter((span) => span.service === scenario.fault.service && span.kind === 'server');
    const before = own.filter((span) => span.start < 0);
    const after = own.filter((span) => span.start > 0);
    assert.ok(before.length > 0 && after.length > 0, 'the service has spans before and after the fault');
    if (scenario.fault.kind === 'latency') {
      const slowest = Math.max(...before.map((span) => span.durationMs));
      assert.ok(
        after.some((span) => span.durationMs > slowest + 1000),
        'requests are over a second slower after the fault'
      );
    }
    if (scenario.fault.kind === 'errors' || scenario.fault.kind === 'bad_deploy') {
      assert.ok(
        !before.some((span) => span.status === 'error') && after.some((span) => span.status === 'error'),
        'errors start at the fault'
      );
    }
  });
}
