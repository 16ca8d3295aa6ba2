import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnowledgeDocument } from '../knowledge/documents.ts';
import { actionsOf } from './runbookActions.ts';

function runbook(body: string): KnowledgeDocument {
  return { id: 'runbook:x.md', kind: 'runbook', title: 'X', body, services: [], tags: [], signals: [], source: 'x.md' };
}

describe('actionsOf', () => {
  it('takes the first sentence of the first three remediation steps, joining wrapped lines', () => {
    const body = [
      '# CPU saturation',
      '## Checks',
      '1. Look at `rate(cpu[5m])`.',
      '## Remediation',
      '',
      '1. Scale out: `kubectl scale deploy/$service --replicas=<n+2>`. Then watch the p95.',
      '2. Raise the CPU limit if the node',
      '   has idle CPU. Or remove it.',
      '- **Roll back** a deploy that raised CPU per request!',
      '4. Never reached.',
      '## Follow-up',
      '1. Right-size requests.',
    ].join('\n');
    assert.deepEqual(actionsOf(runbook(body)), [
      'Scale out: kubectl scale deploy/$service --replicas=<n+2>.',
      'Raise the CPU limit if the node has idle CPU.',
      'Roll back a deploy that raised CPU per request!',
    ]);
  });

  it('does not end a sentence at an abbreviation', () => {
    const body = ['## Remediation', '1. Retries only at one layer, with a retry budget (e.g. 10 % of requests). Then tune timeouts.', '2. Drain caches, logs etc. first. Then restart.'].join('\n');
    assert.deepEqual(actionsOf(runbook(body)), ['Retries only at one layer, with a retry budget (e.g. 10 % of requests).', 'Drain caches, logs etc. first.']);
  });

  it('has none for a runbook without a remediation section', () => {
    assert.deepEqual(actionsOf(runbook('# X\n## Checks\n1. Look.')), []);
  });

  it('quotes a resolved incident’s remediation', () => {
    const incident = {
      incidentId: 'inc_1',
      title: 'Checkout down',
      services: ['checkout'],
      cause: { service: 'checkout', indicator: 'change' },
      remediation: 'Rolled back to v2.4.0. It took 3 minutes.',
      tags: [],
    };
    const document: KnowledgeDocument = {
      ...runbook(''),
      id: 'incident:inc_1',
      kind: 'incident',
      title: 'Checkout down',
      incident,
    };
    assert.deepEqual(actionsOf(document), ['As in Checkout down: Rolled back to v2.4.0.']);
  });
});
