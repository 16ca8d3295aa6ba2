// Alert storms with known ground truth: a dependency graph, faults that propagate to callers, flapping,
// redeliveries and background noise, delivered as Alertmanager (webhook v4) would deliver them.
import { fingerprintOf } from '../../engine/src/perception/alerts/normalize.ts';
import { alertKey } from '../../engine/src/perception/alerts/types.ts';
import { seededRandom } from '../../engine/src/testing/random.ts';

export interface StormOptions {
  seed: number;
  services: number;
  faults: number;
  /** How long the storm lasts; faults start anywhere in it. */
  durationMs: number;
  /** Noisy alert rules unrelated to any fault, each firing (and flapping) on its own. */
  noisyRules: number;
  start?: Date;
  /** Prefix for service names, so that several storms can share one CMDB. */
  namePrefix?: string;
}

export interface CmdbService {
  name: string;
  owner: string;
  team: string;
  tier: string;
  capability: string;
  customerFacing: boolean;
  dependsOn: string[];
}

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

export interface Delivery {
  /** When Alertmanager would send it (ms since the storm start): the order of posting. */
  at: number;
  payload: WebhookPayload;
}

export type StormPreset = { name: string } & Omit<StormOptions, 'seed'>;

/** The largest preset: a 300-service outage day of over 1,000 alerts. */
export const STORM_PRESET: StormPreset = { name: 'storm', services: 300, faults: 20, noisyRules: 10, durationMs: 360 * 60_000 };

/** The storm sizes bench:alerts and the grouping eval generate, from a small shop to the outage day. */
export const STORM_PRESETS: readonly StormPreset[] = [
  { name: 'small', services: 10, faults: 1, noisyRules: 2, durationMs: 30 * 60_000 },
  { name: 'medium', services: 100, faults: 4, noisyRules: 4, durationMs: 90 * 60_000 },
  { name: 'large', services: 300, faults: 12, noisyRules: 8, durationMs: 240 * 60_000 },
  STORM_PRESET,
];

export interface Storm {
  services: CmdbService[];
  deliveries: Delivery[];
  /** The engine's alert key (fingerprint@startsAt ISO) → the fault it belongs to, or "noise:<fingerprint>". */
  truth: Map<string, string>;
  /** Alerts in all deliveries, counting every redelivery: the raw volume an SRE would face. */
  rawAlerts: number;
}

const FAULT_RULES = [
  { alertname: 'HighErrorRate', summary: 'Error rate above 5% for {{service}}' },
  { alertname: 'HighLatencyP99', summary: 'p99 latency above 2s on {{service}}' },
  { alertname: 'PodCrashLooping', summary: 'Pod {{pod}} is crash looping' },
  { alertname: 'UpstreamTimeouts', summary: 'Requests from {{service}} to its dependencies time out' },
  { alertname: 'SaturationHigh', summary: 'CPU saturation above 90% on {{service}}' },
];
const NOISE_RULES = [
  { alertname: 'DiskSpaceLow', summary: 'Disk {{device}} is 85% full on {{instance}}' },
  { alertname: 'CertificateExpiresSoon', summary: 'TLS certificate expires in 14 days' },
  { alertname: 'NodeClockSkew', summary: 'Clock skew above 50ms on {{instance}}' },
  { alertname: 'BackupJobSlow', summary: 'Nightly backup took longer than usual' },
];

/** One item chosen at random (the list must not be empty). */
function pick<T>(items: readonly T[], rnd: () => number): T {
  const item = items[Math.floor(rnd() * items.length)];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
}

function buildTopology(count: number, prefix: string, rnd: () => number): CmdbService[] {
  // Layers from edge services down to data stores; each service calls 1–3 services in lower layers.
  const layers = Math.max(3, Math.min(6, Math.round(Math.log2(count))));
  const names = Array.from({ length: count }, (_, i) => `${prefix}svc-${String(i).padStart(3, '0')}`);
  const layerOf = (i: number) => Math.min(layers - 1, Math.floor((i / count) * layers));
  const members = Array.from({ length: layers }, (_, layer) => names.filter((_, j) => layerOf(j) === layer));
  return names.map((name, i) => {
    const layer = layerOf(i);
    const pool = members[layer + 1] ?? [];
    const dependsOn = new Set<string>();
    const wanted = pool.length === 0 ? 0 : 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < wanted; k++) {
      dependsOn.add(pick(pool, rnd));
    }
    const team = `team-${layer}`;
    return {
      name,
      owner: `${team}@example.com`,
      team,
      tier: 'production',
      capability: layer === 0 ? 'storefront' : layer === layers - 1 ? 'data' : 'commerce',
      customerFacing: layer === 0,
      dependsOn: [...dependsOn],
    };
  });
}

