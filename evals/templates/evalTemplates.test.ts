import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { evalTemplates } from './evalTemplates.ts';

/** A Loghub-layout folder with one small system, written here (the shared datasets are not in the repository). */
function writeSystem(dir: string, name: string, rows: Array<[string, string, string]>, crlf = false): void {
  mkdirSync(path.join(dir, name));
  const csv = ['LineId,Time,Content,EventId', ...rows.map(([time, content, event], i) => `${i + 1},${time},"${content.replaceAll('"', '""')}",${event}`)];
  writeFileSync(path.join(dir, name, `${name}_2k.log_structured.csv`), `${csv.join('\n')}\n`);
  const eol = crlf ? '\r\n' : '\n';
  writeFileSync(path.join(dir, name, `${name}_2k.log`), rows.map(([time, content]) => `${time} INFO ${content}`).join(eol) + eol);
}

test('mines each system on raw lines and on the Content column and reports GA per system and on average', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loghub-'));
  try {
    writeSystem(dir, 'Shop', [
      ['2024-01-01 10:00:01', 'login of user ann from 10.0.0.1', 'E1'],
      ['2024-01-01 10:00:02', 'login of user bob from 10.0.0.2', 'E1'],
      ['2024-01-01 10:00:03', 'cart, "quoted" 3 items', 'E2'],
      ['2024-01-01 10:00:04', 'payment failed: card declined', 'E3'],
    ], true);
    writeSystem(dir, 'Tiny', [['2024-01-01 10:00:01', 'started', 'E1'], ['2024-01-01 10:00:02', 'stopped', 'E2']]);
    for (const field of ['raw', 'content'] as const) {
      const report = evalTemplates(dir, field);
      assert.deepEqual(Object.keys(report.systems), ['Shop', 'Tiny']);
      assert.deepEqual(report.systems.Shop, { ga: 1, lines: 4, templates: 3 });
      assert.equal(report.average.ga, 1);
    }
    assert.throws(() => evalTemplates(path.join(dir, 'missing'), 'raw'), /no such folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
