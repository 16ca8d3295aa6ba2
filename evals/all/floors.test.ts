import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applyFloors, DEFAULT_FLOORS, loadFloors } from './floors.ts';
import type { Floor } from './floors.ts';
import { figure } from './report.ts';
import type { EvalResult } from './report.ts';

function result(overrides: Partial<EvalResult>): EvalResult {
  return { eval: 'rca', dataset: 'shop', status: 'ran', data: '/data/shop', reason: null, durationMs: 1, figures: [], problems: [], details: null, ...overrides };
}

const floor = (metric: string, value: number, dataset = 'shop'): Floor => ({ eval: 'rca', dataset, metric, floor: value, measured: null });

test('a figure at or above its floor passes, one below fails with its name, value and floor', () => {
  const { evals, failures } = applyFloors(
    [result({ figures: [figure('AC@1', 0.9), figure('Avg@5', 0.95), figure('AC@3', 0.97)] })],
    [floor('AC@1', 0.9), floor('Avg@5', 0.96)]
  );
  assert.deepEqual(
    evals[0]?.figures.map(({ metric, floor: min, pass }) => [metric, min, pass]),
    [['AC@1', 0.9, true], ['Avg@5', 0.96, false], ['AC@3', null, null]]
  );
  assert.deepEqual(failures, ['rca shop Avg@5 0.950 is below its floor 0.96']);
});

test('a figure equal to its floor up to rounding passes', () => {
  const { failures } = applyFloors([result({ figures: [figure('AC@1', 0.1 + 0.2)] })], [floor('AC@1', 0.3)]);
  assert.deepEqual(failures, []);
});

test('a skipped eval fails nothing; an eval that could not run, and its problems, fail', () => {
  const { evals, failures } = applyFloors(
    [
      result({ dataset: 'absent', status: 'skipped', reason: '/data/absent does not exist' }),
      result({ dataset: 'broken', status: 'error', reason: 'no cases' }),
      result({ dataset: 'shop', figures: [figure('AC@1', 1)], problems: ['3 alerts lost'] }),
    ],
    [floor('AC@1', 0.9, 'absent'), floor('AC@1', 0.9, 'broken'), floor('AC@1', 0.9)]
  );
  assert.deepEqual(evals[0]?.figures, []);
  assert.deepEqual(failures, ['rca broken: could not run: no cases', '3 alerts lost']);
});

test('a floor naming a figure or a dataset nobody reports fails, so a rename cannot open the gate', () => {
  const { failures } = applyFloors([result({ figures: [figure('AC@1', 1)] })], [floor('AC1', 0.9), floor('AC@1', 0.9, 'renamed')]);
  assert.deepEqual(failures, [
    'rca shop AC1: the floors file names a figure the eval does not report',
    'rca renamed AC@1: the floors file names an eval and dataset that npm run eval does not run',
  ]);
});

test('loadFloors reads the floors file and names the entry that is wrong', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'floors-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: string) => {
    const file = path.join(dir, 'floors.json');
    writeFileSync(file, content);
    return file;
  };
  const entry = { eval: 'rca', dataset: 'shop', metric: 'AC@1', floor: 0.9 };
  assert.deepEqual(loadFloors(write(JSON.stringify({ about: 'why', floors: [entry] }))), [{ ...entry, measured: null }]);
  assert.throws(() => loadFloors(write('{')), /floors\.json: .*JSON/);
  assert.throws(() => loadFloors(write('[]')), /expected an object with a list "floors"/);
  assert.throws(() => loadFloors(write(JSON.stringify({ floors: [{ ...entry, floor: 1.5 }] }))), /floors\[0\]: floor must be a number between 0 and 1/);
  assert.throws(() => loadFloors(write(JSON.stringify({ floors: [{ ...entry, metirc: 'x' }] }))), /floors\[0\]: unknown key "metirc"/);
  assert.throws(() => loadFloors(write(JSON.stringify({ floors: [entry, entry] }))), /floors\[1\]: a second floor for rca shop AC@1/);
});

test('the repository floors file is valid and sits below the values it records as measured', () => {
  const floors = loadFloors(DEFAULT_FLOORS);
  assert.ok(floors.length > 0);
  for (const one of floors) {
    assert.ok(one.measured !== null && one.floor < one.measured, `${one.eval} ${one.dataset} ${one.metric}: floor ${one.floor}, measured ${one.measured}`);
  }
});