interface Firing {
  labels: Record<string, string>;
  service: string | undefined;
  summary: string;
  startsAt: number;
  endsAt: number;
  truth: string | undefined;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? key);
}

/** A fault at one service, spreading to callers hop by hop; each hit service fires one or two rules, some flapping. */
function faultFirings(id: string, root: string, callers: Map<string, string[]>, start: number, rnd: () => number): Firing[] {
  const firings: Firing[] = [];
  const reached = new Map<string, number>([[root, start]]);
  const queue = [root];
  while (queue.length > 0) {
    const service = queue.shift() ?? root;
    const at = reached.get(service) ?? start;
    for (const caller of callers.get(service) ?? []) {
      if (!reached.has(caller) && rnd() < 0.8) {
        reached.set(caller, at + 20_000 + Math.floor(rnd() * 70_000));
        queue.push(caller);
      }
    }
  }
  const duration = 15 * 60_000 + Math.floor(rnd() * 45 * 60_000);
  for (const [service, at] of reached) {
    // Not every service has an alert rule for what it suffers: some pass the fault on silently.
    const rules = service === root ? 2 : rnd() < 0.15 ? 0 : 1 + Math.floor(rnd() * 2);
    for (let r = 0; r < rules; r++) {
      const rule = pick(FAULT_RULES, rnd);
      const pod = `${service}-${Math.floor(rnd() * 1e6).toString(16)}-x${r}`;
      const labels = {
        alertname: rule.alertname,
        service,
        namespace: 'shop',
        pod,
        severity: service === root ? 'critical' : 'warning',
        job: service,
      };
      let begin = at + Math.floor(rnd() * 60_000);
      const end = start + duration;
      const flaps = rnd() < 0.25 ? 1 + Math.floor(rnd() * 3) : 0;
      for (let f = 0; f <= flaps && begin < end; f++) {
        const stop = f === flaps ? end : begin + 60_000 + Math.floor(rnd() * 3 * 60_000);
        firings.push({ labels, service, summary: fill(rule.summary, labels), startsAt: begin, endsAt: Math.min(stop, end), truth: id });
        begin = stop + 60_000 + Math.floor(rnd() * 3 * 60_000);
      }
    }
  }
  return firings;
}

/** Infrastructure noise (nodes, certificates, backups): not caused by any fault, recurring on its own. */
function noiseFirings(options: StormOptions, rnd: () => number): Firing[] {
  const firings: Firing[] = [];
  for (let n = 0; n < options.noisyRules; n++) {
    const rule = NOISE_RULES[n % NOISE_RULES.length];
    if (rule === undefined) {
      continue;
    }
    const labels = {
      alertname: rule.alertname,
      instance: `node-${Math.floor(rnd() * 500)}:9100`,
      device: `/dev/sd${'abc'[n % 3]}`,
      job: 'node',
      severity: 'info',
    };
    let begin = Math.floor(rnd() * options.durationMs);
    const repeats = 1 + Math.floor(rnd() * 4);
    for (let r = 0; r < repeats && begin < options.durationMs; r++) {
      const stop = begin + 2 * 60_000 + Math.floor(rnd() * 5 * 60_000);
      firings.push({ labels, service: undefined, summary: fill(rule.summary, labels), startsAt: begin, endsAt: stop, truth: undefined });
      begin = stop + 2 * 60_000 + Math.floor(rnd() * 10 * 60_000);
    }
  }
  return firings;
}

