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

test('the tracing bench analyses with tracing on and off and finds every traced run stored and exported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'intelops-bench-tracing-'));
  try {
    const file = join(dir, 'result.json');
    const { stdout } = await run(process.execPath, [tool, '--runs', '3', '--warmup', '1', '--json', file]);
    for (const scenario of ['graph', 'llm']) {
      assert.match(
        stdout,
        new RegExp(
          `^${scenario}: 3 analyses per mode \\(interleaved, after 1 warm-up\\), incident of \\d+ services, [\\d.]+ spans per traced run$`,
          'm'
        )
      );
      assert.match(
        stdout,
        new RegExp(`^${scenario}: tracing off: p50 [\\d.]+ ms, p95 [\\d.]+ ms, mean [\\d.]+ ms$`, 'm')
      );
      assert.match(
        stdout,
        new RegExp(`^${scenario}: tracing on:  p50 [\\d.]+ ms, p95 [\\d.]+ ms, mean [\\d.]+ ms$`, 'm')
      );
      assert.match(
        stdout,
        new RegExp(
          `^${scenario}: added latency: p50 [+-][\\d.]+ %, p95 [+-][\\d.]+ %, mean [+-][\\d.]+ %, median of pairs [+-][\\d.]+ %`,
          'm'
        )
      );
      assert.match(
        stdout,
        new RegExp(`^${scenario}: recorded 3 of 3 traced runs; OTLP sink got [1-9]\\d* requests`, 'm')
      );
    }
    const { results } = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(
      results.map((result: { scenario: string }) => result.scenario),
      ['graph', 'llm']
    );
    for (const result of results) {
      assert.equal(result.recordedRuns, 3);
      assert.ok(result.on.p50Ms > 0 && result.off.p50Ms > 0);
      assert.ok(result.exportedBytes > 0);
    }
    // The LLM scenario's runs have the chat and tool spans the graph scenario's lack.
    assert.ok(results[1].spansPerRun > results[0].spansPerRun);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the tracing bench refuses a bad flag with a message naming it', async () => {
  await assert.rejects(run(process.execPath, [tool, '--runs', 'lots']), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 2);
    assert.match(error.stderr ?? '', /--runs takes a whole number of at least 1; got "lots"/);
    return true;
  });
});
