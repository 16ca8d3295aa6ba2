import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { UpstreamError } from '../sources/http.ts';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { GrafanaAnnotationsSource, changesFromAnnotations } from './grafanaAnnotations.ts';

const RANGE = { from: Date.parse('2026-11-02T06:00:00Z'), to: Date.parse('2026-11-02T09:00:00Z') };
const TOKEN = 'glsa_test_token_0123456789';

// GET /api/annotations answers a list of these (Grafana's HTTP API reference); written here for the tests.
const ANNOTATIONS = [
  {
    id: 1124,
    alertId: 0,
    dashboardId: 468,
    dashboardUID: 'shop-overview',
    panelId: 2,
    userId: 1,
    newState: '',
    prevState: '',
    created: 1793599200000,
    updated: 1793599200000,
    time: Date.parse('2026-11-02T07:40:00Z'),
    timeEnd: Date.parse('2026-11-02T07:46:00Z'),
    text: 'Deployed checkout v2.4.1<br/>Pipeline <a href="https://ci.example/runs/88">#88</a> &amp; canary',
    tags: ['deploy', 'service:checkout', 'version:v2.4.1', 'env=prod'],
    login: 'ci-bot',
    email: 'ci@shop.example',
    avatarUrl: '/avatar/x',
    data: {},
  },
  {
    id: 1125,
    dashboardUID: '',
    panelId: 0,
    time: Date.parse('2026-11-02T08:00:00Z'),
    timeEnd: Date.parse('2026-11-02T08:00:00Z'),
    text: '',
    tags: ['deploy', 'service:payment', 'kind:feature_flag'],
  },
  { id: 1126, time: Date.parse('2026-11-02T08:10:00Z'), text: 'no service here', tags: ['deploy'] },
  'not an annotation',
];

describe('changesFromAnnotations', () => {
  it('maps text, tags and time range to changes, skipping what names no service', () => {
    const { changes, warnings } = changesFromAnnotations(ANNOTATIONS, 'https://grafana.example');
    assert.deepEqual(changes, [
      {
        id: 'chg_grafana_1124',
        kind: 'deploy',
        service: 'checkout',
        title: 'Deployed checkout v2.4.1',
        description: 'Pipeline #88 & canary',
        startsAt: new Date('2026-11-02T07:40:00Z'),
        endsAt: new Date('2026-11-02T07:46:00Z'),
        author: 'ci-bot',
        version: 'v2.4.1',
        url: 'https://grafana.example/d/shop-overview?viewPanel=2',
        labels: { source: 'grafana', annotationId: '1124', service: 'checkout', version: 'v2.4.1', env: 'prod' },
      },
      {
        id: 'chg_grafana_1125',
        kind: 'feature_flag',
        service: 'payment',
        title: 'feature_flag of payment',
        description: undefined,
        startsAt: new Date('2026-11-02T08:00:00Z'),
        endsAt: undefined,
        author: undefined,
        version: undefined,
        url: undefined,
        labels: { source: 'grafana', annotationId: '1125', service: 'payment', kind: 'feature_flag' },
      },
    ]);
    assert.deepEqual(warnings, ['annotation 2: (id 1126) has no service:<name> tag; skipped', 'annotation 3: is not an object; skipped']);
  });
});

describe('GrafanaAnnotationsSource', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('asks for the tagged annotations of the range with the service-account token', async () => {
    server.on('/api/annotations', { body: ANNOTATIONS });
    const source = new GrafanaAnnotationsSource({ baseUrl: server.url, token: TOKEN, tag: 'deploy', retries: 0 });
    const { changes } = await source.changes(RANGE);
    assert.deepEqual(changes.map((change) => change.id), ['chg_grafana_1124', 'chg_grafana_1125']);
    const request = server.requests[0];
    assert.equal(request?.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(Object.fromEntries(request?.query ?? []), { tags: 'deploy', from: String(RANGE.from), to: String(RANGE.to), type: 'annotation', limit: '1000' });
    assert.equal(changes[0]?.url, `${server.url}/d/shop-overview?viewPanel=2`);
  });

  it('says when the limit cut the list', async () => {
    server.on('/api/annotations', { body: ANNOTATIONS.slice(0, 2) });
    const { warnings } = await new GrafanaAnnotationsSource({ baseUrl: server.url, tag: 'deploy', limit: 2 }).changes(RANGE);
    assert.deepEqual(warnings, ['Grafana returned 2 annotations tagged "deploy", the limit: older ones in the range were not read']);
  });

  it('fails with a typed error that never shows the token', async () => {
    server.on('/api/annotations', { status: 401, body: { message: `invalid API key ${TOKEN}` } });
    await assert.rejects(new GrafanaAnnotationsSource({ baseUrl: server.url, token: TOKEN, tag: 'deploy', retries: 0 }).changes(RANGE), (error: unknown) => {
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.upstream, 'grafana');
      assert.ok(!error.message.includes(TOKEN), error.message);
      assert.match(error.message, /^Grafana \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 401/);
      return true;
    });
    server.on('/api/annotations', { body: { annotations: [] } });
    await assert.rejects(new GrafanaAnnotationsSource({ baseUrl: server.url, tag: 'deploy' }).changes(RANGE), /answered \/api\/annotations with something other than a list/);
  });
});

/** Grafana's own annotation payloads beside the repository (../shared/contracts/grafana), read but never copied. */
const CONTRACTS = path.resolve(import.meta.dirname, '../../../../shared/contracts/grafana');
const contractFiles = existsSync(CONTRACTS) ? readdirSync(CONTRACTS).filter((name) => /annotation/i.test(name) && name.endsWith('.json')) : [];

describe('Grafana annotations contract', { skip: contractFiles.length === 0 ? `no Grafana annotations payload in ${CONTRACTS} (none is shipped yet); the mapping is tested on the documented format above` : false }, () => {
  for (const name of contractFiles) {
    it(`reads ${name}`, () => {
      const body: unknown = JSON.parse(readFileSync(path.join(CONTRACTS, name), 'utf8'));
      const list = Array.isArray(body) ? body : [body];
      const { changes, warnings } = changesFromAnnotations(list, 'https://grafana.example');
      assert.equal(changes.length + warnings.length, list.length);
      for (const change of changes) {
        assert.ok(Number.isFinite(change.startsAt.getTime()));
      }
    });
  }
});
