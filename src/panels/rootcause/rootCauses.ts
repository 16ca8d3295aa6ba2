import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import {
  chipFromRef,
  chipKind,
  type EvidenceChip,
  indicatorLabel,
  MAX_ROOT_CAUSES,
  type RankingMethod,
  type RootCauseCardView,
} from '../../services/rootCauseCards';
import { findField, normaliseName, numberAt, stringAt } from '../shared/frameFields';

export type { EvidenceChip, RankingMethod, RootCauseCardView };

/** Why the datasource's frame has no rows (its meta.custom.empty), to title the empty state. */
export type EmptyReason = 'not-analysed' | 'unknown-incident' | 'no-incident' | 'no-target';

export interface RootCauseView {
  cards: RootCauseCardView[];
  /** How the causes were ranked; shown once under the cards. */
  method?: RankingMethod;
  /** The frame's notices: LLM fallback, causes dropped, evidence unread, or why there are no rows. */
  notices: QueryResultMetaNotice[];
  empty?: EmptyReason;
  /** Set by the IntelOps datasource: the incident and the engine route that feedback is posted to. */
  incidentId?: string;
  engineUrl?: string;
  engineName?: string;
}

const FIELDS = {
  rank: ['rank', 'position'],
  service: ['service', 'serviceName', 'service_name'],
  indicator: ['indicator', 'signal', 'metric'],
  confidence: ['confidence', 'score', 'probability'],
  explanation: ['explanation', 'summary', 'reason'],
  actions: ['actions', 'recommendedActions', 'remediation'],
  evidence: ['evidence', 'evidenceIds', 'citations'],
  method: ['method', 'rankedBy', 'source'],
  model: ['model'],
  fallbackReason: ['fallbackReason'],
  incidentId: ['incidentId', 'incident'],
};

/** Confidence as a fraction: values in 0..1 stay, values in (1, 100] are read as percentages. */
export function normaliseConfidence(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) {
    return value === undefined ? undefined : 0;
  }
  const fraction = value > 1 ? value / 100 : value;
  return Math.min(1, fraction);
}

function chipFromString(item: string): EvidenceChip {
  const separator = item.indexOf(':');
  if (separator > 0) {
    const kind = chipKind(item.slice(0, separator).trim());
    if (kind !== 'other') {
      const label = item.slice(separator + 1).trim();
      return { kind, label, title: `${kind}: ${label}` };
    }
  }
  // A bare evidence id from the engine: ev_met_…, ev_log_…, ev_trc_…; anything else is a change.
  const engineKind = /^ev_(met|log|trc|trl)_/.exec(item)?.[1];
  const kind = engineKind ? chipKind({ met: 'metric', log: 'log', trc: 'trace', trl: 'trace' }[engineKind]) : 'other';
  return { kind, label: item, title: `${kind === 'other' ? 'evidence' : kind}: ${item}` };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function chipFromObject(item: object): EvidenceChip | undefined {
  const id = text(Reflect.get(item, 'id'));
  const label =
    text(Reflect.get(item, 'summary')) ?? text(Reflect.get(item, 'label')) ?? text(Reflect.get(item, 'name')) ?? id;
  if (label === undefined) {
    return undefined;
  }
  const kind = text(Reflect.get(item, 'kind')) ?? text(Reflect.get(item, 'type'));
  const link: unknown = Reflect.get(item, 'link');
  const linkValue =
    typeof link === 'object' && link !== null
      ? {
          datasource: text(Reflect.get(link, 'datasource')),
          datasourceUid: text(Reflect.get(link, 'datasourceUid')),
          query: text(Reflect.get(link, 'query')),
          from: text(Reflect.get(link, 'from')),
          to: text(Reflect.get(link, 'to')),
        }
      : undefined;
  const chip = chipFromRef({
    id: id ?? label,
    kind: kind ?? 'other',
    summary: label,
    ...(linkValue?.datasource === 'prometheus' || linkValue?.datasource === 'loki' || linkValue?.datasource === 'tempo'
      ? {
          link: {
            datasource: linkValue.datasource,
            datasourceUid: linkValue.datasourceUid ?? '',
            query: linkValue.query ?? '',
            from: linkValue.from ?? '',
            to: linkValue.to ?? '',
          },
        }
      : {}),
  });
  return chip;
}

/** Evidence cell: objects as the IntelOps datasource resolves them, ids, `kind:label` strings, or a JSON array. */
export function parseEvidence(value: unknown): EvidenceChip[] {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      try {
        return parseEvidence(JSON.parse(trimmed));
      } catch {
        return [{ kind: 'other', label: trimmed, title: trimmed }];
      }
    }
    return trimmed === '' ? [] : [chipFromString(trimmed)];
  }
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((item: unknown): EvidenceChip[] => {
    if (typeof item === 'string' && item.trim() !== '') {
      return [chipFromString(item.trim())];
    }
    if (typeof item === 'object' && item !== null) {
      const chip = chipFromObject(item);
      return chip ? [chip] : [];
    }
    return [];
  });
}

