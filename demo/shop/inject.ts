import { FAULT_KINDS, isFaultKind } from './faults.ts';
import type { FaultKind } from './faults.ts';
import { DEFAULT_PORTS, isShopService, SHOP_SERVICES, urlVariable } from './topology.ts';
import type { ShopService } from './topology.ts';

/** What the injector can do: a service fault, a bad deploy (a change event, then errors), or clearing faults. */
export const INJECT_KINDS = [...FAULT_KINDS, 'bad_deploy', 'clear'] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

export interface InjectOptions {
  service: ShopService;
  kind: InjectKind;
  durationSeconds?: number | undefined;
  /** Extra fault fields (delayMs, ratio, load, mbPerMinute). */
  detail?: Record<string, number>;
  shopUrl: string;
  /** The engine, for bad_deploy's change event. */
  engineUrl?: string | undefined;
  token?: string | undefined;
  now?: () => Date;
}

export interface InjectResult {
  /** What the service answered. */
  service: unknown;
  /** The change posted for bad_deploy. */
  change?: { id: string; kind: 'deploy'; service: string; title: string; startsAt: string; version: string };
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`could not reach ${url} (${cause}); is it running? (npm run demo:shop, or docker compose up)`);
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return text === '' ? undefined : JSON.parse(text);
}

/** Injects one fault; bad_deploy first tells the engine a deploy happened, then turns errors on. */
export async function injectFault(options: InjectOptions): Promise<InjectResult> {
  const base = options.shopUrl.replace(/\/+$/, '');
  if (options.kind === 'clear') {
    return { service: await call(`${base}/-/faults`, { method: 'DELETE' }) };
  }
  const faultKind: FaultKind = options.kind === 'bad_deploy' ? 'errors' : options.kind;
  const body = {
    kind: faultKind,
    ...options.detail,
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
  };
  let change: InjectResult['change'];
  if (options.kind === 'bad_deploy') {
    if (options.engineUrl === undefined || options.token === undefined) {
      throw new Error('bad_deploy posts a change to the engine: set INTELOPS_URL and INTELOPS_TOKEN');
    }
    const startsAt = (options.now ?? (() => new Date()))();
    change = {
      id: `demo-${options.service}-${startsAt.getTime()}`,
      kind: 'deploy',
      service: options.service,
      title: `${options.service} 0.1.1 rolled out`,
      startsAt: startsAt.toISOString(),
      version: '0.1.1',
    };
    await call(`${options.engineUrl.replace(/\/+$/, '')}/api/v1/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(change),
    });
  }
  const answer = await call(`${base}/-/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return change === undefined ? { service: answer } : { service: answer, change };
}

export const USAGE = `usage: npm run demo:fault -- <service> <kind> [--duration <seconds>] [--delay-ms <ms>] [--ratio <0..1>] [--load <0..1>] [--mb-per-minute <n>]
  service: ${SHOP_SERVICES.join(', ')}
  kind:    ${INJECT_KINDS.join(', ')}
  The service is reached at SHOP_<SERVICE>_URL (default http://127.0.0.1:<its port>); bad_deploy also posts a change to
  INTELOPS_URL (default http://127.0.0.1:8686) with INTELOPS_TOKEN.`;

const OPTION_FIELDS: Record<string, string> = {
  '--delay-ms': 'delayMs',
  '--ratio': 'ratio',
  '--load': 'load',
  '--mb-per-minute': 'mbPerMinute',
};

/** Reads the command line and environment into InjectOptions; throws with the usage on a mistake. */
export function parseInjectArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>
): InjectOptions {
  const [service, kind, ...rest] = args;
  if (service === undefined || !isShopService(service)) {
    throw new Error(`unknown service ${JSON.stringify(service ?? '')}\n${USAGE}`);
  }
  if (kind === undefined || !(isFaultKind(kind) || kind === 'bad_deploy' || kind === 'clear')) {
    throw new Error(`unknown kind ${JSON.stringify(kind ?? '')}\n${USAGE}`);
  }
  let durationSeconds: number | undefined;
  const detail: Record<string, number> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i] ?? '';
    const value = Number(rest[i + 1]);
    if (rest[i + 1] === undefined || !Number.isFinite(value)) {
      throw new Error(`${flag} needs a number\n${USAGE}`);
    }
    const field = OPTION_FIELDS[flag];
    if (flag === '--duration') {
      durationSeconds = value;
    } else if (field !== undefined) {
      detail[field] = value;
    } else {
      throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return {
    service,
    kind,
    durationSeconds,
    detail,
    shopUrl: env[urlVariable(service)] ?? `http://127.0.0.1:${DEFAULT_PORTS[service]}`,
    engineUrl: env.INTELOPS_URL ?? 'http://127.0.0.1:8686',
    token: env.INTELOPS_TOKEN,
  };
}
