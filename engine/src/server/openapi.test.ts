import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { readJson } from '../testing/http.ts';
import type { JsonObject } from '../testing/http.ts';
import { ENGINE_VERSION } from '../version.ts';

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    assert.ok(typeof current === 'object' && current !== null, `missing ${keys.join('.')}`);
    current = Object.entries(current).find(([name]) => name === key)?.[1];
  }
  return current;
}

describe('GET /openapi.json', () => {
  let engine: RunningEngine;
  let document: JsonObject;
  before(async () => {
    engine = await startEngine();
    const response = await engine.request('/openapi.json', { token: null });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    document = await readJson(response);
  });
  after(async () => {
    await engine.stop();
  });

  it('is an OpenAPI 3 document for this engine version', () => {
    assert.match(String(document.openapi), /^3\./);
    assert.equal(at(document, 'info', 'version'), ENGINE_VERSION);
  });

  it('declares the bearer scheme and requires it on /api/v1 operations only', () => {
    assert.deepEqual(at(document, 'components', 'securitySchemes', 'bearerAuth', 'scheme'), 'bearer');
    for (const [path, method] of [['/api/v1/status', 'get'], ['/api/v1/settings', 'get'], ['/api/v1/settings', 'put']] as const) {
      assert.deepEqual(at(document, 'paths', path, method, 'security'), [{ bearerAuth: [] }], `${method} ${path}`);
    }
    assert.equal(at(document, 'paths', '/healthz', 'get', 'security'), undefined);
  });

  it('documents the alert intake routes with their webhook credentials and limits', () => {
    const webhook = [{ bearerAuth: [] }, { webhookToken: [] }, { webhookTokenQuery: [] }];
    assert.deepEqual(at(document, 'paths', '/api/v1/alerts/alertmanager', 'post', 'security'), webhook);
    assert.deepEqual(at(document, 'paths', '/api/v1/alerts', 'post', 'security'), webhook);
    assert.deepEqual(at(document, 'paths', '/api/v1/alerts/grafana', 'post', 'security'), [...webhook, { grafanaSignature: [] }]);
    assert.deepEqual(at(document, 'paths', '/api/v1/incidents', 'get', 'security'), [{ bearerAuth: [] }]);
    assert.equal(at(document, 'components', 'securitySchemes', 'webhookTokenQuery', 'in'), 'query');
    const am = at(document, 'paths', '/api/v1/alerts/alertmanager', 'post', 'requestBody', 'content', 'application/json', 'schema');
    assert.equal(at(am, 'additionalProperties'), true, 'senders may add fields');
    assert.equal(at(am, 'properties', 'alerts', 'maxItems'), 10000);
    assert.match(String(at(am, 'description')), /at most 10000 alerts per request/);
    const generic = at(document, 'paths', '/api/v1/alerts', 'post');
    assert.match(String(at(generic, 'description')), /mapping=<name>/);
    assert.equal(at(generic, 'requestBody', 'content', 'application/json', 'schema', 'additionalProperties'), false);
    assert.ok(at(document, 'paths', '/api/v1/alerts/alertmanager', 'post', 'responses', '503'));
  });

  it('documents incidents and the CMDB, including YAML bodies', () => {
    const incident = at(document, 'paths', '/api/v1/incidents', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'incidents', 'items');
    for (const field of ['id', 'title', 'severity', 'status', 'services', 'alerts', 'startsAt', 'endsAt', 'tags', 'groupingReasons', 'alertCount']) {
      assert.ok(at(incident, 'properties', field) !== undefined, field);
    }
    assert.deepEqual(at(incident, 'properties', 'status', 'enum'), ['open', 'resolving', 'resolved']);
    assert.ok(at(document, 'paths', '/api/v1/incidents/{id}', 'get', 'responses', '404'));
    const content = Object.keys(Object(at(document, 'paths', '/api/v1/cmdb', 'put', 'requestBody', 'content')));
    assert.deepEqual(content.sort(), ['application/json', 'application/x-yaml', 'application/yaml', 'text/yaml']);
  });

  it('lists the routes with their schemas, but not itself', () => {
    const paths = Object.keys(Object(at(document, 'paths')));
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/v1/status', '/api/v1/settings']) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    }
    assert.ok(!paths.includes('/openapi.json'));
    const body = at(document, 'paths', '/api/v1/settings', 'put', 'requestBody', 'content', 'application/json', 'schema');
    assert.equal(at(body, 'additionalProperties'), false);
    assert.equal(at(body, 'properties', 'prometheus', 'properties', 'url', 'format'), 'uri');
    assert.equal(at(body, 'properties', 'llm', 'properties', 'apiKeySet', 'readOnly'), true);
  });
});
