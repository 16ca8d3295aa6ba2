import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from './tokens.ts';

const words = (line: string) => tokenize(line).words.join(' ');

test('masks numbers of every shape, keeping identifiers that merely contain a digit', () => {
  assert.equal(words('took 42 ms on 10.0.0.1:8080 at 2024-01-02T10:00:00Z id 0x1f'), 'took <*> on <*> at <*> id <*>');
  assert.equal(words('req 123e4567-e89b-12d3-a456-426614174000 block blk_-6952295868487656571'), 'req <*> block <*>');
  assert.equal(words('org.apache.hadoop.mapreduce.v2.app.MRAppMaster: HttpServer2 started on R02'), 'org.apache.hadoop.mapreduce.v2.app.MRAppMaster: HttpServer2 started on R02');
});

test('masks emails, URLs, absolute paths, host names and quoted strings', () => {
  assert.equal(words('mail ann@example.com fetched https://example.com/a?b=c from /var/log/app'), 'mail <*> fetched <*> from <*>');
  assert.equal(words('resolved ns.example-host.com for "a quoted value" and \'x y\','), 'resolved <*> for <*> and <*>');
});

test('keeps the key of key=value and key:value pairs', () => {
  assert.equal(words('uid=0 euid=0 rhost=5.188.10.180 user=root PendingReds:1'), 'uid=<*> euid=<*> rhost=<*> user=root PendingReds:<*>');
});

test('a unit after a value and adjacent values fold into one value', () => {
  assert.equal(words('sent 403 bytes in 3 sec'), words('sent 1,234 bytes (1.2 KB) in 00:03'));
  assert.equal(words('sent 403 bytes in 3 sec'), 'sent <*> in <*>');
});

test('equal token sequences hash equal and different ones differently', () => {
  assert.equal(tokenize('open 1 through 2').hash, tokenize('open 3 through 44').hash);
  assert.notEqual(tokenize('open 1 through 2').hash, tokenize('close 1 through 2').hash);
  assert.notEqual(tokenize('a b').hash, tokenize('ab').hash);
});

test('pipes separate fields, and odd input does not throw', () => {
  assert.equal(words('2017-12-23|Step_LSC|42|onStandStepChanged 3579'), '<*> Step_LSC <*> onStandStepChanged <*>');
  assert.deepEqual(tokenize('').words, []);
  assert.equal(words('"unterminated quote and \uFFFD bytes'), '"unterminated quote and \uFFFD bytes');
});
