import { existsSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { evaluate as celEvaluate } from '@marcbachmann/cel-js';
import { Liquid } from 'liquidjs';
import { Type } from 'typebox';
import type { StoreConfig } from '../../../config.ts';
import { MIGRATIONS_DIR, migrate } from '../../../store/migrations.ts';
import { openStore } from '../../../store/open.ts';
import type { Store } from '../../../store/store.ts';
import { tempDir } from '../../../testing/temp.ts';
import { createLogger } from '../../../observability/logger.ts';
import type { ActionContext, ActionDefinition, GuardedHttp, RunContext, SecretResolver, Workflow, WorkflowStep } from '../../types.ts';

/**
 * What the runner tests share: a migrated store, a loopback receiver that deduplicates by Idempotency-Key, small
 * real actions, and the CEL and template functions the runner takes (the engine's own come from the definitions).
 */

/** The migrations folder; while 008 is being written in parallel, a copy with an empty 008 so that 009 applies. */
async function migrationsDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  if (existsSync(path.join(MIGRATIONS_DIR, '008_workflows.sql')) || !existsSync(path.join(MIGRATIONS_DIR, '009_workflow_runs.sql'))) {
    return { dir: MIGRATIONS_DIR, remove: async () => {} };
  }
  const copy = await tempDir('migrations');
  await cp(MIGRATIONS_DIR, copy.path, { recursive: true });
  await writeFile(path.join(copy.path, '008_workflows.sql'), '-- placeholder while 008 is written elsewhere\n');
  return { dir: copy.path, remove: copy.remove };
}

export async function openMigratedStore(config: StoreConfig): Promise<Store> {
  const store = await openStore(config);
  const migrations = await migrationsDir();
  try {
    await migrate(store, migrations.dir);
  } finally {
    await migrations.remove();
  }
  return store;
}

export interface Receiver {
  url: string;
  /** Every request, in order of arrival (`at`: epoch ms). */
  requests: Array<{ key: string; body: string; at: number }>;
  /** Side effects: one per idempotency key, however often it was sent. */
  effects: Map<string, string>;
  /** Called with each request before it is answered; what it returns (when a promise) delays the answer. */
  onRequest?: (key: string, body: string) => Promise<void> | void;
  close(): Promise<void>;
}

/** A loopback HTTP receiver that acts once per Idempotency-Key and answers a repeat with `deduplicated: true`. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { requests: [], effects: new Map() };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = String(request.headers['idempotency-key'] ?? '');
      receiver.requests.push({ key, body, at: Date.now() });
      const deduplicated = receiver.effects.has(key);
      if (!deduplicated) {
        receiver.effects.set(key, body);
      }
      Promise.resolve(receiver.onRequest?.(key, body)).then(
        () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ deduplicated, received: body.length }));
        },
        () => response.destroy()
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const PostInput = Type.Object({ url: Type.String(), text: Type.String(), token: Type.Optional(Type.String()) }, { additionalProperties: false });
interface PostInputType {
  url: string;
  text: string;
  token?: string;
}

/** POSTs `text` to a receiver with the step's idempotency key; `token` names a secret sent as a header. */
export function postAction(name: string, sideEffect: boolean): ActionDefinition<PostInputType, { status: number; answer: unknown; echoed: string }> {
  return {
    name,
    description: 'Posts text to a URL',
    sideEffect,
    input: PostInput,
    describe: (input) => `post ${JSON.stringify(input.text)} to ${input.url}`,
    async run(input, context) {
      const headers: Record<string, string> = { 'content-type': 'text/plain', 'idempotency-key': context.idempotencyKey };
      if (input.token !== undefined) {
        headers.authorization = `Bearer ${context.secrets.get(input.token)}`;
      }
      const response = await fetch(input.url, { method: 'POST', headers, body: input.text, signal: context.signal });
      const answer: unknown = await response.json();
      // Echoing the secret lets a test check that outputs are scrubbed before they are stored.
      return { status: response.status, answer, echoed: input.token === undefined ? '' : context.secrets.get(input.token) };
    },
  };
}

const NoInput = Type.Object({ note: Type.Optional(Type.String()) }, { additionalProperties: false });

