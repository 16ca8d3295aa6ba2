import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import { captureLogs } from '../testing/logs.ts';
import { createLogger, redactUrl } from './logger.ts';

const TOKEN = 'tok-3f9a1c77e2b54d08';
const WRONG = 'tok-wrong-6b1e0d2c';
const WEBHOOK = 'hook-tok-0e4a9b51';
const HMAC = 'hmac-secret-77d2c3';

describe('logs never contain the token', () => {
  for (const logLevel of ['debug', 'trace'] as const) {
    it(`at level ${logLevel}, for accepted and rejected requests`, async () => {
      const engine = await startEngine({ token: TOKEN, logLevel, llmApiKey: 'sk-llm-secret-91c2', webhookToken: WEBHOOK, grafanaHmacSecret: HMAC });
      const alerts = { alerts: [{ status: 'firing', labels: { alertname: 'A' }, startsAt: '2026-11-02T08:00:00Z' }] };
      try {
        assert.equal((await engine.request('/api/v1/status')).status, 200);
        assert.equal((await engine.request('/api/v1/settings', { json: { llm: { model: 'm' } } })).status, 200);
        assert.equal((await engine.request('/api/v1/settings', { json: { llm: { modle: 'm' } } })).status, 400);
        assert.equal((await engine.request('/api/v1/settings', { token: WRONG })).status, 401);
        assert.equal((await engine.request('/api/v1/nope', { token: WRONG })).status, 401);
        assert.equal((await engine.request('/api/v1/nope')).status, 404);
        // Webhook senders that can only set a URL put the token in the query string, in any spelling.
        for (const [query, status] of [[`token=${WEBHOOK}`, 200], [`x=1&%74oken=${WEBHOOK}`, 200], [`TOKEN=${WEBHOOK}`, 401], [`token=${WRONG}`, 401]] as const) {
          const response = await engine.request(`/api/v1/alerts/alertmanager?${query}`, { method: 'POST', json: alerts, token: null });
          assert.equal(response.status, status, query);
        }
        assert.equal((await engine.request('/api/v1/alerts/grafana', { method: 'POST', json: alerts, token: null, headers: { 'x-intelops-token': WEBHOOK } })).status, 200);
        assert.equal((await engine.request(`/api/v1/incidents?token=${WEBHOOK}`, { token: null })).status, 401);
      } finally {
        await engine.stop();
      }
      const text = engine.logs.text();
      const messages = engine.logs.entries().map((entry) => entry.msg);
      // The capture really holds the request logs, so the absence below means something.
      assert.ok(messages.includes('incoming request') && messages.includes('unauthorized API request'), messages.join(' | '));
      assert.ok(text.includes('/api/v1/settings'));
      assert.ok(text.includes('/api/v1/alerts/alertmanager?token=[redacted]'), 'the request with the token was logged, redacted');
      for (const secret of [TOKEN, WRONG, WEBHOOK, HMAC, 'sk-llm-secret-91c2']) {
        assert.ok(!text.includes(secret), `${secret} appears in the log`);
      }
    });
  }
});

describe('redactUrl', () => {
  it('replaces the values of secret query parameters, however their names are written', () => {
    assert.equal(redactUrl('/a?token=s&x=1'), '/a?token=[redacted]&x=1');
    assert.equal(redactUrl('/a?x=1&Token=s#frag'), '/a?x=1&Token=[redacted]#frag');
    assert.equal(redactUrl('/a?%74oken=s&api_key=k&access_token=t'), '/a?%74oken=[redacted]&api_key=[redacted]&access_token=[redacted]');
    assert.equal(redactUrl('/a?tokens=keep&notoken=keep'), '/a?tokens=keep&notoken=keep');
    assert.equal(redactUrl('/a/token=path'), '/a/token=path');
  });
});

describe('createLogger', () => {
  it('writes JSON lines and censors authorization headers, tokens, keys and passwords', () => {
    const logs = captureLogs();
    const logger = createLogger('info', logs);
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: 'session=abc' } },
        headers: { authorization: `Bearer ${TOKEN}` },
        config: { token: TOKEN, llmApiKey: 'sk-1', databaseUrl: 'postgres://u:pw@db/x' },
        token: TOKEN,
      },
      'something happened'
    );
    const [entry] = logs.entries();
    assert.ok(entry);
    assert.equal(entry.msg, 'something happened');
    assert.equal(entry.level, 30);
    assert.equal(typeof entry.time, 'string');
    assert.doesNotMatch(logs.text(), new RegExp(`${TOKEN}|sk-1|pw@|session=abc`));
    assert.deepEqual(entry.config, { token: '[redacted]', llmApiKey: '[redacted]', databaseUrl: '[redacted]' });
  });
});
