import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const tool = join(dirname(fileURLToPath(import.meta.url)), 'run.ts');

test('the workflow bench runs a tiny load on PGlite and finds nothing lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'intelops-bench-workflows-'));
  try {
    const file = join(dir, 'result.json');
    const { stdout } = await run(process.execPath, [
      tool,
      '--runs',
      '12',
      '--concurrency',
      '4',
      '--store',
      'pglite',
      '--json',
      file,
    ]);
    assert.match(
      stdout,
      /^pglite: 12 runs × 3 steps, runner concurrency 4: [\d.]+ runs\/s .*step latency p50 [\d.]+ ms, p99 [\d.]+ ms/m
    );
    assert.match(
      stdout,
      /^pglite: 12 succeeded, 0 not; 36 requests, 0 side effects missing, 0 repeated: nothing lost$/m
    );
    const { results } = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(results.length, 1);
    assert.equal(results[0].store, 'pglite');
    assert.equal(results[0].succeeded, 12);
    assert.ok(results[0].runsPerSecond > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the workflow bench refuses a bad flag with a message naming it', async () => {
  await assert.rejects(run(process.execPath, [tool, '--runs', 'many']), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 2);
    assert.match(error.stderr ?? '', /--runs takes a whole number of at least 1; got "many"/);
    return true;
  });
});
