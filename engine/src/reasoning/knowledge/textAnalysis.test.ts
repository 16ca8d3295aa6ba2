import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processTerm, stem, tokenize } from './textAnalysis.ts';

const terms = (text: string) => tokenize(text).flatMap((token) => processTerm(token) ?? []);

describe('text analysis', () => {
  it('splits on punctuation and at case changes, keeping the whole word too', () => {
    assert.deepEqual(tokenize('OOMKilled payments-db: http_requests_total{code="5xx"}'), [
      'OOMKilled',
      'OOM',
      'Killed',
      'payments',
      'db',
      'http',
      'requests',
      'total',
      'code',
      '5xx',
    ]);
  });

  it('drops common words and folds inflections the same way for queries and documents', () => {
    assert.deepEqual(terms('The pods are throttled'), terms('pod throttling'));
    assert.deepEqual(terms('latencies'), terms('latency'));
    assert.deepEqual(terms('cache caching cached caches'), ['cach', 'cach', 'cach', 'cach']);
    assert.deepEqual(terms('connection connections'), ['connect', 'connect']);
    assert.deepEqual(terms('running logged'), ['run', 'log']);
    assert.equal(processTerm('the'), null);
  });

  it('leaves short words, numbers and mixed identifiers alone', () => {
    assert.equal(stem('dns'), 'dns');
    assert.equal(stem('pods'), 'pod');
    assert.equal(stem('node'), 'node');
    assert.equal(processTerm('5xx'), '5xx');
    assert.equal(processTerm('p99'), 'p99');
    assert.equal(stem('exceed'), 'exceed');
    assert.equal(stem('status'), 'status');
    assert.equal(stem('stalled'), 'stall');
  });
});
