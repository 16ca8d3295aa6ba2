import { createDataFrame, FieldType, toDataFrame } from '@grafana/data';
import { normaliseConfidence, parseActions, parseEvidence, parseMethod, rootCausesFromFrames } from './rootCauses';
import { rootCausesFrame } from '../../datasource/rootCausesFrame';
import { parseRcaResult } from '../../datasource/rootCauses';
import { checkoutRcaJson } from '../../datasource/testing/reasoningFixtures';
import { checkoutEvidenceJson } from '../../datasource/testing/perceptionFixtures';
import { parseIncidentEvidence } from '../../services/evidence';
import { resolveEvidence } from '../../services/rootCauseCards';
import { DEFAULT_UPSTREAM_UIDS } from '../../datasource/upstreams';

const NOW = Date.parse('2026-11-23T22:00:00Z');

const causes = createDataFrame({
  refId: 'A',
  fields: [
    { name: 'rank', type: FieldType.number, values: [2, 1, 3, 4] },
    { name: 'service', type: FieldType.string, values: ['payments-db', 'checkout', 'cart', 'frontend'] },
    { name: 'indicator', type: FieldType.string, values: ['connections', 'p99 latency', 'error rate', 'cpu'] },
    { name: 'confidence', type: FieldType.number, values: [0.41, 0.87, 0.12, 0.05] },
    {
      name: 'explanation',
      type: FieldType.string,
      values: ['Pool exhausted', 'Deploy 4f2c doubled latency', 'Retries amplify errors', 'Noise'],
    },
    {
      name: 'evidence',
      type: FieldType.other,
      values: [
        ['metric:pg_stat_activity_count'],
        '["metric:http_request_duration_seconds p99","change:deploy 4f2c","log:timeout after <*> ms"]',
        [{ kind: 'trace', id: '7be2a9' }],
        [],
      ],
    },
    {
      name: 'method',
      type: FieldType.string,
      values: ['llm:gpt-4o-mini', 'llm:gpt-4o-mini', 'llm:gpt-4o-mini', 'llm'],
    },
  ],
});

describe('rootCausesFromFrames', () => {
  it('returns the top three causes in rank order with their evidence and method', () => {
    const view = rootCausesFromFrames([causes]);

    expect(view.cards.map((c) => [c.rank, c.service, c.confidence])).toEqual([
      [1, 'checkout', 0.87],
      [2, 'payments-db', 0.41],
      [3, 'cart', 0.12],
    ]);
    expect(view.cards[0]).toMatchObject({
      indicator: 'p99 latency',
      explanation: 'Deploy 4f2c doubled latency',
      evidence: [
        { kind: 'metric', label: 'http_request_duration_seconds p99' },
        { kind: 'change', label: 'deploy 4f2c' },
        { kind: 'log', label: 'timeout after <*> ms' },
      ],
    });
    expect(view.cards[2]?.evidence).toMatchObject([{ kind: 'trace', label: '7be2a9' }]);
    expect(view.method).toEqual({ kind: 'llm', model: 'gpt-4o-mini' });
  });

  it('reads the IntelOps datasource frame: actions, Explore links, fallback reason, incident and engine route', () => {
    const rca = parseRcaResult(
      { ...checkoutRcaJson(NOW), method: 'graph', fallbackReason: 'timed out after 20 s' },
      '/x'
    );
    const evidence = parseIncidentEvidence(checkoutEvidenceJson(NOW), '/x').evidence;
    const refs = rca.causes.map((cause) => resolveEvidence(cause.evidence, evidence, DEFAULT_UPSTREAM_UIDS));
    const frame = rootCausesFrame(
      { rca, refs },
      { incidentId: 'inc-7f3a9c', engineUrl: '/api/datasources/proxy/uid/ds/engine', engineName: 'http://engine:8686' },
      'A'
    );
    const view = rootCausesFromFrames([frame]);

    expect(view.incidentId).toBe('inc-7f3a9c');
    expect(view.engineUrl).toBe('/api/datasources/proxy/uid/ds/engine');
    expect(view.method).toEqual({ kind: 'graph', fallbackReason: 'timed out after 20 s' });
    expect(view.cards[0]?.actions).toEqual([
      'Roll back checkout to v2.4.0',
      'Follow the runbook "Checkout latency": check the connection pool size',
    ]);
    const [metric, trace, change] = view.cards[0]?.evidence ?? [];
    expect(metric).toMatchObject({ kind: 'metric', label: 'checkout p99 latency rose from 0.45 s to 2.3 s' });
    const url = new URL(metric?.href ?? '', 'http://grafana.local');
    const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').intelops;
    expect(pane.datasource).toBe('prometheus');
    expect(pane.queries[0].expr).toContain('histogram_quantile(0.99');
    expect(Number(pane.range.to) - Number(pane.range.from)).toBe(52 * 60_000);
    expect(trace).toMatchObject({ kind: 'trace' });
    expect(change).toEqual({ kind: 'change', label: 'deploy-checkout-4f2c', title: 'change: deploy-checkout-4f2c' });
    expect(view.notices.map((n) => n.text)).toEqual([
      'LLM not used: timed out after 20 s. The causes are ranked by the dependency graph.',
      '1 cause the LLM gave was dropped: it cited evidence or services that do not exist.',
    ]);
  });

  it('keeps the reason an empty datasource frame has no rows', () => {
    const frame = rootCausesFrame(
      { none: { kind: 'not-analysed', incidentId: 'inc-2b81d0' } },
      { incidentId: 'inc-2b81d0', engineUrl: '/e', engineName: 'http://engine:8686' },
      'A'
    );
    const view = rootCausesFromFrames([frame]);
    expect(view.cards).toEqual([]);
    expect(view.empty).toBe('not-analysed');
    expect(view.notices[0]?.text).toMatch(/^Not analysed yet: incident inc-2b81d0/);
  });

  it('orders by confidence when the frame has no rank, and reads snake_case names', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service_name', values: ['a', 'b'] },
        { name: 'Confidence', values: [0.2, 0.9] },
        { name: 'method', values: ['graph', 'graph'] },
      ],
    });
    const view = rootCausesFromFrames([frame]);
    expect(view.cards.map((c) => [c.rank, c.service])).toEqual([
      [1, 'b'],
      [2, 'a'],
    ]);
    expect(view.method).toEqual({ kind: 'graph' });
  });

  it('finds nothing in frames without service and confidence', () => {
    const other = toDataFrame({ fields: [{ name: 'version', values: ['0.1.0'] }] });
    expect(rootCausesFromFrames([other]).cards).toEqual([]);
    expect(rootCausesFromFrames([]).cards).toEqual([]);
  });

  it('skips rows without a service', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service', values: ['', null, 'db'] },
        { name: 'confidence', values: [0.9, 0.8, 0.3] },
      ],
    });
    expect(rootCausesFromFrames([frame]).cards.map((c) => c.service)).toEqual(['db']);
  });
});

