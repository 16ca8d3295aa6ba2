import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';

interface ChangeView {
  id: string;
  kind: string;
  service: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  version: string | null;
}

const deploy = {
  id: 'deploy-1842',
  kind: 'deploy',
  service: 'checkout',
  title: 'checkout v2.4.1',
  startsAt: '2026-11-02T08:00:00Z',
  version: 'v2.4.1',
  author: 'ci@example.com',
  url: 'https://ci.example.com/runs/1842',
};

describe('POST/GET /api/v1/changes', () => {
  let engine: RunningEngine;
  const list = async (query: string) => ((await readJson(await engine.request(`/api/v1/changes${query}`))).changes as ChangeView[]);

  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine.stop();
  });

  it('records one change or a list, and a change posted again with its id is updated, not duplicated', async () => {
    const first = await engine.request('/api/v1/changes', { method: 'POST', json: deploy });
    assert.deepEqual(await readJson(first), { created: 1, updated: 0, ids: ['deploy-1842'] });
    const batch = await engine.request('/api/v1/changes', {
      method: 'POST',
      json: [
        { ...deploy, endsAt: '2026-11-02T08:06:00Z' },
        { kind: 'feature_flag', service: 'payments', title: 'new-fraud-model on', startsAt: String(Date.parse('2026-11-02T09:00:00Z')) },
      ],
    });
    const saved = await readJson(batch);
    assert.equal(saved.created, 1);
    assert.equal(saved.updated, 1);
    const ids = saved.ids as string[];
    assert.match(ids[1] ?? '', /^chg_[0-9a-f]{16}$/);
    const all = await list('');
    assert.deepEqual(all.map((change) => change.title), ['new-fraud-model on', 'checkout v2.4.1']);
    assert.equal(all[1]?.endsAt, '2026-11-02T08:06:00.000Z');
  });

  it('lists the changes active in a range, for some services', async () => {
    assert.deepEqual((await list('?from=2026-11-02T08:05:00Z&to=2026-11-02T08:30:00Z')).map((change) => change.id), ['deploy-1842']);
    assert.deepEqual((await list('?from=2026-11-02T08:07:00Z&to=2026-11-02T08:30:00Z')).length, 0);
    assert.deepEqual((await list('?service=payments,search')).map((change) => change.service), ['payments']);
  });

  it('says what is wrong, where, and stores nothing of a bad batch', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...deploy, kind: 'release' }, /^body\/kind/],
      [{ ...deploy, startsAt: 'yesterday' }, /^body\/startsAt must be an RFC 3339 time or epoch milliseconds/],
      [[deploy, { ...deploy, id: 'x', endsAt: '2026-11-02T07:00:00Z' }], /^body\/1\/endsAt must not be before body\/1\/startsAt/],
      [[deploy, deploy], /two changes with the id "deploy-1842"/],
      [{ ...deploy, url: 'ftp://x' }, /^body\/url/],
      [{ ...deploy, colour: 'red' }, /unknown property "colour"/],
    ];
    for (const [json, message] of cases) {
      const response = await engine.request('/api/v1/changes', { method: 'POST', json });
      assert.equal(response.status, 400, JSON.stringify(json));
      assert.match((await readError(response)).message, message);
    }
    assert.equal((await list('?service=x')).length, 0);
    const backwards = await engine.request('/api/v1/changes?from=2026-11-03T00:00:00Z&to=2026-11-02T00:00:00Z');
    assert.equal(backwards.status, 400);
  });

  it('needs the API token', async () => {
    assert.equal((await engine.request('/api/v1/changes', { method: 'POST', json: deploy, token: null })).status, 401);
    assert.equal((await engine.request('/api/v1/changes', { token: null })).status, 401);
  });
});
