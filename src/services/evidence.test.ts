import { EngineRequestError } from '../datasource/engineClient';
import {
  checkoutEvidenceJson,
  partialEvidenceJson,
  uncollectedEvidenceJson,
} from '../datasource/testing/perceptionFixtures';
import {
  collectEvidence,
  collectedText,
  evidenceExploreUrl,
  evidencePath,
  groupEvidence,
  loadEvidence,
  parseIncidentEvidence,
  sourceHint,
  sourceSentence,
  timeRangeText,
} from './evidence';
import { fakeDatasourceLookup, intelOpsSettings } from './testing/fakeDatasources';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const PATH = evidencePath('inc-7f3a9c');

describe('parseIncidentEvidence', () => {
  it('reads the sources and every evidence item', () => {
    const result = parseIncidentEvidence(checkoutEvidenceJson(NOW), PATH);
    expect(result.incidentId).toBe('inc-7f3a9c');
    expect(result.collectedAt).toBe('2026-11-23T21:59:00.000Z');
    expect(result.sources).toEqual({ prometheus: { state: 'ok' }, loki: { state: 'ok' }, tempo: { state: 'ok' } });
    expect(result.evidence.map((item) => [item.kind, item.service, item.score, item.link.datasource])).toEqual([
      ['metric_anomaly', 'checkout', 0.86, 'prometheus'],
      ['metric_anomaly', 'payments', 0.61, 'prometheus'],
      ['log_template', 'payments', 0.92, 'loki'],
      ['trace_errors', 'payments', 0.74, 'tempo'],
      ['trace_latency', 'checkout', 0.58, 'tempo'],
    ]);
  });

  it('keeps the message of a source that failed or has no URL', () => {
    const result = parseIncidentEvidence(partialEvidenceJson(NOW, 'inc-2b81d0'), PATH);
    expect(result.sources).toEqual({
      prometheus: { state: 'ok' },
      loki: { state: 'unconfigured', message: 'no Loki URL set' },
      tempo: {
        state: 'error',
        message: 'Tempo at http://tempo:3200 answered 503 to GET /api/search: ingester unavailable',
      },
    });
  });

  it('leaves out items of kinds or sources it does not know, and refuses a body without evidence', () => {
    const body = {
      ...uncollectedEvidenceJson('x'),
      evidence: [
        { id: 'a', kind: 'profile_hotspot', link: { datasource: 'pyroscope', query: 'x' } },
        { id: 'b', kind: 'metric_anomaly', link: { datasource: 'graphite', query: 'x' } },
      ],
    };
    expect(parseIncidentEvidence(body, PATH).evidence).toEqual([]);
    expect(() => parseIncidentEvidence({ incidentId: 'x' }, PATH)).toThrow(EngineRequestError);
  });
});

describe('groupEvidence', () => {
  it('groups by kind (both trace kinds together), strongest first', () => {
    const groups = groupEvidence(parseIncidentEvidence(checkoutEvidenceJson(NOW), PATH).evidence);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.score)])).toEqual([
      ['Metric anomalies', [0.86, 0.61]],
      ['Log templates', [0.92]],
      ['Traces', [0.74, 0.58]],
    ]);
    expect(groupEvidence([])).toEqual([]);
  });
});

describe('evidenceExploreUrl', () => {
  it("opens the item's query on its datasource uid over its time range", () => {
    const [item] = parseIncidentEvidence(checkoutEvidenceJson(NOW), PATH).evidence.filter(
      (e) => e.kind === 'log_template'
    );
    if (!item) {
      throw new Error('no log template in the fixture');
    }
    const url = new URL(evidenceExploreUrl(item, { prometheus: 'p', loki: 'loki-eu', tempo: 't' }), 'http://g');
    const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').intelops;
    expect(pane.datasource).toBe('loki-eu');
    expect(pane.queries[0].expr).toBe('{service_name="payments"} |= "payment gateway timeout after"');
    expect(pane.range).toEqual({ from: String(NOW - 52 * 60_000), to: String(NOW) });
  });
});

describe('sentences', () => {
  it('say what each source state means and what to do', () => {
    expect(sourceSentence('prometheus', { state: 'ok' })).toBe('Prometheus: read');
    expect(sourceSentence('loki', { state: 'unconfigured' })).toBe('Loki: not configured.');
    expect(sourceHint({ state: 'unconfigured' })).toBe('Set its URL in Settings');
    expect(sourceHint({ state: 'error', message: 'x' })).toBeUndefined();
    expect(sourceSentence('tempo', { state: 'error', message: 'answered 503' })).toBe('Tempo: failed: answered 503');
  });

  it('format time ranges and the collection time in the time zone', () => {
    expect(timeRangeText('2026-11-23T21:08:00Z', '2026-11-23T22:00:00Z', 'utc')).toBe('2026-11-23 21:08 – 22:00');
    expect(timeRangeText('2026-11-23T23:30:00Z', '2026-11-24T00:30:00Z', 'utc')).toBe(
      '2026-11-23 23:30 – 2026-11-24 00:30'
    );
    expect(timeRangeText('', '2026-11-24T00:30:00Z', 'utc')).toBe('');
    expect(collectedText(null, 'utc')).toBe('Not collected yet.');
    expect(collectedText('2026-11-23T21:59:00Z', 'utc')).toBe('Collected 2026-11-23 21:59:00.');
  });
});

describe('loadEvidence and collectEvidence', () => {
  const settings = intelOpsSettings('ds', 'IntelOps', 'http://engine:8686');
  settings.jsonData = { ...settings.jsonData, tempoDatasourceUid: 'tempo-eu' };

  it('GETs the evidence and POSTs to collect it, through the datasource, with its Explore uids', async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings,
        reply: (request) =>
          request.method === 'POST'
            ? { status: 200, data: partialEvidenceJson(NOW, 'inc-2b81d0') }
            : { status: 200, data: uncollectedEvidenceJson('inc-2b81d0') },
      },
    ]);
    const loaded = await loadEvidence(lookup, 'inc-2b81d0');
    expect(loaded).toMatchObject({
      state: 'ok',
      value: { evidence: { collectedAt: null }, uids: { prometheus: 'prometheus', loki: 'loki', tempo: 'tempo-eu' } },
    });
    const collected = await collectEvidence(lookup, 'inc-2b81d0');
    expect(collected).toMatchObject({ state: 'ok', value: { evidence: { evidence: [{ service: 'orders-db' }] } } });
    expect(lookup.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['GET', '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-2b81d0/evidence', undefined],
      ['POST', '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-2b81d0/evidence', {}],
    ]);
  });

  it('says in words when the engine has no such incident or is down', async () => {
    const missing = fakeDatasourceLookup([
      {
        settings,
        reply: { status: 404, data: { statusCode: 404, error: 'Not Found', message: 'No incident "gone"' } },
      },
    ]);
    expect(await loadEvidence(missing, 'gone')).toMatchObject({
      state: 'failed',
      message:
        'The engine at http://engine:8686 has no evidence for incident "gone" (No incident "gone"): it may be older than evidence collection, or gone.',
    });
    const down = fakeDatasourceLookup([{ settings, reply: { status: 502, data: '' } }]);
    expect(await collectEvidence(down, 'inc-7f3a9c')).toMatchObject({
      state: 'failed',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
    });
  });
});