export function generateStorm(options: StormOptions): Storm {
  const rnd = seededRandom(options.seed);
  const origin = (options.start ?? new Date('2026-11-02T08:00:00Z')).getTime();
  const services = buildTopology(options.services, options.namePrefix ?? '', rnd);
  const callers = new Map<string, string[]>();
  for (const service of services) {
    for (const dependency of service.dependsOn) {
      callers.set(dependency, [...(callers.get(dependency) ?? []), service.name]);
    }
  }
  const neighbours = new Map<string, string[]>();
  for (const service of services) {
    neighbours.set(service.name, [...service.dependsOn, ...(callers.get(service.name) ?? [])]);
  }
  const firings: Firing[] = [];
  const accepted: Array<{ services: Set<string>; from: number; to: number }> = [];
  for (let f = 0; f < options.faults; f++) {
    // Faults start in lower layers more often: databases and shared services fail and take callers with them.
    // Concurrent faults stay at least three hops apart: closer, each sits in the other's blast radius and
    // no one could say which alert belongs to which.
    for (let attempt = 0; attempt < 50; attempt++) {
      const root = services[Math.min(services.length - 1, Math.floor(Math.sqrt(rnd()) * services.length))];
      const start = Math.floor(rnd() * options.durationMs * 0.8);
      const candidate = root === undefined ? [] : faultFirings(`${options.namePrefix ?? ''}fault-${f}`, root.name, callers, start, rnd);
      const hit = new Set(candidate.flatMap((c) => (c.service === undefined ? [] : [c.service])));
      const from = Math.min(...candidate.map((c) => c.startsAt)) - 15 * 60_000;
      const to = Math.max(...candidate.map((c) => c.endsAt)) + 15 * 60_000;
      const near = new Set([...hit].flatMap((s) => [s, ...(neighbours.get(s) ?? [])]).flatMap((s) => [s, ...(neighbours.get(s) ?? [])]));
      const clash = accepted.some((a) => a.from < to && from < a.to && [...a.services].some((s) => near.has(s)));
      if (!clash || attempt === 49) {
        accepted.push({ services: hit, from, to });
        firings.push(...candidate);
        break;
      }
    }
  }
  firings.push(...noiseFirings(options, rnd));

  const truth = new Map<string, string>();
  const sends: Array<{ at: number; alert: WebhookAlert }> = [];
  for (const firing of firings) {
    const fingerprint = fingerprintOf(firing.labels);
    const startsAt = new Date(origin + firing.startsAt).toISOString();
    truth.set(alertKey({ fingerprint, startsAt: new Date(origin + firing.startsAt) }), firing.truth ?? `noise:${fingerprint}`);
    const alert = (status: 'firing' | 'resolved'): WebhookAlert => ({
      status,
      labels: firing.labels,
      annotations: { summary: firing.summary },
      startsAt,
      endsAt: status === 'resolved' ? new Date(origin + firing.endsAt).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(firing.labels.alertname ?? '')}`,
      fingerprint,
    });
    // Alertmanager sends after group_wait, then again every group_interval while it fires, then once resolved.
    for (let at = firing.startsAt + 10_000; at < firing.endsAt; at += 5 * 60_000) {
      sends.push({ at, alert: alert('firing') });
    }
    sends.push({ at: firing.endsAt + 10_000, alert: alert('resolved') });
  }
  return { services, deliveries: batch(sends), truth, rawAlerts: sends.length };
}

/** Alerts sent in the same 10 s with the same alertname travel in one webhook, as Alertmanager groups them. */
function batch(sends: Array<{ at: number; alert: WebhookAlert }>): Delivery[] {
  const groups = new Map<string, Array<{ at: number; alert: WebhookAlert }>>();
  for (const send of sends) {
    const key = `${send.alert.labels.alertname}|${Math.floor(send.at / 10_000)}`;
    groups.set(key, [...(groups.get(key) ?? []), send]);
  }
  const deliveries = [...groups.values()].map((group): Delivery => {
    const alertname = group[0]?.alert.labels.alertname ?? '';
    const firing = group.some((s) => s.alert.status === 'firing');
    return {
      at: Math.max(...group.map((s) => s.at)),
      payload: {
        version: '4',
        groupKey: `{}:{alertname="${alertname}"}`,
        truncatedAlerts: 0,
        status: firing ? 'firing' : 'resolved',
        receiver: 'intelops',
        groupLabels: { alertname },
        commonLabels: { alertname },
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: group.map((s) => s.alert),
      },
    };
  });
  return deliveries.sort((a, b) => a.at - b.at);
}
