import type { EngineReader } from '../datasource/incidents';
import { invalidBody, isRecord, stringOr } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

export const CHANGES_PATH = '/api/v1/changes';

/** One change (deploy, config, feature flag) as GET /api/v1/changes returns it. */
export interface Change {
  id: string;
  kind: string;
  service: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  author: string | null;
  version: string | null;
  url: string | null;
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function parseChanges(body: unknown): Change[] {
  if (!isRecord(body) || !Array.isArray(body.changes)) {
    throw invalidBody(CHANGES_PATH, 'the body has no changes list');
  }
  return body.changes.flatMap((value): Change[] =>
    isRecord(value) && typeof value.id === 'string' && typeof value.startsAt === 'string'
      ? [
          {
            id: value.id,
            kind: stringOr(value.kind, 'other'),
            service: stringOr(value.service, ''),
            title: stringOr(value.title, value.id),
            startsAt: value.startsAt,
            endsAt: nullableString(value.endsAt),
            author: nullableString(value.author),
            version: nullableString(value.version),
            url: nullableString(value.url),
          },
        ]
      : []
  );
}

export interface ChangesRequest {
  /** Epoch milliseconds. */
  from: number;
  to: number;
  services: string[];
}

export async function fetchChanges(client: EngineReader, request: ChangesRequest): Promise<Change[]> {
  return parseChanges(
    await client.get(CHANGES_PATH, {
      from: Math.round(request.from),
      to: Math.round(request.to),
      ...(request.services.length > 0 ? { service: request.services.join(',') } : {}),
    })
  );
}

export function loadChanges(lookup: DatasourceLookup, request: ChangesRequest): Promise<EngineRead<Change[]>> {
  return readFromEngine(lookup, (client) => fetchChanges(client, request));
}
