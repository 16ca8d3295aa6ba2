import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { TagRules } from '../../context/tagRules.ts';
import { DEFAULT_TAG_RULES } from '../../context/tagRules.ts';
import { migrate } from '../../store/migrations.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/store.ts';
import { loadStoredTagRules } from '../../store/tagRules.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { bodiesPlugin } from '../bodies.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { createValidatorCompiler } from '../validation.ts';
import { tagRulesRoutes } from './tagRules.ts';

const YAML = `# shop rules
defaults: false
rules:
  - name: payments-impact
    when: '"payments" in impact.capabilities'
    tags: { business: revenue }
`;

describe('GET/PUT /api/v1/tag-rules', () => {
  let fresh: FreshStore;
  let store: Store;
  let app: FastifyInstance;
  const saved: TagRules[] = [];

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openStore(fresh.config);
    await migrate(store);
    app = Fastify({ schemaErrorFormatter: formatValidationError });
    app.setValidatorCompiler(createValidatorCompiler());
    await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
    await app.register(bodiesPlugin);
    await app.register(tagRulesRoutes, { prefix: '/api/v1', store, onSaved: (rules) => saved.push(rules) });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
    await fresh.remove();
  });

  it('shows the built-in rules until the first PUT', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/tag-rules' });
    assert.equal(response.statusCode, 200);
    const body = response.json<{ source: unknown; defaults: boolean; rules: Array<{ name: string; origin: string }>; updatedAt: unknown }>();
    assert.equal(body.source, null);
    assert.equal(body.updatedAt, null);
    assert.equal(body.defaults, true);
    assert.deepEqual(body.rules.map((rule) => rule.name), DEFAULT_TAG_RULES.rules.map((rule) => rule.name));
    assert.ok(body.rules.every((rule) => rule.origin === 'built-in'));
  });

  it('takes YAML, keeps its text, and gives the engine the compiled rules', async () => {
    const response = await app.inject({ method: 'PUT', url: '/api/v1/tag-rules', payload: YAML, headers: { 'content-type': 'application/yaml' } });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{ source: string; rules: Array<{ name: string; origin: string; tags: Record<string, string> }> }>();
    assert.equal(body.source, YAML);
    assert.deepEqual(body.rules, [{ name: 'payments-impact', when: '"payments" in impact.capabilities', tags: { business: 'revenue' }, values: {}, origin: 'body line 4' }]);
    assert.deepEqual(saved.at(-1)?.rules.map((rule) => rule.name), ['payments-impact']);
    const again = await app.inject({ method: 'GET', url: '/api/v1/tag-rules' });
    assert.equal(again.json<{ source: string }>().source, YAML);
    assert.deepEqual((await loadStoredTagRules(store)).rules.map((rule) => rule.name), ['payments-impact']);
  });

  it('takes JSON as well', async () => {
    const json = JSON.stringify({ rules: [{ name: 'all', when: 'true', tags: { seen: 'yes' } }] });
    const response = await app.inject({ method: 'PUT', url: '/api/v1/tag-rules', payload: json, headers: { 'content-type': 'application/json' } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json<{ rules: unknown[] }>().rules.length, DEFAULT_TAG_RULES.rules.length + 1);
  });

  it('answers bad rules with 400 naming line and rule, and keeps the stored ones', async () => {
    const bad = 'rules:\n  - name: typo\n    when: \'evidence.exists(e, e.scor > 0.5)\'\n    tags: { a: b }\n';
    const response = await app.inject({ method: 'PUT', url: '/api/v1/tag-rules', payload: bad, headers: { 'content-type': 'text/yaml' } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), {
      statusCode: 400,
      error: 'Bad Request',
      message: 'body line 3: tag rule "typo": when is not valid: No such key: scor (column 22 of the expression)',
    });
    const kept = await app.inject({ method: 'GET', url: '/api/v1/tag-rules' });
    assert.match(kept.json<{ source: string }>().source, /"all"/);
  });
});
