import type { Evidence } from '../perception/evidence.ts';
import type { ChangeCandidate } from './changeWindow.ts';
import type { Cmdb } from './cmdb.ts';
import { dependantsOf } from './mergedGraph.ts';
import type { MergedGraph } from './mergedGraph.ts';

/**
 * What tag rules see, as CEL values: `incident`, `evidence`, `changes`, `impact`, `cmdb` and `tags` (the tags so
 * far). Each is an instance of a class the CEL environment declares, so a misspelt field is an error when the
 * rules load, not a silent false. Absent text is "", absent numbers 0, so rules need no has() checks.
 */

export class IncidentValue {
  id: string;
  title: string;
  severity: string;
  status: string;
  /** The first of `services`, or "". */
  service: string;
  services: string[];
  /** RFC 3339; `timestamp(incident.startsAt)` makes it a CEL timestamp. */
  startsAt: string;
  tags: Record<string, string>;
  alertCount: bigint;

  constructor(value: IncidentValue) {
    this.id = value.id;
    this.title = value.title;
    this.severity = value.severity;
    this.status = value.status;
    this.service = value.service;
    this.services = value.services;
    this.startsAt = value.startsAt;
    this.tags = value.tags;
    this.alertCount = value.alertCount;
  }
}

export class EvidenceValue {
  id: string;
  /** metric_anomaly, log_template, trace_errors or trace_latency. */
  kind: string;
  service: string;
  score: number;
  summary: string;
  /** Metric anomalies: latency, errors, traffic or saturation. */
  signal: string;
  /** Metric anomalies: up or down. */
  direction: string;
  /** Metric anomalies: the value at the anomaly (an error ratio in 0..1 for errors). */
  value: number;
  /** Metric anomalies: the baseline median. */
  baseline: number;
  /** Log templates: new, spiking or vanishing. */
  change: string;
  /** Log templates: the template text. */
  template: string;

  constructor(value: EvidenceValue) {
    this.id = value.id;
    this.kind = value.kind;
    this.service = value.service;
    this.score = value.score;
    this.summary = value.summary;
    this.signal = value.signal;
    this.direction = value.direction;
    this.value = value.value;
    this.baseline = value.baseline;
    this.change = value.change;
    this.template = value.template;
  }
}

export class ChangeValue {
  id: string;
  kind: string;
  service: string;
  title: string;
  startsAt: string;
  /** "" for a change that is a point in time. */
  endsAt: string;
  version: string;
  author: string;
  /** In [0, 1], see changesInWindow. */
  strength: number;
  /** service (a change to an incident service) or neighbour. */
  relation: string;

  constructor(value: ChangeValue) {
    this.id = value.id;
    this.kind = value.kind;
    this.service = value.service;
    this.title = value.title;
    this.startsAt = value.startsAt;
    this.endsAt = value.endsAt;
    this.version = value.version;
    this.author = value.author;
    this.strength = value.strength;
    this.relation = value.relation;
  }
}

export class ImpactValue {
  /** The incident's services and every service depending on them, nearest first. */
  services: string[];
  /** The business capabilities of those services, sorted. */
  capabilities: string[];
  teams: string[];
  customerFacing: boolean;
  /** "3 services, payments, storefront". */
  summary: string;

  constructor(value: ImpactValue) {
    this.services = value.services;
    this.capabilities = value.capabilities;
    this.teams = value.teams;
    this.customerFacing = value.customerFacing;
    this.summary = value.summary;
  }
}

export class ServiceValue {
  name: string;
  owner: string;
  team: string;
  tier: string;
  capability: string;
  customerFacing: boolean;
  dependsOn: string[];
  aliases: string[];
  labels: Record<string, string>;

  constructor(value: ServiceValue) {
    this.name = value.name;
    this.owner = value.owner;
    this.team = value.team;
    this.tier = value.tier;
    this.capability = value.capability;
    this.customerFacing = value.customerFacing;
    this.dependsOn = value.dependsOn;
    this.aliases = value.aliases;
    this.labels = value.labels;
  }
}

export interface TagContext {
  incident: IncidentValue;
  evidence: EvidenceValue[];
  changes: ChangeValue[];
  impact: ImpactValue;
  cmdb: Record<string, ServiceValue>;
}

