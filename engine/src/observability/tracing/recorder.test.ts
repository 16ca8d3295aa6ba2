import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAgentRuns, loadAgentRun } from '../../store/agentRuns.ts';
import type { Store } from '../../store/store.ts';
import { agentRunRecord, insertRuns } from '../../testing/agentRuns.ts';
import { captureLogs } from '../../testing/logs.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { createLogger } from '../logger.ts';
import { configSecrets, openTracing } from './openTracing.ts';
import { ATTRIBUTE_TEXT_CAP, EVENT_TEXT_CAP, currentRun, secretRedactor, traceRun, traceStep } from './spans.ts';

const store = sharedPgliteStore();
const quiet = createLogger('silent');

function tracingOf(db: Store, options: Partial<Parameters<typeof openTracing>[0]> = {}) {
  return openTracing({ store: db, logger: quiet, version: 'test', exporter: undefined, env: {}, ...options });
}

/** One run whose root has `steps` children, each with a retrieval span under it. */
async function runWithSteps(tracing: ReturnType<typeof tracingOf>, steps: number): Promise<string> {
  return traceRun(tracing, { kind: 'ask', name: 'invoke_agent intelops.ask' }, async (run) => {
    for (let index = 0; index < steps; index++) {
      await traceStep(`step ${index}`, 'perception', { 'intelops.index': index }, async () => undefined);
    }
    return run.traceId ?? '';
  });
}

describe('the agent run recorder', () => {
  it('keeps at most maxSpansPerRun spans of a run, the root always, and counts the rest on the root', async () => {
    const tracing = tracingOf(store(), { maxSpansPerRun: 3 });
    try {
      const id = await runWithSteps(tracing, 5);
      await tracing.flush();
      const stored = await loadAgentRun(store(), id);
      assert.equal(stored?.spans.length, 3);
      const root = stored?.spans.find((span) => span.parentSpanId === null);
      assert.equal(root?.name, 'invoke_agent intelops.ask');
      assert.equal(root?.attributes['intelops.spans_dropped'], 3);
    } finally {
      await tracing.close();
    }
  });

  it('stores a failed run as an error with its message redacted, and the step that failed', async () => {
    const tracing = tracingOf(store(), { secrets: ['sw0rdfish-123'] });
    let id = '';
    try {
      await assert.rejects(
        traceRun(tracing, { kind: 'draft', name: 'invoke_agent intelops.draft' }, async (run) => {
          id = run.traceId ?? '';
          await traceStep('chat m', 'llm', {}, async () => {
            throw new Error('the endpoint said sw0rdfish-123 is wrong');
          });
        }),
        /sw0rdfish-123 is wrong/
      );
      await tracing.flush();
      const stored = await loadAgentRun(store(), id);
      assert.equal(stored?.run.status, 'error');
      assert.equal(stored?.run.error, 'the endpoint said [redacted] is wrong');
      assert.equal(stored?.spans.find((span) => span.name === 'chat m')?.status, 'error');
      assert.ok(!JSON.stringify(stored).includes('sw0rdfish'));
    } finally {
      await tracing.close();
    }
  });

  it('caps text attributes and event attributes, naming those cut', async () => {
    const tracing = tracingOf(store());
    try {
      const id = await traceRun(tracing, { kind: 'ask', name: 'invoke_agent intelops.ask' }, async (run) => {
        await traceStep('big', 'tool', {}, async (span) => {
          span.set({ long: 'a'.repeat(ATTRIBUTE_TEXT_CAP * 2), short: 'b' });
          span.event('payload', { prompt: 'c'.repeat(EVENT_TEXT_CAP * 3), small: 'd' });
        });
        return run.traceId ?? '';
      });
      await tracing.flush();
      const span = (await loadAgentRun(store(), id))?.spans.find((one) => one.name === 'big');
      const long = String(span?.attributes.long);
      assert.equal(long.length, ATTRIBUTE_TEXT_CAP);
      assert.match(long, /…\[truncated 4096 characters\]$/);
      assert.deepEqual(span?.attributes['intelops.truncated'], ['long']);
      const event = span?.events[0];
      assert.equal(String(event?.attributes.prompt).length, EVENT_TEXT_CAP);
      assert.deepEqual(event?.attributes['intelops.truncated'], ['prompt']);
      assert.equal(event?.attributes.small, 'd');
    } finally {
      await tracing.close();
    }
  });

  it('logs a failed write and carries on: the run itself never fails for its trace', async () => {
    const logs = captureLogs();
    const broken: Store = {
      kind: 'pglite',
      query: () => Promise.reject(new Error('disk full')),
      exec: () => Promise.reject(new Error('disk full')),
      transaction: () => Promise.reject(new Error('disk full')),
      close: async () => {},
    };
    const tracing = openTracing({ store: broken, logger: createLogger('warn', logs), version: 'test', env: {} });
    try {
      assert.equal(await traceRun(tracing, { kind: 'ask', name: 'r' }, async () => 'answered'), 'answered');
      await tracing.flush();
      const warning = logs
        .entries()
        .find((entry) => entry.msg === 'storing an agent run failed; its trace is not kept');
      assert.ok(warning !== undefined, logs.text());
    } finally {
      await tracing.close();
    }
  });

  it('hands each stored run to onRunRecorded, and logs its failure without losing the run', async () => {
    const logs = captureLogs();
    const seen: string[] = [];
    const tracing = openTracing({
      store: store(),
      logger: createLogger('warn', logs),
      version: 'test',
      env: {},
      onRunRecorded: (run, spans) => {
        seen.push(`${run.kind}:${spans.length}`);
        throw new Error('metrics broke');
      },
    });
    try {
      const id = await runWithSteps(tracing, 2);
      await tracing.flush();
      assert.deepEqual(seen, ['ask:3']);
      assert.ok((await loadAgentRun(store(), id)) !== undefined);
      assert.ok(logs.entries().some((entry) => entry.msg === 'an agent run was stored but handling it after failed'));
    } finally {
      await tracing.close();
    }
  });

  it('records the guard’s counts on the run from a deep step, and nothing at all outside a run', async () => {
    const tracing = tracingOf(store());
    try {
      assert.equal(currentRun().recording, false);
      assert.equal(
        await traceStep('alone', 'other', {}, async (span) => (span.recording ? 'traced' : 'untraced')),
        'untraced'
      );
      const id = await traceRun(tracing, { kind: 'analyze', name: 'invoke_agent intelops.analyze' }, async (run) => {
        await traceStep('llm', 'other', {}, async () => {
          currentRun().set({ 'intelops.citations': 4, 'intelops.citations_dropped': 1, 'intelops.method': 'llm' });
        });
        return run.traceId ?? '';
      });
      await tracing.flush();
      const stored = await loadAgentRun(store(), id);
      assert.equal(stored?.run.citations, 4);
      assert.equal(stored?.run.citationsDropped, 1);
      assert.equal(stored?.run.method, 'llm');
    } finally {
      await tracing.close();
    }
  });

  it('prices LLM calls when a price table knows the model, else leaves the cost null', async () => {
    const tracing = tracingOf(store(), {
      costOf: (model, input, output) => (model === 'priced' ? (input * 2 + output * 8) / 1_000_000 : null),
    });
    try {
      const call = (model: string) =>
        traceStep(
          `chat ${model}`,
          'llm',
          { 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 },
          async () => undefined
        );
      const priced = await traceRun(tracing, { kind: 'ask', name: 'a' }, async (run) => {
        await call('priced');
        await call('priced');
        return run.traceId ?? '';
      });
      const unknown = await traceRun(tracing, { kind: 'ask', name: 'b' }, async (run) => {
        await call('priced');
        await call('unpriced');
        return run.traceId ?? '';
      });
      await tracing.flush();
      assert.equal((await loadAgentRun(store(), priced))?.run.costUsd, 0.012);
      assert.equal((await loadAgentRun(store(), unknown))?.run.costUsd, null);
    } finally {
      await tracing.close();
    }
  });

  it('deletes runs past the retention, then all but the newest maxRuns', async () => {
    const now = new Date('2026-11-24T00:00:00Z');
    const db = store();
    await db.query('delete from agent_runs');
    const day = 86_400_000;
    await insertRuns(
      db,
      ...[1, 2, 3, 20].map((ageDays, index) =>
        agentRunRecord({ id: String(index).repeat(32), startedAt: new Date(now.getTime() - ageDays * day) })
      )
    );
    const tracing = tracingOf(db, { retentionMs: 14 * 86_400_000, maxRuns: 2, clock: () => now });
    try {
      assert.equal(await tracing.prune(), 2);
      const left = await listAgentRuns(db, { limit: 10 });
      assert.deepEqual(
        left.map((run) => run.id),
        ['0'.repeat(32), '1'.repeat(32)]
      );
    } finally {
      await tracing.close();
    }
  });
});

