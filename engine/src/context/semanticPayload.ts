import type { ServiceDetails, ServiceLookup } from '../perception/alerts/incidents.ts';
import type { Evidence } from '../perception/evidence.ts';
import type { SemanticPayload } from '../reasoning/rootCause.ts';
import type { ChangeCandidate } from './changeWindow.ts';

/**
 * The incident as the LLM and workflows read it, after the seed's build_alarm_payload: title, severity, service,
 * owner, change window and business tags, plus the ids of the evidence and candidate changes to cite.
 */

/** The parts of an incident the payload reads (an IncidentSummary or a stored incident record). */
export interface PayloadIncident {
  id: string;
  title: string;
  severity: string;
  services: readonly string[];
  startsAt: Date;
}

export interface PayloadContext {
  evidence: readonly Evidence[];
  /** From changesInWindow. */
  changesInWindow: readonly ChangeCandidate[];
  lookup: ServiceLookup;
  /** The incident's tags, rule tags included. */
  tags: Record<string, string>;
}

/** Tag names that carry business attributes; rules may also use a business_ or biz_ prefix. */
const BUSINESS_TAGS = new Set(['business', 'capabilities', 'impact']);
const BUSINESS_PREFIX = /^(business|biz)[_.-]/;

export function buildSemanticPayload(incident: PayloadIncident, context: PayloadContext): SemanticPayload {
  const details = incident.services.map((service) => context.lookup(service)).filter((entry): entry is ServiceDetails => entry !== undefined);
  const first = (key: 'owner' | 'team' | 'tier') => details.find((entry) => entry[key] !== undefined && entry[key] !== '')?.[key];
  const windowChange = context.changesInWindow
    .filter((candidate) => candidate.relation === 'service')
    .reduce<ChangeCandidate | undefined>((latest, candidate) => (latest === undefined || candidate.change.startsAt > latest.change.startsAt ? candidate : latest), undefined);
  const evidence = [...context.evidence].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).map((item) => item.id);
  const changeIds = context.changesInWindow.map((candidate) => candidate.change.id).filter((id) => !evidence.includes(id));
  return {
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    service: incident.services[0],
    services: [...incident.services],
    owner: first('owner'),
    team: first('team'),
    tier: first('tier'),
    startsAt: incident.startsAt.toISOString(),
    changeWindow:
      windowChange === undefined
        ? undefined
        : {
            changeId: windowChange.change.id,
            service: windowChange.change.service,
            kind: windowChange.change.kind,
            title: windowChange.change.title,
            startsAt: windowChange.change.startsAt.toISOString(),
            endsAt: windowChange.change.endsAt?.toISOString(),
          },
    bizTags: bizTags(details, context.tags),
    tags: { ...context.tags },
    evidence: [...evidence, ...changeIds],
  };
}

/** capability:payments for each capability, customer-facing when any service is, then business tags from rules. */
function bizTags(details: readonly ServiceDetails[], tags: Record<string, string>): string[] {
  const result = new Set<string>();
  for (const entry of details) {
    if (entry.capability !== undefined && entry.capability !== '') {
      result.add(`capability:${entry.capability}`);
    }
  }
  if (details.some((entry) => entry.customerFacing === true) || tags.customerFacing === 'true') {
    result.add('customer-facing');
  }
  for (const [key, value] of Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))) {
    if (BUSINESS_TAGS.has(key) || BUSINESS_PREFIX.test(key)) {
      result.add(`${key}:${value}`);
    }
  }
  return [...result];
}
