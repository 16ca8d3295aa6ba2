import type { Static, TSchema } from 'typebox';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { EvidenceSchema } from '../../engine/src/server/routes/evidence.ts';
import { IncidentListSchema } from '../../engine/src/server/routes/incidents.ts';
import { RcaResultSchema } from '../../engine/src/server/routes/rca.ts';
import { RunDetailSchema, RunListSchema } from '../../engine/src/server/routes/workflowRuns.ts';

export const EvidenceListSchema = Type.Object({ evidence: Type.Array(EvidenceSchema) });
export type IncidentView = Static<typeof IncidentListSchema>['incidents'][number];
export type RcaView = Static<typeof RcaResultSchema>;
export type EvidenceView = Static<typeof EvidenceSchema>;
export type RunView = Static<typeof RunDetailSchema>;

/** The engine's API as the demo calls it; every answer is checked against the engine's own response schema. */
export class EngineClient {
  readonly url: string;
  readonly #token: string;

  constructor(url: string, token: string) {
    this.url = url;
    this.#token = token;
  }

  async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} /api/v1${path} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }

  async read<S extends TSchema>(schema: S, method: string, path: string, body?: unknown): Promise<Static<S>> {
    const value = await this.send(method, path, body);
    if (!Value.Check(schema, value)) {
      const [first] = Value.Errors(schema, value);
      throw new Error(`${method} /api/v1${path} answered an unexpected shape: ${first?.instancePath ?? ''} ${first?.message ?? ''}`);
    }
    return value;
  }

  incidents() {
    return this.read(IncidentListSchema, 'GET', '/incidents?from=0');
  }

  analyze(id: string) {
    return this.read(RcaResultSchema, 'POST', `/incidents/${encodeURIComponent(id)}/analyze`);
  }

  evidence(id: string) {
    return this.read(EvidenceListSchema, 'GET', `/incidents/${encodeURIComponent(id)}/evidence`);
  }

  runs() {
    return this.read(RunListSchema, 'GET', '/workflow-runs');
  }

  run(id: string) {
    return this.read(RunDetailSchema, 'GET', `/workflow-runs/${encodeURIComponent(id)}`);
  }
}