describe('configSecrets', () => {
  it('lists every key, token and credential of the configuration, and nothing unset', () => {
    const secrets = configSecrets({
      port: 0,
      host: '127.0.0.1',
      token: 'api-token',
      insecure: false,
      store: { kind: 'pglite', dataDir: '/tmp/x' },
      logLevel: 'info',
      bodyLimitBytes: 1,
      llmApiKey: 'llm-key',
      webhookToken: undefined,
      grafanaHmacSecret: 'hmac',
      prometheusAuth: { kind: 'basic', username: 'prom', password: 'prom-pass' },
      tempoAuth: { kind: 'bearer', token: 'tempo-token' },
    });
    assert.deepEqual(secrets, ['llm-key', 'api-token', 'hmac', 'prom-pass', 'prom:prom-pass', 'tempo-token']);
  });
});

describe('secretRedactor', () => {
  it('scrubs each secret as is, URL-encoded and JSON-escaped, longest first, and leaves short values alone', () => {
    const redact = secretRedactor(['p@ss/word"1', 'abc', undefined, 'p@ss/word"1-and-more']);
    assert.equal(redact('x p@ss/word"1-and-more y'), 'x [redacted] y');
    assert.equal(redact(encodeURIComponent('p@ss/word"1')), '[redacted]');
    assert.equal(redact(JSON.stringify({ k: 'p@ss/word"1' })), '{"k":"[redacted]"}');
    assert.equal(redact('abc'), 'abc');
  });
});