describe('parseEvidence', () => {
  it('reads arrays, JSON strings, kind prefixes, engine ids and plain strings', () => {
    expect(
      parseEvidence(['metric:up', 'deploy:v2', 'ev_log_c4d5e6f7a8b9', 'something']).map((c) => [c.kind, c.label])
    ).toEqual([
      ['metric', 'up'],
      ['change', 'v2'],
      ['log', 'ev_log_c4d5e6f7a8b9'],
      ['other', 'something'],
    ]);
    expect(parseEvidence('["trace:abc"]').map((c) => c.kind)).toEqual(['trace']);
    expect(parseEvidence('log:disk full').map((c) => c.label)).toEqual(['disk full']);
    expect(parseEvidence('[not json').map((c) => c.label)).toEqual(['[not json']);
    expect(parseEvidence(undefined)).toEqual([]);
    expect(parseEvidence('  ')).toEqual([]);
  });

  it('keeps colons inside the label (PromQL, URLs)', () => {
    expect(parseEvidence(['metric:rate(http_requests_total{code=~"5.."}[5m]):sum'])[0]?.label).toBe(
      'rate(http_requests_total{code=~"5.."}[5m]):sum'
    );
  });
});

describe('parseMethod', () => {
  it.each([
    ['graph', undefined, undefined, { kind: 'graph' }],
    ['graph', undefined, 'rate limited (429)', { kind: 'graph', fallbackReason: 'rate limited (429)' }],
    ['graph:llm-unavailable', undefined, undefined, { kind: 'graph', fallbackReason: 'LLM unavailable' }],
    ['llm', 'gpt-4o-mini', undefined, { kind: 'llm', model: 'gpt-4o-mini' }],
    ['llm:llama3.1:8b', undefined, undefined, { kind: 'llm', model: 'llama3.1:8b' }],
    ['llm', undefined, undefined, { kind: 'llm' }],
    ['bayesian', undefined, undefined, { kind: 'other', label: 'bayesian' }],
  ])('%p (model %p, fallback %p)', (cell, model, reason, method) => {
    expect(parseMethod(cell, model, reason)).toEqual(method);
  });

  it('has no method for an empty cell', () => {
    expect(parseMethod(undefined)).toBeUndefined();
  });
});

describe('parseActions and normaliseConfidence', () => {
  it('reads action lists in any of their shapes', () => {
    expect(parseActions(['a', '', 'b'])).toEqual(['a', 'b']);
    expect(parseActions('["roll back"]')).toEqual(['roll back']);
    expect(parseActions('restart')).toEqual(['restart']);
    expect(parseActions(undefined)).toEqual([]);
  });

  it('keeps fractions, reads percentages, clamps the rest', () => {
    expect(normaliseConfidence(0.87)).toBe(0.87);
    expect(normaliseConfidence(87)).toBe(0.87);
    expect(normaliseConfidence(250)).toBe(1);
    expect(normaliseConfidence(-1)).toBe(0);
    expect(normaliseConfidence(undefined)).toBeUndefined();
  });
});