/** Fails its first `failures` calls (with a message carrying a secret), then succeeds; counts calls. */
export function flakyAction(name: string, failures: number, secret: string): ActionDefinition<{ note?: string }, { calls: number }> & { calls: number; keys: string[] } {
  const keys: string[] = [];
  const action = {
    name,
    description: 'Fails a few times, then works',
    sideEffect: false,
    input: NoInput,
    calls: 0,
    keys,
    describe: () => `try ${name}`,
    async run(_input: { note?: string }, context: { idempotencyKey: string }) {
      action.calls += 1;
      action.keys.push(context.idempotencyKey);
      if (action.calls <= failures) {
        throw new Error(`upstream refused call ${action.calls} with key ${secret}`);
      }
      return { calls: action.calls };
    },
  };
  return action;
}

/** Never answers; records that its signal aborted. */
export function hangingAction(name: string): ActionDefinition<{ note?: string }, never> & { aborted: number } {
  const action = {
    name,
    description: 'Hangs until aborted',
    sideEffect: false,
    input: NoInput,
    aborted: 0,
    describe: () => `hang in ${name}`,
    run(_input: { note?: string }, context: { signal: AbortSignal }): Promise<never> {
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          action.aborted += 1;
          reject(new Error('aborted'));
        });
      });
    },
  };
  return action;
}

/** Takes a while, so a test can act while it runs. */
export function slowAction(name: string, ms: number): ActionDefinition<{ note?: string }, { slept: number }> {
  return {
    name,
    description: 'Sleeps',
    sideEffect: false,
    input: NoInput,
    describe: () => `sleep ${ms} ms`,
    async run(_input, context) {
      await sleep(ms, undefined, { signal: context.signal });
      return { slept: ms };
    },
  };
}

/** Secrets from a map; redaction replaces every value. */
export function secretsOf(values: Record<string, string>): SecretResolver {
  return {
    get(name) {
      const value = values[name];
      if (value === undefined) {
        throw new Error(`secret ${name} is not set`);
      }
      return value;
    },
    redact(text) {
      let clean = text;
      for (const value of Object.values(values)) {
        clean = clean.split(value).join('[redacted]');
      }
      return clean;
    },
  };
}

/** The runner's tests call no GuardedHttp (their actions fetch the loopback receiver themselves). */
export const refusingHttp: GuardedHttp = {
  request: () => Promise.reject(new Error('outbound HTTP is not used in these tests')),
};

export const noSources = { prometheus: undefined, loki: undefined, tempo: undefined };

/** What an engine-internal action (no secrets, no outbound HTTP, no sources) is run with in its tests. */
export function internalActionContext(idempotencyKey: string): ActionContext {
  return {
    idempotencyKey,
    dryRun: false,
    signal: new AbortController().signal,
    secrets: secretsOf({}),
    http: refusingHttp,
    sources: noSources,
    logger: createLogger('silent'),
  };
}

export function evaluateCondition(expression: string, context: RunContext): boolean {
  const value: unknown = celEvaluate(expression, { ...context, incident: context.incident ?? {}, rca: context.rca ?? {}, change: context.change ?? {} });
  if (typeof value !== 'boolean') {
    throw new Error(`gave ${typeof value}, not a bool`);
  }
  return value;
}

const liquid = new Liquid({ strictVariables: true });

/** Every string of `value` rendered as a Liquid template against the run context. */
export function renderValue(value: unknown, context: RunContext): unknown {
  if (typeof value === 'string') {
    return value.includes('{{') || value.includes('{%') ? liquid.parseAndRenderSync(value, { ...context }) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => renderValue(item, context));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, context)]));
  }
  return value;
}

/** A workflow with the given steps; steps default to no timeout worries, no retries, policy-decided approval. */
export function workflowOf(name: string, steps: Array<Partial<WorkflowStep> & Pick<WorkflowStep, 'id' | 'action'>>): Workflow {
  return {
    name,
    triggers: [{ on: 'manual' }],
    steps: steps.map((step) => ({ with: {}, timeoutMs: 5000, retries: 0, approval: 'auto', ...step })),
    source: { kind: 'api' },
  };
}

/** Polls `check` until it gives a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(15);
  }
}
