import { EngineClient, isEngineRequestError } from './engineClient';
import { fetchIncident, fetchIncidents, incidentsParams, parseIncident, parseIncidentList } from './incidents';
import { fakeEngineFetch } from './testing/fakeEngineFetch';
import { checkoutIncidentJson, incidentListJson } from './testing/incidentFixtures';
import { checkoutRcaJson } from './testing/reasoningFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

describe('incidents from the engine', () => {
  it('reads the list exactly as the engine sends it', () => {
    const { incidents, truncated } = parseIncidentList(incidentListJson(NOW));
    expect(truncated).toBe(false);
    expect(incidents.map((i) => [i.id, i.severity, i.status, i.alertCount])).toEqual([
      ['inc-7f3a9c', 'critical', 'open', 6],
      ['inc-2b81d0', 'high', 'open', 3],
      ['inc-5c02ee', 'info', 'resolving', 1],
      ['inc-91aa47', 'warning', 'resolved', 2],
      ['inc-d40f13', 'high', 'resolved', 4],
    ]);
    const [checkout] = incidents;
    expect(checkout.services).toEqual(['checkout', 'payments', 'cart']);
    expect(checkout.endsAt).toBeNull();
    expect(checkout.tags).toEqual({ env: 'prod', team: 'shop' });
    expect(checkout.alerts[0].joinReason).toBeNull();
    expect(checkout.alerts[2]).toMatchObject({
      fingerprint: 'c43d',
      service: 'payments',
      joinReason: { rule: 'topology', score: 0.86, detail: 'checkout calls payments (1 hop), 2 min apart' },
    });
    // The engine also says why the first alert is there (rule "first").
    expect(checkout.groupingReasons).toHaveLength(6);
    expect(checkout.groupingReasons[0]).toEqual({
      rule: 'first',
      score: 1,
      peer: null,
      detail: 'the first alert of the incident',
    });
  });

  it('keeps the truncated flag and fills optional parts with empty values', () => {
    const list = parseIncidentList({
      incidents: [{ id: 'x', title: 'T', severity: 'page-me', status: 'resolving', startsAt: '2026-11-23T21:00:00Z' }],
      truncated: true,
    });
    expect(list.truncated).toBe(true);
    expect(list.incidents[0]).toEqual({
      id: 'x',
      title: 'T',
      severity: 'page-me',
      status: 'resolving',
      services: [],
      alerts: [],
      startsAt: '2026-11-23T21:00:00Z',
      endsAt: null,
      tags: {},
      groupingReasons: [],
      alertCount: 0,
      topCause: null,
    });
  });

  it('reads the top cause of the latest analysis, and null when there is none or it is malformed', () => {
    const [checkout, orders] = parseIncidentList(incidentListJson(NOW)).incidents;
    expect(checkout?.topCause).toEqual({ service: 'checkout', indicator: 'latency', confidence: 0.87, method: 'llm' });
    expect(orders?.topCause).toBeNull();
    const base = { id: 'x', title: 'T', severity: 'high', status: 'open', startsAt: '2026-11-23T21:00:00Z' };
    const topCause = (value: unknown) => parseIncident({ ...base, topCause: value }).topCause;
    expect(topCause({ service: 'db', indicator: 'errors', confidence: 1.2, method: 'graph' })?.confidence).toBe(1);
    expect(topCause({ service: 'db', indicator: 'errors', method: 'graph' })).toBeNull();
    expect(topCause({ service: '', indicator: 'errors', confidence: 0.5, method: 'graph' })).toBeNull();
    expect(topCause('db')).toBeNull();
  });

  it('keeps the fixture incidents analysed in step with the analyses the fixtures answer', () => {
    const [checkout] = parseIncidentList(incidentListJson(NOW)).incidents;
    const rca = checkoutRcaJson(NOW);
    const first = rca.causes[0];
    expect(checkout?.topCause).toEqual({
      service: first?.service,
      indicator: first?.indicator,
      confidence: first?.confidence,
      method: rca.method,
    });
  });

  it.each([
    [[], 'the body has no incidents list'],
    [{ incidents: [42] }, 'incident 1 is not a JSON object'],
    [{ incidents: [{ title: 'T' }] }, 'incident 1 has no id'],
    [
      { incidents: [{ id: 'a', title: 'T', severity: 'high', status: 'open', startsAt: 'yesterday' }] },
      'incident a has no valid startsAt',
    ],
  ])('rejects a body that is not an incident list: %j', (body, detail) => {
    expect(() => parseIncidentList(body)).toThrow(detail);
    try {
      parseIncidentList(body);
    } catch (error) {
      expect(isEngineRequestError(error) && error.kind).toBe('invalid-response');
    }
  });

  it('turns a request into the engine query parameters, leaving out empty filters', () => {
    expect(
      incidentsParams({
        from: 1000.4,
        to: 2000,
        status: ['open', 'resolving'],
        severity: [],
        service: [' checkout ', 'payments', 'checkout', ''],
        limit: 50,
      })
    ).toEqual({ from: 1000, to: 2000, status: 'open,resolving', service: 'checkout,payments', limit: 50 });
    expect(incidentsParams({})).toEqual({});
  });

  it('asks GET /api/v1/incidents with the filters and GET /api/v1/incidents/{id} with the id encoded', async () => {
    const engine = fakeEngineFetch((request) =>
      request.url.endsWith('/api/v1/incidents')
        ? { status: 200, data: incidentListJson(NOW) }
        : { status: 200, data: checkoutIncidentJson(NOW) }
    );
    const client = new EngineClient('/api/datasources/proxy/uid/ds/engine', engine.fetch);

    const list = await fetchIncidents(client, { from: 1, to: 2, severity: ['critical', 'high'] });
    expect(list.incidents).toHaveLength(5);
    const incident = await fetchIncident(client, 'inc 7/f');
    expect(incident.id).toBe('inc-7f3a9c');

    expect(engine.requests.map((r) => [r.url, r.params])).toEqual([
      ['/api/datasources/proxy/uid/ds/engine/api/v1/incidents', { from: 1, to: 2, severity: 'critical,high' }],
      ['/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc%207%2Ff', undefined],
    ]);
  });

  it('reports an unknown incident as not found, with the engine message', async () => {
    const engine = fakeEngineFetch(() => ({ status: 404, data: { message: 'No incident with id "nope"' } }));
    const client = new EngineClient('/proxy/engine', engine.fetch);
    await expect(fetchIncident(client, 'nope')).rejects.toMatchObject({
      kind: 'not-found',
      status: 404,
      detail: 'No incident with id "nope"',
    });
  });

  it('parses one incident body and names a wrong one', () => {
    expect(parseIncident(checkoutIncidentJson(NOW)).title).toBe('HighLatency checkout p99 above 2 s');
    expect(() => parseIncident('<html>', '/api/v1/incidents/x')).toThrow('the incident is not a JSON object');
  });
});
