import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { readError } from '../testing/http.ts';
import { bearerToken, normalizedPath, tokenMatcher } from './auth.ts';

describe('bearer auth on /api/v1', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ token: 'correct-horse-battery-staple' });
  });
  after(async () => {
    await engine.stop();
  });

  it('answers 401 with a challenge and a message without a token', async () => {
    const response = await engine.request('/api/v1/status', { token: null });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="intelops"');
    const body = await readError(response);
    assert.equal(body.error, 'Unauthorized');
    assert.match(body.message, /Authorization: Bearer <token>/);
  });

  it('answers 401 for a wrong token, a token of another length, or another scheme', async () => {
    for (const authorization of ['Bearer correct-horse-battery-stapl', 'Bearer x', 'Basic Y29ycmVjdA==', 'correct-horse-battery-staple']) {
      const response = await fetch(`${engine.url}/api/v1/settings`, { headers: { authorization } });
      assert.equal(response.status, 401, authorization);
    }
    const wrong = await engine.request('/api/v1/settings', { token: 'wrong' });
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="intelops", error="invalid_token"');
    assert.equal((await readError(wrong)).message, 'Invalid API token');
  });

  it('answers 200 with the right token, whatever the case of "Bearer"', async () => {
    assert.equal((await engine.request('/api/v1/status')).status, 200);
    const lower = await fetch(`${engine.url}/api/v1/status`, { headers: { authorization: 'bearer correct-horse-battery-staple' } });
    assert.equal(lower.status, 200);
  });

  it('protects unknown /api/v1 paths too: 401 without the token, 404 with it', async () => {
    for (const path of ['/api/v1/nope', '/api/v1', '/api/v1/nope/deeper?x=1']) {
      assert.equal((await engine.request(path, { token: null })).status, 401, path);
      assert.equal((await engine.request(path)).status, 404, path);
    }
  });

  it('cannot be bypassed with encoded or doubled slashes in the path', async () => {
    for (const path of ['/%61pi/v1/settings', '/api/%761/settings', '//api/v1/settings', '/API/v1/settings']) {
      const response = await engine.request(path, { token: null });
      assert.equal(response.status, 401, path);
    }
  });

  it('leaves health, readiness, metrics and the OpenAPI document open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
      assert.equal((await engine.request(path, { token: null })).status, 200, path);
    }
    assert.equal((await engine.request('/nothing-here', { token: null })).status, 404);
  });
});

describe('insecure mode', () => {
  it('serves /api/v1 without a token when no token is configured', async () => {
    const engine = await startEngine({ token: null, insecure: true });
    try {
      assert.equal(engine.token, undefined);
      assert.equal((await engine.request('/api/v1/status')).status, 200);
      assert.equal((await engine.request('/api/v1/nope')).status, 404);
    } finally {
      await engine.stop();
    }
  });
});

describe('auth helpers', () => {
  it('extracts the bearer token', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('BEARER  abc '), 'abc');
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });

  it('compares tokens of any length', () => {
    const matches = tokenMatcher('s3cret');
    assert.equal(matches('s3cret'), true);
    assert.equal(matches('s3cre'), false);
    assert.equal(matches('s3cret-and-more'), false);
    assert.equal(matches(''), false);
  });

  it('normalizes paths the way the router reads them', () => {
    assert.equal(normalizedPath('/%61pi//v1/x?y=1'), '/api/v1/x');
    assert.equal(normalizedPath('/bad%zz'), '/bad%zz');
  });
});
