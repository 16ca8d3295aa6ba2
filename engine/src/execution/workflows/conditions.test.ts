import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunContext } from '../types.ts';
import { compileCondition, conditionHolds } from './conditions.ts';

const context: RunContext = {
  run: { id: 'run-1', workflow: 'w', trigger: 'rca.ready', dryRun: true, startedAt: '2026-11-02T08:00:00.000Z' },
  incident: { severity: 'critical', tags: { env: 'prod' }, alertCount: 12 },
  rca: { causes: [{ service: 'payments', confidence: 0.8 }] },
  inputs: {},
  steps: { check: { status: 'succeeded', output: { value: 0.93, breached: true } } },
};

describe('workflow conditions', () => {
  it('evaluate over the run context', () => {
    const holds = (expression: string) => conditionHolds(compileCondition(expression), context);
    assert.equal(holds('incident.severity == "critical" && incident.tags.env == "prod"'), true);
    assert.equal(holds('incident.alertCount > 10 && rca.causes[0].confidence >= 0.8'), true);
    assert.equal(holds('steps.check.output.breached && steps.check.output.value < 0.9'), false);
    assert.equal(holds('run.dryRun'), true);
    // A subject the trigger did not give is an empty map.
    assert.equal(holds('has(change.service)'), false);
  });

  it('list the steps they read', () => {
    assert.deepEqual(compileCondition('steps.a.status == "succeeded" && has(steps.b.output) && steps["c"].output.ok && incident.severity == "x"').stepReferences, ['a', 'b', 'c']);
    assert.deepEqual(compileCondition('"steps.fake" == incident.title').stepReferences, []);
  });

  it('say what is wrong', () => {
    assert.throws(() => compileCondition('incident.severity =='), /^Error: does not parse: /);
    assert.throws(() => compileCondition('rcaa.causes.size() > 0'), /^Error: is not valid: Unknown variable: rcaa/);
    assert.throws(() => compileCondition('"text"'), /^Error: must give a bool, not string$/);
    assert.throws(() => conditionHolds(compileCondition('incident.severity'), context), /gave string, not a bool/);
  });
});
