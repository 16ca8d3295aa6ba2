import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Floor } from './floors.ts';
import type { EvalReport } from './report.ts';
import { runAll } from './runAll.ts';
import { defaultSuite } from './suite.ts';
import type { EvalSpec } from './suite.ts';
import { reportTable } from './table.ts';

/** A datasets folder holding only a tiny Loghub system (no RCA data), and a knowledge folder, written here. */
function writeData(root: string): { dataDir: string; knowledgeDir: string } {
  const dataDir = path.join(root, 'datasets');
  const system = path.join(dataDir, 'loghub-2k', 'Shop');
  mkdirSync(system, { recursive: true });
  const rows: Array<[string, string]> = [
    ['login of user ann from 10.0.0.1', 'E1'],
    ['login of user bob from 10.0.0.2', 'E1'],
    ['payment failed: card declined', 'E2'],
  ];
  writeFileSync(path.join(system, 'Shop_2k.log_structured.csv'), ['LineId,Content,EventId', ...rows.map(([content, event], i) => `${i + 1},${content},${event}`)].join('\n') + '\n');
  writeFileSync(path.join(system, 'Shop_2k.log'), rows.map(([content]) => `2024-01-01 10:00:0${rows.length} INFO ${content}`).join('\n') + '\n');
  const knowledgeDir = path.join(root, 'knowledge');
  mkdirSync(path.join(knowledgeDir, 'runbooks'), { recursive: true });
  mkdirSync(path.join(knowledgeDir, 'eval'));
  writeFileSync(path.join(knowledgeDir, 'runbooks', 'cpu.md'), '---\ntitle: CPU saturation\n---\nPods throttled at their CPU limit.\n');
  writeFileSync(path.join(knowledgeDir, 'runbooks', 'disk.md'), '---\ntitle: Disk full\n---\nNo space left on device.\n');
  writeFileSync(path.join(knowledgeDir, 'eval', 'queries.yaml'), 'queries:\n  - text: cpu throttled\n    expect: [cpu.md]\n  - text: zebra\n    expect: [disk.md]\n');
  return { dataDir, knowledgeDir };
}

const TINY_STORMS = { presets: [{ name: 'tiny', services: 8, faults: 1, noisyRules: 1, durationMs: 20 * 60_000 }], seeds: 1 };

test('one report holds every eval: figures gated by the floors, skipped evals with the path they looked for', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'evals-all-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { dataDir, knowledgeDir } = writeData(root);
  const broken: EvalSpec = {
    eval: 'broken',
    dataset: 'always',
    data: 'nowhere',
    requires: null,
    run: () => Promise.reject(new Error('cannot read the cases')),
  };
  const floors: Floor[] = [
    { eval: 'templates', dataset: 'loghub-2k content', metric: 'GA average', floor: 0.5, measured: null },
    { eval: 'retrieval', dataset: 'knowledge queries', metric: 'hit@1', floor: 0.9, measured: null },
    { eval: 'rca', dataset: 'sockshop-rcd', metric: 'AC@1', floor: 0.9, measured: null },
  ];
  const progress: string[] = [];
  const report = await runAll({
    suite: [...defaultSuite({ dataDir, knowledgeDir, grouping: TINY_STORMS }), broken],
    dataDir,
    floorsFile: 'floors.json',
    floors,
    progress: (line) => progress.push(line),
  });

  // What a reader of the JSON file gets back.
  const written: EvalReport = JSON.parse(JSON.stringify(report));
  if (existsSync(new URL('../../.git', import.meta.url))) {
    assert.match(written.commit ?? '', /^[0-9a-f]{40}$/);
    assert.equal(typeof written.dirty, 'boolean');
  } else {
    assert.deepEqual([written.commit, written.dirty], [null, null]);
  }
  assert.ok(!Number.isNaN(Date.parse(written.startedAt)));
  assert.ok(written.durationMs >= 0);
  assert.equal(written.dataDir, dataDir);
  assert.deepEqual(
    written.evals.map((one) => [one.eval, one.dataset, one.status]),
    [
      ['templates', 'loghub-2k content', 'ran'],
      ['templates', 'loghub-2k raw', 'ran'],
      ['grouping', 'generated storms', 'ran'],
      ['rca', 'sockshop-rcd', 'skipped'],
      ['rca', 'nezha-onlineboutique-2022-08-22', 'skipped'],
      ['retrieval', 'knowledge queries', 'ran'],
      ['broken', 'always', 'error'],
    ]
  );
  const byName = (name: string, dataset: string) => written.evals.find((one) => one.eval === name && one.dataset === dataset);
  const skipped = byName('rca', 'sockshop-rcd');
  assert.equal(skipped?.data, path.join(dataDir, 'rca', 'sockshop-rcd'));
  assert.equal(skipped?.reason, `${path.join(dataDir, 'rca', 'sockshop-rcd')} does not exist`);
  assert.deepEqual(skipped?.figures, []);

  const templates = byName('templates', 'loghub-2k content');
  assert.deepEqual(templates?.figures.map(({ metric, value, floor, pass }) => [metric, value, floor, pass]), [
    ['GA average', 1, 0.5, true],
    ['GA min per system', 1, null, null],
  ]);
  assert.ok(templates !== undefined && templates.durationMs >= 0 && templates.details !== null);

  const grouping = byName('grouping', 'generated storms');
  assert.deepEqual(grouping?.figures.map((one) => one.metric), ['compression', 'pair precision', 'pair recall', 'homogeneity', 'completeness']);
  assert.deepEqual(grouping?.problems, []);

  const retrieval = byName('retrieval', 'knowledge queries');
  assert.deepEqual(retrieval?.figures.map(({ metric, value, pass }) => [metric, value, pass]), [
    ['hit@1', 0.5, false],
    ['hit@3', 0.5, null],
    ['hit@5', 0.5, null],
    ['MRR', 0.5, null],
  ]);

  assert.deepEqual(written.failures, ['retrieval knowledge queries hit@1 0.500 is below its floor 0.9', 'broken always: could not run: cannot read the cases']);
  assert.ok(progress.some((line) => line.startsWith('rca sockshop-rcd: skipped')));

  const table = reportTable(report).split('\n');
  assert.match(table[0] ?? '', /^eval\s+dataset\s+metric\s+value\s+floor\s+result$/);
  assert.ok(table.some((line) => /^templates\s+loghub-2k content\s+GA average\s+1\.000\s+0\.50\s+pass$/.test(line)));
  assert.ok(table.some((line) => /^retrieval\s+knowledge queries\s+hit@1\s+0\.500\s+0\.90\s+FAIL$/.test(line)));
  assert.ok(table.some((line) => /^rca\s+sockshop-rcd\s+-\s+-\s+-\s+skipped: .*sockshop-rcd does not exist$/.test(line)));
  assert.match(table.at(-1) ?? '', /^4 of 7 evals ran in .* 2 failing$/);
});
