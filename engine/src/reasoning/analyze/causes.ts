import type { ChangeCandidate } from '../../context/changeWindow.ts';
import type { Change } from '../../context/changes.ts';
import type { Evidence } from '../../perception/evidence.ts';
import { formatClock } from '../../perception/metrics/format.ts';
import { MAX_SIGMAS } from '../ranking/deviation.ts';
import type { RankedCause } from '../ranking/rankRootCauses.ts';
import { MAX_CAUSES } from '../rootCause.ts';
import type { CauseIndicator, RootCause } from '../rootCause.ts';

/** A change near the incident, with how strongly its timing and place point at it, in [0, 1]. */
export type CandidateChange = Pick<ChangeCandidate, 'change' | 'strength'>;

// Evidence items cited per cause: enough to check the claim, few enough to read.
const MAX_CITED = 5;

const EVIDENCE_INDICATOR: Record<Evidence['kind'], CauseIndicator> = {
  log_template: 'log_template',
  metric_anomaly: 'other',
  trace_errors: 'errors',
  trace_latency: 'latency',
};

/** The ranker's indicator in the API's words (`io` is what a disk does). */
function causeIndicator(
  ranked: RankedCause,
  evidence: readonly Evidence[],
  changes: readonly CandidateChange[]
): CauseIndicator {
  if (ranked.metric !== 'evidence') {
    return ranked.indicator === 'io' ? 'disk' : ranked.indicator;
  }
  // Only other evidence spoke for the service: the strongest item names the indicator.
  const change = changes[0];
  const item = evidence[0];
  if (change !== undefined && (item === undefined || change.strength >= item.score)) {
    return 'change';
  }
  return item === undefined ? 'other' : EVIDENCE_INDICATOR[item.kind];
}

function describeChange({ change }: CandidateChange, incidentStart: Date): string {
  const minutes = Math.round((incidentStart.getTime() - change.startsAt.getTime()) / 60_000);
  const when =
    minutes > 0 ? `${minutes} min before the incident` : minutes < 0 ? `${-minutes} min after it began` : 'as it began';
  const version = change.version === undefined ? '' : ` (${change.version})`;
  return `A ${change.kind.replace('_', ' ')} "${change.title}"${version} started ${when}.`;
}

/** One or two sentences that say why the service is suspected, from the same numbers the ranking used. */
export function explain(
  ranked: RankedCause,
  evidence: readonly Evidence[],
  changes: readonly CandidateChange[],
  incidentStart: Date,
  onsetTime: (index: number) => number | undefined
): string {
  const parts: string[] = [];
  if (ranked.metric.startsWith('client latency of ')) {
    parts.push(
      `Calls to ${ranked.service} got slower as its callers saw them (${ranked.metric.slice('client latency of '.length)}), ${ranked.deviation.toFixed(1)}σ above normal.`
    );
  } else if (ranked.metric !== 'evidence') {
    const onset = ranked.onset === undefined ? undefined : onsetTime(ranked.onset);
    const from = onset === undefined ? '' : ` from ${formatClock(onset)}`;
    const verb = ranked.direction === 'up' ? 'rose' : 'fell';
    // At the cap the baseline had no spread at all (an error ratio of exactly 0): sigmas would mean nothing.
    const howFar =
      ranked.deviation >= MAX_SIGMAS
        ? `${verb} off a flat baseline`
        : `${verb} ${ranked.deviation.toFixed(1)}σ ${ranked.direction === 'up' ? 'above' : 'below'} its baseline`;
    parts.push(`${ranked.metric} of ${ranked.service} ${howFar}${from}.`);
  }
  const change = changes[0];
  if (change !== undefined) {
    parts.push(describeChange(change, incidentStart));
  }
  const strongest = evidence.find((item) => item.kind !== 'metric_anomaly');
  if (strongest !== undefined) {
    parts.push(`${strongest.summary.replace(/\.$/, '')}.`);
  }
  if (parts.length === 0) {
    parts.push(`${ranked.service} shows the strongest evidence of the services around the incident.`);
  }
  return parts.join(' ');
}

/** The indicators an evidence item speaks to; saturation is CPU or memory, which the item does not say. */
function indicatorsOf(item: Evidence): CauseIndicator[] {
  if (item.kind !== 'metric_anomaly') {
    return [EVIDENCE_INDICATOR[item.kind]];
  }
  return item.details.signal === 'saturation' ? ['cpu', 'memory', 'saturation'] : [item.details.signal];
}

/** The evidence of one service, the items of the cause's indicator first, then by score. */
function evidenceOf(service: string, evidence: readonly Evidence[], indicator: CauseIndicator): Evidence[] {
  const matches = (item: Evidence) => Number(indicatorsOf(item).includes(indicator));
  return evidence
    .filter((item) => item.service === service)
    .sort((a, b) => matches(b) - matches(a) || b.score - a.score);
}

export interface CauseInputs {
  ranking: readonly RankedCause[];
  evidence: readonly Evidence[];
  changes: readonly CandidateChange[];
  incidentStart: Date;
  /** The time of an index into the ranking's anomalous window. */
  onsetTime: (index: number) => number | undefined;
}

/**
 * The top causes of the deterministic ranking with the evidence they rest on and an explanation; services
 * with nothing at all against them are not causes. Actions are added by the caller from the knowledge base.
 */
export function causesOf({ ranking, evidence, changes, incidentStart, onsetTime }: CauseInputs): RootCause[] {
  return ranking
    .filter((ranked) => ranked.score > 0)
    .slice(0, MAX_CAUSES)
    .map((ranked) => {
      const own = evidence.filter((item) => item.service === ranked.service).sort((a, b) => b.score - a.score);
      const ownChanges = changes
        .filter(({ change }) => change.service === ranked.service)
        .sort((a, b) => b.strength - a.strength);
      const indicator = causeIndicator(ranked, own, ownChanges);
      const cited = evidenceOf(ranked.service, evidence, indicator).slice(0, MAX_CITED);
      return {
        service: ranked.service,
        indicator,
        confidence: ranked.confidence,
        evidence: [...ownChanges.map(({ change }) => change.id), ...cited.map((item) => item.id)],
        explanation: explain(ranked, cited, ownChanges, incidentStart, onsetTime),
        actions: ownChanges.map(({ change }) => rollback(change)),
      };
    });
}

function rollback(change: Change): string {
  const what =
    change.kind === 'feature_flag'
      ? 'Turn the flag back'
      : change.kind === 'config'
        ? 'Revert the configuration change'
        : 'Roll back';
  return `${what}: "${change.title}"${change.version === undefined ? '' : ` (${change.version})`} on ${change.service}${change.url === undefined ? '' : `, ${change.url}`}`;
}
