import type { RcaResult, RootCause } from '../datasource/rootCauses';
import { type Upstream, UPSTREAMS } from '../datasource/upstreams';
import type { EvidenceItem } from './evidence';
import { exploreUrl } from './exploreUrl';

/**
 * What a root cause card shows, whether it comes from a data frame (the panel) or from the engine directly (the
 * Investigation page), and how a cited evidence id becomes a chip that opens Explore.
 */

/** A cited id resolved against the incident's evidence; a change or an unknown id keeps its id only. */
export interface EvidenceRef {
  id: string;
  /** The engine's evidence kind (metric_anomaly, log_template, trace_errors, trace_latency), or change. */
  kind: string;
  summary?: string;
  service?: string;
  /** Where Explore shows it: the upstream, its Grafana datasource uid, the query and the evidence's range. */
  link?: { datasource: Upstream; datasourceUid: string; query: string; from: string; to: string };
}

export type ChipKind = 'metric' | 'log' | 'trace' | 'change' | 'other';

export interface EvidenceChip {
  kind: ChipKind;
  label: string;
  /** The full text for the tooltip and screen readers. */
  title: string;
  /** Explore with the evidence's exact query and time range. */
  href?: string;
}

export interface RootCauseCardView {
  key: string;
  rank: number;
  service: string;
  indicator?: string;
  /** 0..1, or undefined when the row has none. */
  confidence?: number;
  explanation?: string;
  actions: string[];
  evidence: EvidenceChip[];
}

/** How the causes were ranked: the LLM, or the dependency graph (and why the LLM was not used). */
export type RankingMethod =
  { kind: 'graph'; fallbackReason?: string } | { kind: 'llm'; model?: string } | { kind: 'other'; label: string };

export const MAX_ROOT_CAUSES = 3;

/** Ids starting with ev_ are evidence; the others are changes (chg_… or the id the pipeline posted). */
export function resolveEvidence(ids: string[], items: EvidenceItem[], uids: Record<Upstream, string>): EvidenceRef[] {
  return ids.map((id) => {
    const item = items.find((candidate) => candidate.id === id);
    if (!item) {
      return { id, kind: id.startsWith('ev_') ? 'evidence' : 'change' };
    }
    return {
      id,
      kind: item.kind,
      summary: item.summary,
      ...(item.service ? { service: item.service } : {}),
      link: {
        datasource: item.link.datasource,
        datasourceUid: uids[item.link.datasource],
        query: item.link.query,
        from: item.from,
        to: item.to,
      },
    };
  });
}

const CHIP_KINDS: Record<string, ChipKind> = {
  metric: 'metric',
  metric_anomaly: 'metric',
  prom: 'metric',
  log: 'log',
  logs: 'log',
  log_template: 'log',
  template: 'log',
  trace: 'trace',
  traces: 'trace',
  trace_errors: 'trace',
  trace_latency: 'trace',
  span: 'trace',
  change: 'change',
  deploy: 'change',
  deployment: 'change',
};

export function chipKind(kind: string | undefined): ChipKind {
  return (kind && CHIP_KINDS[kind.toLowerCase()]) || 'other';
}

function isUpstream(value: unknown): value is Upstream {
  return UPSTREAMS.some((upstream) => upstream === value);
}

export function chipFromRef(ref: EvidenceRef): EvidenceChip {
  const kind = chipKind(ref.kind);
  const label = ref.summary || ref.id;
  const link = ref.link;
  return {
    kind,
    label,
    title: `${kind === 'other' ? 'evidence' : kind}: ${label}${link ? ` (${link.query})` : ''}`,
    ...(link && isUpstream(link.datasource) && link.datasourceUid
      ? {
          href: exploreUrl({
            datasourceUid: link.datasourceUid,
            datasourceType: link.datasource,
            query: link.query,
            from: link.from,
            to: link.to,
          }),
        }
      : {}),
  };
}

/** "log_template" reads as "log template". */
export function indicatorLabel(indicator: string | undefined): string | undefined {
  return indicator ? indicator.replace(/_/g, ' ') : undefined;
}

function card(cause: RootCause, index: number, refs: EvidenceRef[]): RootCauseCardView {
  return {
    key: `${index}-${cause.service}`,
    rank: index + 1,
    service: cause.service,
    indicator: indicatorLabel(cause.indicator),
    confidence: cause.confidence,
    explanation: cause.explanation || undefined,
    actions: cause.actions,
    evidence: refs.map(chipFromRef),
  };
}

/** The top causes of an analysis as cards, their evidence resolved against the incident's evidence. */
export function cardsFromRca(
  rca: RcaResult,
  items: EvidenceItem[],
  uids: Record<Upstream, string>
): RootCauseCardView[] {
  return rca.causes
    .slice(0, MAX_ROOT_CAUSES)
    .map((cause, index) => card(cause, index, resolveEvidence(cause.evidence, items, uids)));
}

export function methodOf(rca: Pick<RcaResult, 'method' | 'model' | 'fallbackReason'>): RankingMethod {
  return rca.method === 'llm'
    ? { kind: 'llm', ...(rca.model ? { model: rca.model } : {}) }
    : { kind: 'graph', ...(rca.fallbackReason ? { fallbackReason: rca.fallbackReason } : {}) };
}

/** The method line under the cards. */
export function methodSentence(method: RankingMethod): string {
  switch (method.kind) {
    case 'graph':
      return method.fallbackReason
        ? `Ranked by the dependency graph — LLM not used: ${method.fallbackReason}`
        : 'Ranked by the dependency graph';
    case 'llm':
      return method.model ? `LLM ${method.model}` : 'LLM';
    case 'other':
      return method.label;
  }
}

export function confidencePercent(confidence: number): number {
  return Math.round(confidence * 100);
}