/** The parts of an incident rules read (an IncidentSummary or a stored incident record). */
export interface IncidentFacts {
  id: string;
  title: string;
  severity: string;
  status: string;
  services: readonly string[];
  startsAt: Date;
  tags: Record<string, string>;
  alertCount: number;
}

export interface TagContextInput {
  incident: IncidentFacts;
  evidence: readonly Evidence[];
  /** From changesInWindow. */
  changes: readonly ChangeCandidate[];
  cmdb: Cmdb | undefined;
  /** The merged dependency graph; impact follows its edges backwards (to the callers). */
  graph: MergedGraph;
}

/** How far impact follows callers: far enough for a storefront → checkout → payment chain, bounded for hubs. */
export const IMPACT_MAX_HOPS = 4;
export const IMPACT_MAX_SERVICES = 200;

export function buildTagContext(input: TagContextInput): TagContext {
  const services = new Map((input.cmdb?.services ?? []).map((service) => [service.name, service]));
  const cmdb: Record<string, ServiceValue> = {};
  for (const service of services.values()) {
    cmdb[service.name] = new ServiceValue({
      name: service.name,
      owner: service.owner ?? '',
      team: service.team ?? '',
      tier: service.tier ?? '',
      capability: service.capability ?? '',
      customerFacing: service.customerFacing ?? false,
      dependsOn: [...(service.dependsOn ?? [])],
      aliases: [...(service.aliases ?? [])],
      labels: { ...service.labels },
    });
  }
  const reached = [...dependantsOf(input.graph, input.incident.services, { maxHops: IMPACT_MAX_HOPS, maxServices: IMPACT_MAX_SERVICES })].sort(
    (a, b) => a[1] - b[1] || a[0].localeCompare(b[0])
  );
  const impacted = reached.map(([service]) => service);
  const details = impacted.map((service) => services.get(service)).filter((service) => service !== undefined);
  const capabilities = distinctSorted(details.map((service) => service.capability));
  const { incident } = input;
  return {
    incident: new IncidentValue({
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      service: incident.services[0] ?? '',
      services: [...incident.services],
      startsAt: incident.startsAt.toISOString(),
      tags: { ...incident.tags },
      alertCount: BigInt(Math.max(0, Math.trunc(incident.alertCount))),
    }),
    evidence: input.evidence.map(evidenceValue),
    changes: input.changes.map(changeValue),
    impact: new ImpactValue({
      services: impacted,
      capabilities,
      teams: distinctSorted(details.map((service) => service.team)),
      customerFacing: details.some((service) => service.customerFacing === true),
      summary: impactSummary(impacted.length, capabilities),
    }),
    cmdb,
  };
}

function distinctSorted(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))].sort();
}

/** "1 service", "3 services, payments, storefront". */
export function impactSummary(services: number, capabilities: readonly string[]): string {
  return [`${services} service${services === 1 ? '' : 's'}`, ...capabilities].join(', ');
}

function evidenceValue(item: Evidence): EvidenceValue {
  const base = { id: item.id, kind: item.kind, service: item.service ?? '', score: item.score, summary: item.summary };
  const none = { signal: '', direction: '', value: 0, baseline: 0, change: '', template: '' };
  switch (item.kind) {
    case 'metric_anomaly':
      return new EvidenceValue({
        ...base,
        ...none,
        signal: item.details.signal,
        direction: item.details.direction,
        value: finite(item.details.value),
        baseline: finite(item.details.baselineMedian),
      });
    case 'log_template':
      return new EvidenceValue({ ...base, ...none, change: item.details.change, template: item.details.template });
    default:
      return new EvidenceValue({ ...base, ...none });
  }
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function changeValue(candidate: ChangeCandidate): ChangeValue {
  const { change } = candidate;
  return new ChangeValue({
    id: change.id,
    kind: change.kind,
    service: change.service,
    title: change.title,
    startsAt: change.startsAt.toISOString(),
    endsAt: change.endsAt?.toISOString() ?? '',
    version: change.version ?? '',
    author: change.author ?? '',
    strength: candidate.strength,
    relation: candidate.relation,
  });
}
