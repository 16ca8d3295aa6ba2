import { createDataFrame, type DataFrame, FieldType, type QueryResultMetaNotice } from '@grafana/data';
import { type EvidenceRef, MAX_ROOT_CAUSES } from '../services/rootCauseCards';
import type { IncidentGraph, RcaResult } from './rootCauses';

/** What the panel needs besides the rows: the incident, and the engine route to post feedback through. */
export interface RootCausesMeta {
  incidentId: string | undefined;
  /** The datasource's data-proxy URL of the engine (…/api/datasources/proxy/uid/<uid>/engine). */
  engineUrl: string;
  /** The engine's configured URL, for messages. */
  engineName: string;
}

/** Why a frame has no rows, as a notice the panel and Grafana's panel header show. */
export type NoCausesReason =
  | { kind: 'not-analysed'; incidentId: string }
  | { kind: 'unknown-incident'; incidentId: string }
  | { kind: 'no-incident'; service: string }
  | { kind: 'no-target' };

export function noCausesNotice(reason: NoCausesReason): QueryResultMetaNotice {
  switch (reason.kind) {
    case 'not-analysed':
      return {
        severity: 'info',
        text: `Not analysed yet: incident ${reason.incidentId} has no root-cause analysis. Analyze it on its investigation page, or POST /api/v1/incidents/${reason.incidentId}/analyze.`,
      };
    case 'unknown-incident':
      return { severity: 'warning', text: `The engine has no incident "${reason.incidentId}": check the incident id.` };
    case 'no-incident':
      return { severity: 'info', text: `No incident for service "${reason.service}" in this time range.` };
    case 'no-target':
      return { severity: 'info', text: 'Enter an incident id or a service in the query.' };
  }
}

function resultNotices(rca: RcaResult, evidenceProblem: string | undefined): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  if (rca.method === 'graph' && rca.fallbackReason) {
    notices.push({
      severity: 'info',
      text: `LLM not used: ${rca.fallbackReason}. The causes are ranked by the dependency graph.`,
    });
  }
  if (rca.hallucinationsDropped > 0) {
    const n = rca.hallucinationsDropped;
    notices.push({
      severity: 'warning',
      text: `${n} cause${n === 1 ? '' : 's'} the LLM gave ${n === 1 ? 'was' : 'were'} dropped: ${n === 1 ? 'it' : 'they'} cited evidence or services that do not exist.`,
    });
  }
  if (evidenceProblem) {
    notices.push({
      severity: 'warning',
      text: `The evidence could not be read (${evidenceProblem}): chips show ids only.`,
    });
  }
  return notices;
}

/**
 * The top causes as one frame, one row per cause, for the root cause panel or a table. `refs` holds each cause's
 * cited ids resolved against the incident's evidence; without an analysis the frame is empty and says why.
 */
export function rootCausesFrame(
  analysis: { rca: RcaResult; refs: EvidenceRef[][]; evidenceProblem?: string } | { none: NoCausesReason },
  meta: RootCausesMeta,
  refId: string
): DataFrame {
  const rca = 'rca' in analysis ? analysis.rca : undefined;
  const causes = rca?.causes.slice(0, MAX_ROOT_CAUSES) ?? [];
  const refs = 'refs' in analysis ? analysis.refs : [];
  const each = <T>(pick: (index: number) => T): T[] => causes.map((_, index) => pick(index));
  const notices =
    'none' in analysis ? [noCausesNotice(analysis.none)] : resultNotices(analysis.rca, analysis.evidenceProblem);
  return createDataFrame({
    refId,
    name: 'Root causes',
    meta: {
      notices,
      custom: {
        incidentId: meta.incidentId,
        engineUrl: meta.engineUrl,
        engineName: meta.engineName,
        ...('none' in analysis ? { empty: analysis.none.kind } : {}),
      },
    },
    fields: [
      { name: 'rank', type: FieldType.number, values: each((i) => i + 1), config: { displayName: 'Rank' } },
      { name: 'service', type: FieldType.string, values: each((i) => causes[i]?.service ?? '') },
      { name: 'indicator', type: FieldType.string, values: each((i) => causes[i]?.indicator ?? '') },
      {
        name: 'confidence',
        type: FieldType.number,
        values: each((i) => causes[i]?.confidence ?? 0),
        config: { unit: 'percentunit', min: 0, max: 1, decimals: 0 },
      },
      { name: 'explanation', type: FieldType.string, values: each((i) => causes[i]?.explanation ?? '') },
      { name: 'actions', type: FieldType.other, values: each((i) => causes[i]?.actions ?? []) },
      { name: 'evidence', type: FieldType.other, values: each((i) => refs[i] ?? []) },
      { name: 'method', type: FieldType.string, values: each(() => rca?.method ?? '') },
      { name: 'model', type: FieldType.string, values: each(() => rca?.model ?? '') },
      { name: 'fallbackReason', type: FieldType.string, values: each(() => rca?.fallbackReason ?? '') },
      { name: 'incidentId', type: FieldType.string, values: each(() => rca?.incidentId ?? meta.incidentId ?? '') },
    ],
  });
}

