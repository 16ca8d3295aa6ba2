import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncidentListSchema } from '../../engine/src/server/routes/incidents.ts';
import { RcaResultSchema } from '../../engine/src/server/routes/rca.ts';
import { compileBodyValidator } from '../../engine/src/server/validation.ts';

interface Fixtures {
  checkoutRcaJson(now: number): unknown;
  ordersRcaJson(now: number): unknown;
}

interface IncidentFixtures {
  incidentListJson(now: number): unknown;
}

// The plugin’s tests and browser harness answer with these bodies; they must be what the engine can send. The
// fixtures are plugin code (no module type of their own), so they are loaded at run time, not type-checked here.
const fixtures = (await import(
  new URL('../../src/datasource/testing/reasoningFixtures.ts', import.meta.url).href
)) as Fixtures;
const incidentFixtures = (await import(
  new URL('../../src/datasource/testing/incidentFixtures.ts', import.meta.url).href
)) as IncidentFixtures;

describe('the plugin’s root-cause fixtures', () => {
  const valid = compileBodyValidator(RcaResultSchema);
  const now = Date.parse('2026-11-20T10:00:00Z');
  for (const [name, body] of [
    ['checkout (LLM)', fixtures.checkoutRcaJson(now)],
    ['orders (graph)', fixtures.ordersRcaJson(now)],
  ] as const) {
    it(`${name} matches the engine’s RcaResult schema`, () => {
      assert.ok(valid(body), JSON.stringify(valid.errors));
    });
  }
});

describe('the plugin’s incident fixtures', () => {
  it('match the engine’s incident list schema (top cause included)', () => {
    const valid = compileBodyValidator(IncidentListSchema);
    const body = incidentFixtures.incidentListJson(Date.parse('2026-11-20T10:00:00Z'));
    assert.ok(valid(body), JSON.stringify(valid.errors));
  });
});
