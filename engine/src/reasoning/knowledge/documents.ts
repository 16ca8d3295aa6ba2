/**
 * What the knowledge base holds: runbooks (markdown files) and resolved incidents (confirmed by an SRE),
 * both indexed as one kind of document so a search ranks them together.
 */
export type KnowledgeKind = 'runbook' | 'incident';

export interface KnowledgeDocument {
  /** `runbook:<file>` or `incident:<incidentId>`: unique across kinds. */
  id: string;
  kind: KnowledgeKind;
  title: string;
  /** Markdown text: a runbook's body, or a resolved incident's cause and remediation. */
  body: string;
  /** Services it applies to; empty means any service. */
  services: string[];
  tags: string[];
  /** Indicators and log phrases it is about (cpu, memory, "connection refused"…). */
  signals: string[];
  /** Where it came from: the runbook's file name relative to its folder, or the incident id. */
  source: string;
  /** For kind `incident`: the confirmed cause and remediation as given. */
  incident?: ResolvedIncident;
}

/** A root cause an SRE confirmed, with what fixed it. */
export interface ResolvedIncident {
  incidentId: string;
  title: string;
  services: string[];
  cause: { service: string; indicator: string };
  remediation: string;
  tags: string[];
  /** Who confirmed the cause, when known. */
  confirmedBy?: string;
}

export function runbookId(file: string): string {
  return `runbook:${file}`;
}

export function incidentDocumentId(incidentId: string): string {
  return `incident:${incidentId}`;
}

/** A resolved incident as a searchable document; the cause's service and indicator are indexed too. */
export function resolvedIncidentDocument(incident: ResolvedIncident): KnowledgeDocument {
  const services = unique([...incident.services, incident.cause.service]);
  const body = [
    `Root cause: ${incident.cause.indicator} on ${incident.cause.service}.`,
    '',
    '## Remediation',
    '',
    incident.remediation,
  ].join('\n');
  return {
    id: incidentDocumentId(incident.incidentId),
    kind: 'incident',
    title: incident.title,
    body,
    services,
    tags: unique(incident.tags),
    signals: [incident.cause.indicator],
    source: incident.incidentId,
    incident,
  };
}

/** Checks a resolved incident from a caller; returns the problems found, each naming the field. */
export function resolvedIncidentProblems(incident: ResolvedIncident): string[] {
  const problems: string[] = [];
  const text = (field: string, value: string) => {
    if (value.trim() === '') {
      problems.push(`${field} must not be empty`);
    } else if (value.includes('\u0000')) {
      // PostgreSQL cannot store U+0000 in text or jsonb.
      problems.push(`${field} must not contain the NUL character (\\u0000)`);
    }
  };
  text('incidentId', incident.incidentId);
  text('title', incident.title);
  text('cause/service', incident.cause.service);
  text('cause/indicator', incident.cause.indicator);
  text('remediation', incident.remediation);
  if (incident.confirmedBy !== undefined) {
    text('confirmedBy', incident.confirmedBy);
  }
  incident.services.forEach((service, index) => text(`services/${index}`, service));
  incident.tags.forEach((tag, index) => text(`tags/${index}`, tag));
  return problems;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
