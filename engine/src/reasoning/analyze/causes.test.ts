import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Evidence } from '../../perception/evidence.ts';
import { MAX_SIGMAS } from '../ranking/deviation.ts';
import type { RankedCause } from '../ranking/rankRootCauses.ts';
import { causesOf } from './causes.ts';

const T = Date.parse('2026-11-20T10:00:00Z');

function ranked(service: string, score: number, more: Partial<RankedCause> = {}): RankedCause {
  return {
    service,
    score,
    confidence: score / 10,
    indicator: 'cpu',
    metric: 'CPU',
    deviation: 12.34,
    direction: 'up',
    onset: 4,
    ...more,
  };
}

function metric(id: string, service: string, signal: 'latency' | 'saturation', score: number): Evidence {
  const at = new Date(T).toISOString();
  return {
    id,
    kind: 'metric_anomaly',
    service,
    score,
    summary: `${signal} of ${service} rose`,
    from: at,
    to: at,
    link: { datasource: 'prometheus', query: 'q' },
    details: { signal, labels: {}, direction: 'up', onset: at, value: 1, baselineMedian: 0 },
  };
}

function logTemplate(id: string, service: string, score: number): Evidence {
  const at = new Date(T).toISOString();
  return {
    id,
    kind: 'log_template',
    service,
    score,
    summary: `New log template in ${service}: connection refused <*>`,
    from: at,
    to: at,
    link: { datasource: 'loki', query: '{service="x"}' },
    details: {
      templateId: 't',
      template: 'connection refused <*>',
      change: 'new',
      count: 9,
      baselineCount: 0,
      firstSeen: at,
      lastSeen: at,
      sample: 's',
    },
  };
}

const onsetTime = (index: number) => T + index * 15_000;

describe('causesOf', () => {
  it('keeps the top three with a score, cites the service’s evidence of the indicator first, and explains with the onset', () => {
    const evidence = [
      metric('ev_lat', 'payment', 'latency', 0.9),
      metric('ev_cpu', 'payment', 'saturation', 0.6),
      metric('ev_other', 'cart', 'latency', 0.8),
    ];
    const causes = causesOf({
      ranking: [
        ranked('payment', 5),
        ranked('cart', 2, { indicator: 'latency', metric: 'latency', direction: 'down', onset: undefined }),
        ranked('ads', 1),
        ranked('email', 0.5),
        ranked('idle', 0),
      ],
      evidence,
      changes: [],
      incidentStart: new Date(T),
      onsetTime,
    });
    assert.deepEqual(
      causes.map((cause) => cause.service),
      ['payment', 'cart', 'ads']
    );
    assert.deepEqual(causes[0]?.evidence, ['ev_cpu', 'ev_lat']);
    assert.equal(causes[0]?.explanation, 'CPU of payment rose 12.3σ above its baseline from 10:01 UTC.');
    assert.equal(causes[1]?.explanation, 'latency of cart fell 12.3σ below its baseline.');
    assert.equal(causes[2]?.explanation, 'CPU of ads rose 12.3σ above its baseline from 10:01 UTC.');
    const [fromZero] = causesOf({
      ranking: [ranked('payment', 5, { indicator: 'errors', metric: 'error ratio', deviation: MAX_SIGMAS })],
      evidence: [],
      changes: [],
      incidentStart: new Date(T),
      onsetTime,
    });
    assert.equal(fromZero?.explanation, 'error ratio of payment rose off a flat baseline from 10:01 UTC.', 'no sigmas where the baseline had no spread');
    assert.equal(causes[0]?.confidence, 0.5);
  });

  it('names the change or log template when only they speak for a service, and cites the change first', () => {
    const change = {
      id: 'deploy-1',
      kind: 'deploy' as const,
      service: 'checkout',
      title: 'checkout v2',
      description: undefined,
      startsAt: new Date(T - 10 * 60_000),
      endsAt: undefined,
      author: undefined,
      version: undefined,
      url: 'https://ci.example/run/1',
      labels: {},
    };
    const causes = causesOf({
      ranking: [ranked('checkout', 3, { metric: 'evidence' }), ranked('cart', 2, { metric: 'evidence' })],
      evidence: [logTemplate('ev_log', 'checkout', 0.7), logTemplate('ev_log2', 'cart', 0.7)],
      changes: [{ change, strength: 0.9 }],
      incidentStart: new Date(T),
      onsetTime,
    });
    assert.equal(causes[0]?.indicator, 'change');
    assert.deepEqual(causes[0]?.evidence, ['deploy-1', 'ev_log']);
    assert.equal(
      causes[0]?.explanation,
      'A deploy "checkout v2" started 10 min before the incident. New log template in checkout: connection refused <*>.'
    );
    assert.deepEqual(causes[0]?.actions, ['Roll back: "checkout v2" on checkout, https://ci.example/run/1']);
    assert.equal(causes[1]?.indicator, 'log_template');
  });
});
