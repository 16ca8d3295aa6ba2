import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import { loadAgentRun } from '../store/agentRuns.ts';
import { agentRunRecord, insertRuns } from '../testing/agentRuns.ts';
import { sharedPgliteStore } from '../testing/stores.ts';
import { recordHumanVerdict } from './humanVerdict.ts';

const store = sharedPgliteStore();
const AT = new Date('2026-11-20T12:00:00Z');

const analysis = (id: string, minutesAgo: number, overrides: Partial<AgentRunRecord> = {}): AgentRunRecord =>
  agentRunRecord({ id, startedAt: new Date(AT.getTime() - minutesAgo * 60_000), ...overrides });

const causes = [{ service: 'checkout' }, { service: 'payments' }, { service: 'db' }];
const human = async (id: string) => (await loadAgentRun(store(), id))?.run.human ?? null;

describe('recordHumanVerdict', () => {
  beforeEach(async () => {
    await store().query('delete from agent_runs');
  });

  it('puts the verdict on the run that made the answer, with the cause’s rank in it', async () => {
    await insertRuns(store(), analysis('a'.repeat(32), 30), analysis('b'.repeat(32), 5));
    const stored = await recordHumanVerdict(
      store(),
      'inc-1',
      { service: 'payments', verdict: 'confirm', by: 'ana', at: AT },
      { causes, traceId: 'a'.repeat(32) }
    );
    assert.equal(stored, true);
    assert.deepEqual(await human('a'.repeat(32)), {
      verdict: 'confirm',
      service: 'payments',
      rank: 2,
      by: 'ana',
      at: AT.toISOString(),
    });
    assert.equal(await human('b'.repeat(32)), null);
  });

  it('without a trace id, takes the incident’s latest analysis that answered; a service not listed has no rank', async () => {
    await insertRuns(
      store(),
      analysis('a'.repeat(32), 30),
      analysis('c'.repeat(32), 1, { status: 'error', error: 'boom', method: null }),
      analysis('d'.repeat(32), 0, { kind: 'ask', method: null })
    );
    await recordHumanVerdict(
      store(),
      'inc-1',
      { service: 'cache', verdict: 'reject', by: undefined, at: AT },
      { causes }
    );
    assert.deepEqual(await human('a'.repeat(32)), {
      verdict: 'reject',
      service: 'cache',
      rank: null,
      by: 'anonymous',
      at: AT.toISOString(),
    });
    assert.equal(await human('c'.repeat(32)), null);
  });

  it('records nothing when the incident has no analysis run', async () => {
    assert.equal(
      await recordHumanVerdict(
        store(),
        'inc-1',
        { service: 'checkout', verdict: 'confirm', by: 'ana', at: AT },
        undefined
      ),
      false
    );
  });
});
