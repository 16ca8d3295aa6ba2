import type { TestDataSourceResponse } from '@grafana/data';
import { EngineClient, EngineRequestError, isEngineRequestError } from './engineClient';
import { ENGINE_URL_PLACEHOLDER, type EngineStatus, REQUIRED_API_VERSION } from './types';

export const STATUS_PATH = '/api/v1/status';

/** Checks the body of GET /api/v1/status; anything else means the URL points at something that is not the engine. */
export function parseEngineStatus(data: unknown): EngineStatus {
  if (typeof data !== 'object' || data === null) {
    throw new EngineRequestError('invalid-response', STATUS_PATH, 200, 'the body is not a JSON object');
  }
  const version: unknown = Reflect.get(data, 'version');
  const apiVersion: unknown = Reflect.get(data, 'apiVersion');
  const store: unknown = Reflect.get(data, 'store');
  const startedAt: unknown = Reflect.get(data, 'startedAt');
  const uptimeSeconds: unknown = Reflect.get(data, 'uptimeSeconds');
  if (typeof version !== 'string' || typeof apiVersion !== 'number') {
    throw new EngineRequestError('invalid-response', STATUS_PATH, 200, 'the body has no version and apiVersion');
  }
  return {
    version,
    apiVersion,
    store: typeof store === 'string' ? store : 'unknown',
    startedAt: typeof startedAt === 'string' ? startedAt : '',
    uptimeSeconds: typeof uptimeSeconds === 'number' ? uptimeSeconds : 0,
  };
}

export async function fetchEngineStatus(client: EngineClient): Promise<EngineStatus> {
  return parseEngineStatus(await client.get(STATUS_PATH));
}

/** A failed engine request in words: what failed and what to do about it. */
export function describeEngineFailure(error: unknown, engineUrl: string): string {
  if (!isEngineRequestError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return `The request to the engine at ${engineUrl} failed: ${reason}`;
  }
  switch (error.kind) {
    case 'unreachable':
      return `Grafana could not reach the engine at ${engineUrl}: check the URL and that the engine runs.`;
    case 'unauthorized':
      return 'The engine rejected the token: set the engine token in the datasource settings.';
    case 'not-found':
      return `The server at ${engineUrl} answered 404 for ${error.path}: it is not an IntelOps engine, check the URL.`;
    case 'invalid-response':
      return `The server at ${engineUrl} answered ${error.path}, but not as an IntelOps engine does (${error.detail}): check the URL.`;
    case 'rejected':
      return `The engine refused the request: ${error.detail ?? `status ${error.status}`}`;
    case 'upstream':
      return `The engine at ${engineUrl} could not get an answer from its source: ${error.detail ?? `status ${error.status}`}`;
    case 'http':
      return `The engine at ${engineUrl} answered ${error.status}${error.detail ? ` (${error.detail})` : ''}: check the engine's logs.`;
  }
}

/** "Save & test": GET /api/v1/status through the data proxy, reported in words. */
export async function checkEngineConnection(
  client: EngineClient,
  engineUrl: string | undefined
): Promise<TestDataSourceResponse> {
  const url = engineUrl?.trim();
  if (!url) {
    return {
      status: 'error',
      message: `Set the engine URL (for example ${ENGINE_URL_PLACEHOLDER}) in the datasource settings, then save & test again.`,
    };
  }
  let status: EngineStatus;
  try {
    status = await fetchEngineStatus(client);
  } catch (error) {
    return { status: 'error', message: describeEngineFailure(error, url) };
  }
  if (status.apiVersion !== REQUIRED_API_VERSION) {
    return {
      status: 'error',
      message: `The engine at ${url} reports apiVersion ${status.apiVersion}, this plugin needs ${REQUIRED_API_VERSION}: run an engine and plugin of matching versions.`,
    };
  }
  return { status: 'success', message: `Connected to IntelOps engine ${status.version} (store: ${status.store})` };
}
