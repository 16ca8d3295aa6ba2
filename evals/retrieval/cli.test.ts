import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runRetrievalEval } from './cli.ts';

test('writes the report as JSON and gates on hit rate at k', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knowledge-cli-'));
  t.mock.method(console, 'log', () => {});
  t.mock.method(console, 'error', () => {});
  try {
    mkdirSync(path.join(dir, 'runbooks'));
    mkdirSync(path.join(dir, 'eval'));
    writeFileSync(path.join(dir, 'runbooks', 'cpu.md'), '---\ntitle: CPU saturation\n---\nThrottled pods.\n');
    writeFileSync(path.join(dir, 'runbooks', 'disk.md'), '---\ntitle: Disk full\n---\nNo space left.\n');
    writeFileSync(
      path.join(dir, 'eval', 'queries.yaml'),
      'queries:\n  - text: throttled\n    expect: [cpu.md]\n  - text: nothing matches\n    expect: [disk.md]\n'
    );
    const json = path.join(dir, 'out.json');
    assert.equal(await runRetrievalEval(['--data', dir, '--k', '1', '--json', json, '--min-hit-rate', '0.5']), 0);
    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      queries: number;
      k: number;
      hitRate: Record<string, number>;
      mrr: number;
    };
    assert.deepEqual([written.queries, written.k, written.hitRate['1'], written.mrr], [2, 1, 0.5, 0.5]);
    assert.equal(await runRetrievalEval(['--data', dir, '--min-hit-rate', '0.6']), 1);
    assert.equal(await runRetrievalEval(['--data', dir, '--k', '0']), 2);
    assert.equal(await runRetrievalEval(['--data', dir, '--min-hit-rate', '2']), 2);
    assert.equal(await runRetrievalEval(['--data', path.join(dir, 'missing')]), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
