import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MINED_CHARS, TemplateMiner, templateText } from './miner.ts';

test('lines of one event share a template that generalises as variants arrive', () => {
  const miner = new TemplateMiner();
  const first = miner.add('Invalid user webmaster from 173.234.31.186', 1000);
  const second = miner.add('Invalid user test9 from 52.80.34.196', 2000);
  const other = miner.add('Connection closed by 52.80.34.196 [preauth]', 3000);
  assert.equal(first.created, true);
  assert.equal(second.template.id, first.template.id);
  assert.equal(templateText(second.template), 'Invalid user <*> from <*>');
  assert.notEqual(other.template.id, first.template.id);
  assert.deepEqual([second.template.count, second.template.firstSeen, second.template.lastSeen], [2, 1000, 2000]);
});

test('raw lines of different formats group by message, not by their timestamps', () => {
  const miner = new TemplateMiner();
  const ids = new Set(
    [
      '2024-01-02 10:00:01,123 INFO [main] com.example.Api: request served in 12 ms',
      '2024-01-02 10:00:02,456 INFO [main] com.example.Api: request served in 7 ms',
      '2024-01-03 23:59:59,999 INFO [main] com.example.Api: request served in 1 sec',
    ].map((line) => miner.add(line).template.id)
  );
  assert.equal(ids.size, 1);
});

test('upper-case states are constants: different ones make different templates', () => {
  const miner = new TemplateMiner();
  const a = miner.add('attempt_1 TaskAttempt Transitioned from NEW to UNASSIGNED');
  const b = miner.add('attempt_2 TaskAttempt Transitioned from RUNNING to SUCCEEDED');
  assert.notEqual(a.template.id, b.template.id);
});

test('memory stays bounded: beyond the cap the least recently seen template is evicted', () => {
  const miner = new TemplateMiner({ maxTemplates: 50 });
  const line = (i: number) => `k${i} v${i} w${i}`;
  const first = miner.add(line(0), 0).template.id;
  for (let i = 1; i < 500; i++) {
    miner.add(line(i), i);
  }
  assert.ok(miner.size <= 50 && miner.size >= 45, `${miner.size} templates`);
  assert.equal(miner.get(first), undefined);
  assert.notEqual(miner.get(miner.add(line(499), 600).template.id), undefined);
  const again = miner.add(line(0), 10_000);
  assert.equal(again.created, true);
  assert.ok(miner.size <= 50);
});

test('restored templates keep their ids and keep matching', () => {
  const before = new TemplateMiner();
  const { template } = before.add('disk sda almost full: 91%', 5);
  const after = new TemplateMiner();
  after.restore({ ...template, tokens: [...template.tokens] });
  assert.equal(after.add('disk sda almost full: 97%', 6).template.id, template.id);
});

test('huge and binary lines are mined from their first few KB without throwing', () => {
  const miner = new TemplateMiner();
  const huge = `payload ${'x'.repeat(1_000_000)}`;
  const result = miner.add(huge);
  assert.ok(result.template.sample.length <= MAX_MINED_CHARS);
  assert.doesNotThrow(() => miner.add('\u0000\u0001\uFFFD\uD800 binary'));
});
