import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LlmCause } from './answer.ts';
import { guardCauses, knownServices } from './guard.ts';
import { DEPLOY, incidentInput } from './testFixtures.ts';

const cause = (overrides: Partial<LlmCause>): LlmCause => ({
  service: 'checkout',
  indicator: 'change',
  confidence: 0.5,
  evidence: [DEPLOY.id],
  explanation: 'x',
  actions: ['roll back'],
  ...overrides,
});

describe('guardCauses', () => {
  const input = incidentInput();

  it('knows the services of the candidates, the incident, the CMDB, the evidence and the changes', () => {
    assert.deepEqual([...knownServices(input)].sort(), ['cart', 'checkout', 'frontend', 'payment']);
  });

  it('drops a cause with any unknown id or an unknown service and counts each', () => {
    const result = guardCauses(
      [
        cause({ evidence: [DEPLOY.id, 'ev_met_deadbeef0000'] }),
        cause({ service: 'ledger' }),
        cause({ service: 'cart', indicator: 'memory' }),
      ],
      input
    );
    assert.equal(result.hallucinationsDropped, 2);
    assert.deepEqual(result.dropped, [
      { service: 'checkout', reason: 'unknown evidence ev_met_deadbeef0000' },
      { service: 'ledger', reason: 'unknown service "ledger"' },
    ]);
    assert.deepEqual(
      result.causes.map((kept) => kept.service),
      ['cart']
    );
  });

  it('clamps confidences, removes duplicates, sorts strongest first and keeps three', () => {
    const result = guardCauses(
      [
        cause({ service: 'payment', indicator: 'errors', confidence: 0.2 }),
        cause({ confidence: 7 }),
        cause({ confidence: 0.9 }),
        cause({ service: 'cart', indicator: 'memory', confidence: -1 }),
        cause({ service: 'frontend', indicator: 'latency', confidence: Number.NaN }),
        cause({ service: 'payment', indicator: 'network', confidence: 0.4, actions: [' ', ' restart '] }),
      ],
      input
    );
    assert.equal(result.hallucinationsDropped, 0);
    assert.deepEqual(
      result.causes.map((kept) => [kept.service, kept.indicator, kept.confidence]),
      [
        ['checkout', 'change', 1],
        ['payment', 'network', 0.4],
        ['payment', 'errors', 0.2],
      ]
    );
    assert.deepEqual(result.causes[1]?.actions, ['restart']);
  });
});
