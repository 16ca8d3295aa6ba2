import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { evalRca } from './evalRca.ts';
import { loadNezhaCases, parseUtc, serviceOfPod, splitEdge } from './nezha.ts';

const PODS = ['frontend-579b9bff58-t2dbm', 'cart-5f6585d649-fnmft', 'catalog-668d5f85fb-wckp8'];
const START = Date.UTC(2022, 7, 22, 10, 0, 19);
const MINUTE = 60_000;

/** `2022-08-22 10:00:19.5 +0000 UTC m=+0.3`, the metrics' Time format. */
function goTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}000000 +0000 UTC m=+0.305041286`;
}

/** Per-minute rows for one pod: CPU jumps while its fault is on, the frontend's latency follows any fault. */
function writePod(dir: string, pod: string, faults: Array<{ pod: string; from: number; to: number }>): void {
  const header = 'Time,TimeStamp,PodName,CpuUsageRate(%),MemoryUsage(Mi),PodServerLatencyP90(s),NodeCpuUsageRate(%)';
  const rows = Array.from({ length: 40 }, (_, i) => {
    const t = START + i * MINUTE;
    const mine = faults.some((fault) => fault.pod === pod && t >= fault.from && t < fault.to);
    const any = faults.some((fault) => t >= fault.from && t < fault.to);
    const wobble = 1 + 0.05 * Math.sin(i * 1.3 + pod.length);
    const cpu = (mine ? 95 : 10) * wobble;
    const latency = pod.startsWith('frontend') && any ? 2 : 0.05 * wobble;
    // TimeStamp is three hours off on purpose: the loader must read Time.
    return [
      goTime(t),
      String(Math.round(t / 1000) + 3 * 3600),
      pod,
      cpu,
      40 * wobble,
      i === 5 ? 'nan' : latency,
      30 * wobble,
    ].join(',');
  });
  writeFileSync(path.join(dir, 'metric', `${pod}_metric.csv`), `${header}\n${rows.join('\n')}\n`);
}

test('reads pod names, Go timestamps as UTC', () => {
  assert.equal(serviceOfPod('frontend-579b9bff58-t2dbm'), 'frontend');
  assert.equal(serviceOfPod('redis-cart-7b598fc7d-lmggd'), 'redis-cart');
  assert.equal(serviceOfPod('single'), 'single');
  assert.equal(
    parseUtc('2022-08-22 03:51:19.799087274 +0000 UTC m=+0.305041286'),
    Date.UTC(2022, 7, 22, 3, 51, 19, 799)
  );
  assert.equal(parseUtc('2022-08-22 03:53:54'), Date.UTC(2022, 7, 22, 3, 53, 54));
  assert.equal(parseUtc('2022-08-22 05:53:54 +0200'), Date.UTC(2022, 7, 22, 3, 53, 54));
  assert.ok(Number.isNaN(parseUtc('yesterday')));
});

test('loads one case per fault at inject_time, with windows that keep other faults out of the baseline', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nezha-'));
  try {
    mkdirSync(path.join(dir, 'metric'));
    const first = Date.UTC(2022, 7, 22, 10, 15, 0);
    const second = Date.UTC(2022, 7, 22, 10, 23, 30);
    const list = {
      '10': [
        // inject_timestamp is hours off on purpose, as on some upstream days.
        {
          inject_time: '2022-08-22 10:23:30',
          inject_timestamp: '1661000000',
          inject_pod: PODS[2],
          inject_type: 'cpu_consumed',
        },
        {
          inject_time: '2022-08-22 10:15:00',
          inject_timestamp: '1661000000',
          inject_pod: PODS[1],
          inject_type: 'cpu_contention',
        },
      ],
    };
    writeFileSync(path.join(dir, '2022-08-22-fault_list.json'), JSON.stringify(list));
    const faults = [
      { pod: PODS[1] ?? '', from: first, to: first + 5 * MINUTE },
      { pod: PODS[2] ?? '', from: second, to: second + 4 * MINUTE },
    ];
    for (const pod of PODS) {
      writePod(dir, pod, faults);
    }
    writeFileSync(
      path.join(dir, 'metric', 'dependency.csv'),
      'Source,Target,Weight\nfrontend,cart,1\nfrontend,catalog,1\ncart,33.33.33.80,1\n'
    );

    const cases = loadNezhaCases(dir);
    assert.deepEqual(
      cases.map(({ id, faultType, truth }) => ({ id, faultType, truth })),
      [
        { id: '2022-08-22 10:15:00', faultType: 'cpu_contention', truth: 'cart' },
        { id: '2022-08-22 10:23:30', faultType: 'cpu_consumed', truth: 'catalog' },
      ]
    );
    const cpuOf = (index: number, service: string) =>
      cases[index]?.input.series.find((one) => one.service === service && one.name === 'CpuUsageRate(%)');
    // First fault: ten quiet rows before it (10:04:19 … 10:13:19), rows from one minute before it to 10:20:00.
    assert.equal(cpuOf(0, 'cart')?.baseline.length, 10);
    assert.equal(cpuOf(0, 'cart')?.anomalous.length, 6);
    // Second fault: its baseline skips the first fault's window, so no CPU of 95 leaks into it.
    assert.equal(cpuOf(1, 'cart')?.baseline.length, 10);
    assert.ok((cpuOf(1, 'cart')?.baseline ?? []).every((value) => value < 20));
    assert.equal(cpuOf(1, 'catalog')?.anomalous.length, 6);
    assert.deepEqual(cases[0]?.input.edges?.[0], { client: 'frontend', server: 'cart' });
    assert.equal(cases[0]?.input.series.length, 12);

    const report = evalRca('nezha', cases);
    assert.deepEqual(
      report.cases.map((one) => one.ranking[0]),
      ['cart', 'catalog']
    );
    assert.equal(report.overall['AC@1'], 1);
    assert.deepEqual(Object.keys(report.byFaultClass), ['resource']);
    assert.throws(() => loadNezhaCases(path.join(dir, 'metric')), /fault_list/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('splits edge columns where both halves are known services', () => {
  const services = new Set(['frontend', 'redis_cart', 'cart']);
  assert.deepEqual(splitEdge('frontend_redis_cart', services), { client: 'frontend', server: 'redis_cart' });
  assert.deepEqual(splitEdge('frontend_cart', services), { client: 'frontend', server: 'cart' });
  assert.equal(splitEdge('frontend_unknown', services), undefined);
  assert.equal(splitEdge('time', services), undefined);
});

test('reads per-edge latency from source_50 and destination_50 when the day has them', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nezha-'));
  try {
    mkdirSync(path.join(dir, 'metric'));
    const at = Date.UTC(2022, 7, 22, 10, 15, 0);
    const list = { '10': [{ inject_time: '2022-08-22 10:15:00', inject_pod: PODS[1], inject_type: 'network_delay' }] };
    writeFileSync(path.join(dir, '2022-08-22-fault_list.json'), JSON.stringify(list));
    for (const pod of PODS) {
      writePod(dir, pod, []);
    }
    // The callee handles calls in 4 ms throughout; from the fault on, its callers wait 200 ms more for cart.
    const table = (side: 'client' | 'server'): string => {
      const rows = Array.from({ length: 40 }, (_, i) => {
        const t = START + i * MINUTE;
        const wobble = 1 + 0.05 * Math.sin(i * 1.7);
        const added = side === 'client' && t >= at ? 0.2 : 0;
        const handling = 0.004 * wobble;
        const wire = side === 'client' ? 0.001 * wobble : 0;
        return [goTime(t), String(Math.round(t / 1000)), handling + wire + added, handling + wire].join(',');
      });
      return `time,timestamp,frontend_cart,frontend_catalog\n${rows.join('\n')}\n`;
    };
    writeFileSync(path.join(dir, 'metric', 'source_50.csv'), table('client'));
    writeFileSync(path.join(dir, 'metric', 'destination_50.csv'), table('server'));

    const [withEdges] = loadNezhaCases(dir);
    const edgeLatency = withEdges?.input.edgeLatency ?? [];
    assert.deepEqual(
      edgeLatency.map(({ client, server, side, name }) => `${side} ${client}→${server} ${name}`),
      [
        'client frontend→cart p50',
        'client frontend→catalog p50',
        'server frontend→cart p50',
        'server frontend→catalog p50',
      ]
    );
    assert.equal(edgeLatency[0]?.baseline.length, 10);
    assert.equal(edgeLatency[0]?.anomalous.length, 6);
    const report = evalRca('nezha', withEdges === undefined ? [] : [withEdges]);
    assert.equal(report.cases[0]?.ranking[0], 'cart');
    assert.equal(report.cases[0]?.indicator, 'network');

    const [podOnly] = loadNezhaCases(dir, undefined, { edgeLatency: false });
    assert.equal(podOnly?.input.edgeLatency, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