// Theme colour names: Grafana's node graph resolves them in either theme.
const CAUSE_COLOUR = 'red';
const INCIDENT_COLOUR = 'orange';
const OTHER_COLOUR = 'text';

function arc(name: string, color: string, values: number[]) {
  return {
    name: `arc__${name}`,
    type: FieldType.number,
    values,
    config: { displayName: name, color: { mode: 'fixed', fixedColor: color } },
  };
}

/**
 * The dependency graph around the incident as Grafana's node graph reads it: a nodes frame (id, title, mainstat,
 * arc__*) and an edges frame (id, source, target); the suspected cause (rank 1) is red and highlighted.
 */
export function incidentGraphFrames(
  graph: IncidentGraph,
  refId: string,
  notices: QueryResultMetaNotice[] = []
): DataFrame[] {
  const { nodes, edges } = graph;
  const isCause = nodes.map((node) => node.rank === 1);
  const inIncident = nodes.map((node, i) => !isCause[i] && node.inIncident);
  const meta = { preferredVisualisationType: 'nodeGraph' as const };
  return [
    createDataFrame({
      refId,
      name: 'nodes',
      meta: { ...meta, notices },
      fields: [
        { name: 'id', type: FieldType.string, values: nodes.map((node) => node.service) },
        { name: 'title', type: FieldType.string, values: nodes.map((node) => node.service) },
        {
          name: 'subtitle',
          type: FieldType.string,
          values: nodes.map((node, i) =>
            isCause[i]
              ? 'suspected cause'
              : node.rank !== undefined
                ? `candidate #${node.rank}`
                : node.inIncident
                  ? 'in the incident'
                  : ''
          ),
        },
        {
          name: 'mainstat',
          type: FieldType.number,
          values: nodes.map((node) => node.score),
          config: { displayName: 'Score', decimals: 2 },
        },
        {
          name: 'secondarystat',
          type: FieldType.number,
          values: nodes.map((node) => node.rank ?? null),
          config: { displayName: 'Rank', decimals: 0 },
        },
        arc('cause', CAUSE_COLOUR, isCause.map(Number)),
        arc('incident', INCIDENT_COLOUR, inIncident.map(Number)),
        arc(
          'other',
          OTHER_COLOUR,
          nodes.map((_, i) => Number(!isCause[i] && !inIncident[i]))
        ),
        { name: 'highlighted', type: FieldType.boolean, values: isCause },
        {
          name: 'detail__inIncident',
          type: FieldType.boolean,
          values: nodes.map((node) => node.inIncident),
          config: { displayName: 'In the incident' },
        },
      ],
    }),
    createDataFrame({
      refId,
      name: 'edges',
      meta,
      fields: [
        { name: 'id', type: FieldType.string, values: edges.map((edge) => `${edge.client}->${edge.server}`) },
        { name: 'source', type: FieldType.string, values: edges.map((edge) => edge.client) },
        { name: 'target', type: FieldType.string, values: edges.map((edge) => edge.server) },
      ],
    }),
  ];
}
