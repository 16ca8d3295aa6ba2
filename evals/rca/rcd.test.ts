import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { evalRca } from './evalRca.ts';
import { loadRcdCases } from './rcd.ts';

const SERVICES = ['carts', 'orders', 'user-db'];

/** normal.csv / anomalous.csv for one case: every service's cpu and mem wobble; `faulty`'s `metric` jumps in the anomalous file. */
function writeCase(dir: string, faulty: string, metric: 'cpu' | 'mem', seed: number): void {
  mkdirSync(dir, { recursive: true });
  const columns = SERVICES.flatMap((service) => [`${service}_cpu`, `${service}_mem`]);
  const rows = (start: number, anomalous: boolean): string[] =>
    Array.from({ length: 40 }, (_, i) => {
      const values = columns.map((column, c) => {
        const base = column.endsWith('_cpu') ? 10 : 5e8;
        const wobble = 1 + 0.05 * Math.sin(i * 1.7 + c * 0.9 + seed);
        const jump = anomalous && i >= 3 && column === `${faulty}_${metric}` ? 4 : 1;
        return String(base * wobble * jump);
      });
      return [String(start + i), ...values].join(',');
    });
  writeFileSync(path.join(dir, 'normal.csv'), `${['time', ...columns].join(',')}\n${rows(1000, false).join('\n')}\n`);
  // The anomalous file comes first in time here, as in one of RCD's cases: cases are split by file, not by time.
  writeFileSync(path.join(dir, 'anomalous.csv'), `${['time', ...columns].join(',')}\n${rows(0, true).join('\n')}\n`);
}

test('loads RCD-layout cases and ranks an injected CPU or memory fault first', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcd-'));
  try {
    writeCase(path.join(dir, 'carts-cpu', '1'), 'carts', 'cpu', 1);
    writeCase(path.join(dir, 'user-db-mem', '1'), 'user-db', 'mem', 2);
    writeCase(path.join(dir, 'user-db-mem', '2'), 'user-db', 'mem', 3);
    mkdirSync(path.join(dir, 'orders-cpu', '1'), { recursive: true }); // no files: skipped
    const cases = loadRcdCases(dir);
    assert.deepEqual(
      cases.map(({ id, faultType, truth }) => ({ id, faultType, truth })),
      [
        { id: 'carts-cpu/1', faultType: 'cpu', truth: 'carts' },
        { id: 'user-db-mem/1', faultType: 'mem', truth: 'user-db' },
        { id: 'user-db-mem/2', faultType: 'mem', truth: 'user-db' },
      ]
    );
    const first = cases[0]?.input.series ?? [];
    assert.equal(first.length, 6);
    assert.deepEqual(
      first[0] && {
        service: first[0].service,
        name: first[0].name,
        points: [first[0].baseline.length, first[0].anomalous.length],
      },
      { service: 'carts', name: 'cpu', points: [40, 40] }
    );
    const report = evalRca('rcd', cases);
    assert.deepEqual(report.overall, { 'AC@1': 1, 'AC@3': 1, 'AC@5': 1, 'Avg@5': 1, cases: 3 });
    assert.deepEqual(Object.keys(report.byFaultType), ['cpu', 'mem']);
    assert.deepEqual(report.cases[1]?.ranking[0], 'user-db');
    assert.throws(() => loadRcdCases(path.join(dir, 'missing')), /no such folder/);
    assert.throws(() => loadRcdCases(path.join(dir, 'orders-cpu')), /no <service>-<fault>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
