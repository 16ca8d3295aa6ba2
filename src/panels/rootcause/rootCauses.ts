import type { DataFrame } from '@grafana/data';
import { findField, findFrame, numberAt, stringAt } from '../shared/frameFields';

export const MAX_ROOT_CAUSES = 3;

export type EvidenceKind = 'metric' | 'log' | 'trace' | 'change' | 'other';

export interface EvidenceChip {
  kind: EvidenceKind;
  label: string;
}

export type RootCauseMethod =
  { kind: 'graph'; llmUnavailable: boolean } | { kind: 'llm'; model?: string } | { kind: 'other'; label: string };

export interface RootCauseCard {
  key: string;
  rank: number;
  service: string;
  indicator?: string;
  /** 0..1, or undefined when the row has none. */
  confidence?: number;
  explanation?: string;
  evidence: EvidenceChip[];
  method?: RootCauseMethod;
}

export interface RootCauseView {
  cards: RootCauseCard[];
  /** How the top cause was found; shown once under the cards. */
  method?: RootCauseMethod;
  /** The LLM was asked but unavailable, so the deterministic ranking is shown. */
  llmUnavailable: boolean;
}

const FIELDS = {
  rank: ['rank', 'position'],
  service: ['service', 'serviceName', 'service_name'],
  indicator: ['indicator', 'signal', 'metric'],
  confidence: ['confidence', 'score', 'probability'],
  explanation: ['explanation', 'summary', 'reason'],
  evidence: ['evidence', 'evidenceIds', 'citations'],
  method: ['method', 'rankedBy', 'source'],
};

const EVIDENCE_KINDS: Record<string, EvidenceKind> = {
  metric: 'metric',
  metrics: 'metric',
  prom: 'metric',
  log: 'log',
  logs: 'log',
  template: 'log',
  trace: 'trace',
  traces: 'trace',
  span: 'trace',
  change: 'change',
  deploy: 'change',
  deployment: 'change',
};

/** Confidence as a fraction: values in 0..1 stay, values in (1, 100] are read as percentages. */
export function normaliseConfidence(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) {
    return value === undefined ? undefined : 0;
  }
  const fraction = value > 1 ? value / 100 : value;
  return Math.min(1, fraction);
}

export function confidencePercent(confidence: number): number {
  return Math.round(confidence * 100);
}

function evidenceFromString(item: string): EvidenceChip {
  const separator = item.indexOf(':');
  if (separator > 0) {
    const kind = EVIDENCE_KINDS[item.slice(0, separator).trim().toLowerCase()];
    if (kind) {
      return { kind, label: item.slice(separator + 1).trim() };
    }
  }
  return { kind: 'other', label: item };
}

function evidenceFromObject(item: object): EvidenceChip | undefined {
  const kindValue: unknown = Reflect.get(item, 'kind') ?? Reflect.get(item, 'type');
  const labelValue: unknown = Reflect.get(item, 'label') ?? Reflect.get(item, 'name') ?? Reflect.get(item, 'id');
  if (typeof labelValue !== 'string' && typeof labelValue !== 'number') {
    return undefined;
  }
  const kind = typeof kindValue === 'string' ? EVIDENCE_KINDS[kindValue.toLowerCase()] : undefined;
  return { kind: kind ?? 'other', label: String(labelValue) };
}

/** Evidence cell: a string array, a JSON array string, or one plain string; items are `kind:label` or objects. */
export function parseEvidence(value: unknown): EvidenceChip[] {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        return parseEvidence(JSON.parse(text));
      } catch {
        return [{ kind: 'other', label: text }];
      }
    }
    return text === '' ? [] : [evidenceFromString(text)];
  }
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((item: unknown): EvidenceChip[] => {
    if (typeof item === 'string' && item.trim() !== '') {
      return [evidenceFromString(item.trim())];
    }
    if (typeof item === 'object' && item !== null) {
      const chip = evidenceFromObject(item);
      return chip ? [chip] : [];
    }
    return [];
  });
}

/** Method cell: `graph`, `graph:llm-unavailable` (or `fallback`), `llm:<model>`; anything else is shown as is. */
export function parseMethod(value: string | undefined): RootCauseMethod | undefined {
  if (!value) {
    return undefined;
  }
  const text = value.trim();
  const llm = /^llm(?:$|[\s:,/]+(?:model\s+)?(.*)$)/i.exec(text);
  if (llm) {
    const model = (llm[1] ?? '').trim();
    return model === '' ? { kind: 'llm' } : { kind: 'llm', model };
  }
  const lower = text.toLowerCase();
  if (lower.startsWith('graph') || lower.startsWith('fallback') || lower.startsWith('deterministic')) {
    return { kind: 'graph', llmUnavailable: /unavailable|fallback|failed|error/.test(lower) };
  }
  return { kind: 'other', label: text };
}

export function methodLabel(method: RootCauseMethod): string {
  switch (method.kind) {
    case 'graph':
      return 'graph ranking';
    case 'llm':
      return method.model ? `LLM, model ${method.model}` : 'LLM';
    case 'other':
      return method.label;
  }
}

function compareCards(a: RootCauseCard, b: RootCauseCard): number {
  if (a.rank !== b.rank) {
    return a.rank - b.rank;
  }
  return (b.confidence ?? -1) - (a.confidence ?? -1);
}

/** The top root causes in the first frame that has `service` and `confidence` fields. */
export function rootCausesFromFrames(frames: DataFrame[]): RootCauseView {
  const frame = findFrame(frames, [FIELDS.service, FIELDS.confidence]);
  if (!frame) {
    return { cards: [], llmUnavailable: false };
  }
  const field = (names: string[]) => findField(frame, names);
  const [rank, service, indicator, confidence, explanation, evidence, method] = [
    field(FIELDS.rank),
    field(FIELDS.service),
    field(FIELDS.indicator),
    field(FIELDS.confidence),
    field(FIELDS.explanation),
    field(FIELDS.evidence),
    field(FIELDS.method),
  ];

  const rows: RootCauseCard[] = [];
  for (let i = 0; i < frame.length; i++) {
    const serviceName = stringAt(service, i);
    if (!serviceName) {
      continue;
    }
    const score = normaliseConfidence(numberAt(confidence, i));
    rows.push({
      key: `${i}-${serviceName}`,
      rank: numberAt(rank, i) ?? Number.MAX_SAFE_INTEGER,
      service: serviceName,
      indicator: stringAt(indicator, i),
      confidence: score,
      explanation: stringAt(explanation, i),
      evidence: parseEvidence(evidence?.values[i]),
      method: parseMethod(stringAt(method, i)),
    });
  }
  // Without ranks, the most confident cause comes first.
  const sorted = rows.every((row) => row.rank === Number.MAX_SAFE_INTEGER)
    ? rows.sort((a, b) => (b.confidence ?? -1) - (a.confidence ?? -1))
    : rows.sort(compareCards);
  const cards = sorted
    .slice(0, MAX_ROOT_CAUSES)
    .map((card, index) => (card.rank === Number.MAX_SAFE_INTEGER ? { ...card, rank: index + 1 } : card));
  return {
    cards,
    method: cards.find((card) => card.method)?.method,
    llmUnavailable: cards.some((card) => card.method?.kind === 'graph' && card.method.llmUnavailable),
  };
}
