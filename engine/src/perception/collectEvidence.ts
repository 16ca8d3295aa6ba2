import type { Sources } from '../sources/fromSettings.ts';
import type { TimeRange } from '../sources/types.ts';
import type { Evidence } from './evidence.ts';
import { logEvidence, readWindows } from './logs/logWindows.ts';
import type { TemplateLibrary } from './logs/templateLibrary.ts';
import { streamSelector } from '../sources/loki.ts';
import type { GoldenSignalsConfig } from './metrics/goldenSignals.ts';
import { metricEvidenceOf, scoreGoldenSignals } from './metrics/metricEvidence.ts';
import type { ScoredSignal } from './metrics/metricEvidence.ts';
import { collectTraceEvidence } from './traces/traceEvidence.ts';

/**
 * Gathers an incident's evidence from every configured source at once: log templates from Loki, metric
 * anomalies from Prometheus, error and latency shifts from Tempo. A source that fails or is not configured is
 * reported, and the others still count.
 */

export type SourceName = 'prometheus' | 'loki' | 'tempo';

export interface SourceState {
  state: 'ok' | 'unconfigured' | 'error';
  message?: string;
}

export type SourceStates = Record<SourceName, SourceState>;

export interface IncidentScope {
  id: string;
  services: string[];
  startsAt: Date;
  endsAt: Date | undefined;
}

export interface CollectedEvidence {
  collectedAt: Date;
  sources: SourceStates;
  evidence: Evidence[];
  /** Every golden-signal series read, anomalous or not: what the root-cause ranker compares (not stored). */
  signals: ScoredSignal[];
}

/** Faults show before the alerts that report them: the window opens this long before the first alert. */
const LEAD_MS = 10 * 60_000;
/** The incident window is read up to this long; a longer incident is read from its start. */
const MAX_WINDOW_MS = 6 * 3_600_000;
const MIN_BASELINE_MS = 3_600_000;
const MAX_BASELINE_MS = 24 * 3_600_000;
const LOG_LINES_PER_WINDOW = 5000;
const MAX_EVIDENCE = 60;

export function evidenceWindows(incident: IncidentScope, now: Date): { incident: TimeRange; baseline: TimeRange } {
  const from = incident.startsAt.getTime() - LEAD_MS;
  const to = Math.min((incident.endsAt ?? now).getTime(), from + MAX_WINDOW_MS, now.getTime());
  const length = Math.max(to - from, 60_000);
  const baselineLength = Math.min(MAX_BASELINE_MS, Math.max(MIN_BASELINE_MS, 2 * length));
  return { incident: { from, to: from + length }, baseline: { from: from - baselineLength, to: from } };
}

export interface EvidenceInputs {
  sources: Sources;
  library: TemplateLibrary;
  /** The settings' golden-signal queries; the built-in defaults when undefined. */
  goldenSignals?: GoldenSignalsConfig | undefined;
}

export async function collectEvidence(
  incident: IncidentScope,
  { sources, library, goldenSignals }: EvidenceInputs,
  now: Date,
  signal?: AbortSignal
): Promise<CollectedEvidence> {
  const windows = evidenceWindows(incident, now);
  const services = incident.services;
  const common = { services, incident: windows.incident, baseline: windows.baseline, scope: incident.id, signal };
  const { prometheus, loki, tempo } = sources;

  const fromLoki = async (): Promise<Evidence[]> => {
    if (loki === undefined) {
      return [];
    }
    const label = await loki.serviceLabel({ from: windows.baseline.from, to: windows.incident.to });
    if (label === undefined || services.length === 0) {
      return [];
    }
    const query = streamSelector(services, [label]);
    const read = await readWindows({ logs: loki, library, query, ...windows, limit: LOG_LINES_PER_WINDOW, signal });
    return read.activity.flatMap((activity) => logEvidence(activity, query, incident.id, windows.incident) ?? []);
  };
  let signals: ScoredSignal[] = [];
  const fromPrometheus = async (): Promise<Evidence[]> => {
    if (prometheus === undefined) {
      return [];
    }
    signals = await scoreGoldenSignals({ ...common, metrics: prometheus, signals: goldenSignals });
    return metricEvidenceOf(signals, common);
  };
  const fromTempo = async (): Promise<Evidence[]> =>
    tempo === undefined ? [] : collectTraceEvidence({ ...common, traces: tempo, metrics: prometheus });

  const [logs, metrics, traces] = await Promise.allSettled([fromLoki(), fromPrometheus(), fromTempo()]);
  const states: SourceStates = {
    loki: stateOf(loki !== undefined, logs),
    prometheus: stateOf(prometheus !== undefined, metrics),
    tempo: stateOf(tempo !== undefined, traces),
  };
  const evidence = [logs, metrics, traces]
    .flatMap((result) => (result.status === 'fulfilled' ? result.value : []))
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_EVIDENCE);
  return { collectedAt: now, sources: states, evidence, signals };
}

/** A source whose URL is not set. */
export const UNCONFIGURED: SourceState = { state: 'unconfigured', message: 'No URL set in the engine settings' };

function stateOf(configured: boolean, result: PromiseSettledResult<Evidence[]>): SourceState {
  if (!configured) {
    return UNCONFIGURED;
  }
  if (result.status === 'rejected') {
    const reason: unknown = result.reason;
    return { state: 'error', message: reason instanceof Error ? reason.message : String(reason) };
  }
  return { state: 'ok' };
}
