import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { evalRetrieval } from './evalRetrieval.ts';
import { loadQueries } from './queries.ts';

/** A knowledge folder with three runbooks and the given queries.yaml, written here. */
function writeKnowledge(queries: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'knowledge-'));
  mkdirSync(path.join(dir, 'runbooks'));
  mkdirSync(path.join(dir, 'eval'));
  const runbook = (file: string, title: string, services: string, body: string) =>
    writeFileSync(path.join(dir, 'runbooks', file), `---\ntitle: ${title}\nservices: [${services}]\n---\n${body}\n`);
  runbook('cpu.md', 'CPU saturation', '', 'Pods throttled at their CPU limit.');
  runbook('disk.md', 'Disk full', 'database', 'No space left on device; WAL retained by a replication slot.');
  runbook('redis.md', 'Redis unreachable', 'cart', 'Connection refused on port 6379.');
  writeFileSync(path.join(dir, 'eval', 'queries.yaml'), queries);
  return dir;
}

test('scores every labelled query through the real search', async () => {
  const dir = writeKnowledge(`queries:
  - text: cpu throttled
    expect: [cpu.md]
  - text: no space left on device
    services: [database]
    expect: [disk.md, cpu.md]
  - text: connection refused
    services: [cart]
    tags: [availability]
    expect: [redis.md]
  - text: zebra crossing
    expect: [cpu.md]
`);
  try {
    const report = await evalRetrieval(dir, { ks: [2] });
    assert.equal(report.runbooks, 3);
    assert.equal(report.queries, 4);
    assert.deepEqual(report.hitRate, { 1: 0.75, 2: 0.75, 3: 0.75, 5: 0.75 });
    assert.equal(report.mrr, 0.75);
    assert.deepEqual(
      report.results.map((result) => result.rank),
      [1, 1, 1, null]
    );
    assert.equal(report.results[0]?.ranking[0], 'cpu.md');
    assert.deepEqual(report.results[3]?.ranking, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an expected file that is not a runbook, or a malformed query, is an error naming the line', async () => {
  const dir = writeKnowledge('queries:\n  - text: cpu\n    expect: [cpu.md]\n  - text: disk\n    expect: [gone.md]\n');
  try {
    await assert.rejects(evalRetrieval(dir), /queries\.yaml, line 4: expected runbook gone\.md is not in/);
    const file = path.join(dir, 'eval', 'queries.yaml');
    const bad = (text: string, pattern: RegExp) => {
      writeFileSync(file, text);
      assert.throws(() => loadQueries(file), pattern);
    };
    bad('queries:\n  - text: cpu\n    expected: [cpu.md]\n', /line 3: unknown key "expected"/);
    bad('queries:\n  - text: cpu\n    expect: []\n', /line 3: expect must be a non-empty list of strings/);
    bad(
      'queries:\n  - text: cpu\n    expect: [cpu.md]\n    services: cart\n',
      /line 4: services must be a list of strings/
    );
    bad('queries:\n  - expect: [cpu.md]\n', /line 2: text must be a non-empty string/);
    bad('queries: [\n', /line \d: not valid YAML/);
    bad('- text: cpu\n', /line 1: expected a mapping with a list "queries"/);
    await assert.rejects(
      evalRetrieval(path.join(dir, 'missing')),
      /must hold runbooks\/\*\.md and eval\/queries\.yaml/
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped query set loads and every query names runbooks that exist', async () => {
  const report = await evalRetrieval(path.resolve(import.meta.dirname, '../../knowledge'));
  assert.ok(report.queries >= 40, `expected 40+ labelled queries, found ${report.queries}`);
  assert.ok(report.runbooks >= 12);
});