/** Actions cell: a string array, a JSON array string, or one action. */
export function parseActions(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  }
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      return parseActions(JSON.parse(value));
    } catch {
      return [value.trim()];
    }
  }
  return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [];
}

/**
 * Method cell: `graph` or `llm` with the model and fallback reason fields beside it; older frames write
 * `llm:<model>` or `graph:llm-unavailable` in the one cell. Anything else is shown as is.
 */
export function parseMethod(
  value: string | undefined,
  model?: string,
  fallbackReason?: string
): RankingMethod | undefined {
  if (!value) {
    return undefined;
  }
  const cell = value.trim();
  const llm = /^llm(?:$|[\s:,/]+(?:model\s+)?(.*)$)/i.exec(cell);
  if (llm) {
    const named = model ?? (llm[1] ?? '').trim();
    return named === '' ? { kind: 'llm' } : { kind: 'llm', model: named };
  }
  const lower = cell.toLowerCase();
  if (lower.startsWith('graph') || lower.startsWith('fallback') || lower.startsWith('deterministic')) {
    const reason = fallbackReason ?? (/unavailable|fallback|failed|error/.test(lower) ? 'LLM unavailable' : undefined);
    return reason ? { kind: 'graph', fallbackReason: reason } : { kind: 'graph' };
  }
  return { kind: 'other', label: cell };
}

// The datasource's root causes frame; any frame with service and confidence fields works too.
function causesFrame(frames: DataFrame[]): DataFrame | undefined {
  const hasFields = (frame: DataFrame) =>
    findField(frame, FIELDS.service) !== undefined && findField(frame, FIELDS.confidence) !== undefined;
  return (
    frames.find((frame) => frame.length > 0 && hasFields(frame)) ??
    frames.find((frame) => hasFields(frame) && normaliseName(frame.name ?? '') === 'rootcauses')
  );
}

function customString(frame: DataFrame, key: string): string | undefined {
  const custom: unknown = frame.meta?.custom;
  const value: unknown = typeof custom === 'object' && custom !== null ? Reflect.get(custom, key) : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function emptyReason(frame: DataFrame): EmptyReason | undefined {
  const value = customString(frame, 'empty');
  const reasons: EmptyReason[] = ['not-analysed', 'unknown-incident', 'no-incident', 'no-target'];
  return reasons.find((reason) => reason === value);
}

function readCards(frame: DataFrame): Array<RootCauseCardView & { method?: RankingMethod; incidentId?: string }> {
  const field = (names: string[]) => findField(frame, names);
  const columns = Object.fromEntries(Object.entries(FIELDS).map(([key, names]) => [key, field(names)]));
  const rows: Array<RootCauseCardView & { method?: RankingMethod; incidentId?: string }> = [];
  for (let i = 0; i < frame.length; i++) {
    const service = stringAt(columns.service, i);
    if (!service) {
      continue;
    }
    rows.push({
      key: `${i}-${service}`,
      rank: numberAt(columns.rank, i) ?? Number.MAX_SAFE_INTEGER,
      service,
      indicator: indicatorLabel(stringAt(columns.indicator, i)),
      confidence: normaliseConfidence(numberAt(columns.confidence, i)),
      explanation: stringAt(columns.explanation, i),
      actions: parseActions(columns.actions?.values[i]),
      evidence: parseEvidence(columns.evidence?.values[i]),
      method: parseMethod(stringAt(columns.method, i), stringAt(columns.model, i), stringAt(columns.fallbackReason, i)),
      incidentId: stringAt(columns.incidentId, i),
    });
  }
  return rows;
}

/** The top root causes in the first frame that has `service` and `confidence` fields. */
export function rootCausesFromFrames(frames: DataFrame[]): RootCauseView {
  const frame = causesFrame(frames);
  if (!frame) {
    return { cards: [], notices: [] };
  }
  const rows = readCards(frame);
  // Without ranks, the most confident cause comes first.
  const unranked = rows.every((row) => row.rank === Number.MAX_SAFE_INTEGER);
  const sorted = rows.sort((a, b) =>
    unranked || a.rank === b.rank ? (b.confidence ?? -1) - (a.confidence ?? -1) : a.rank - b.rank
  );
  const top = sorted.slice(0, MAX_ROOT_CAUSES);
  const cards = top.map(({ method: _method, incidentId: _incident, ...card }, index) =>
    card.rank === Number.MAX_SAFE_INTEGER ? { ...card, rank: index + 1 } : card
  );
  const incidentId = customString(frame, 'incidentId') ?? top.find((row) => row.incidentId)?.incidentId;
  const engineUrl = customString(frame, 'engineUrl');
  const engineName = customString(frame, 'engineName');
  const empty = emptyReason(frame);
  return {
    cards,
    method: top.find((row) => row.method)?.method,
    notices: frame.meta?.notices ?? [],
    ...(empty ? { empty } : {}),
    ...(incidentId ? { incidentId } : {}),
    ...(engineUrl ? { engineUrl } : {}),
    ...(engineName ? { engineName } : {}),
  };
}
