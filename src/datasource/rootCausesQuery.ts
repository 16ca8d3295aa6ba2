import type { DataFrame } from '@grafana/data';
import { evidencePath, type EvidenceItem, parseIncidentEvidence } from '../services/evidence';
import { resolveEvidence } from '../services/rootCauseCards';
import type { QueryContext } from './datasource';
import { isEngineRequestError } from './engineClient';
import { fetchRca, isRcaMissing, latestIncidentId, type RcaResult } from './rootCauses';
import { incidentGraphFrames, type NoCausesReason, noCausesNotice, rootCausesFrame } from './rootCausesFrame';

type Target = { incidentId: string } | { none: NoCausesReason };

/** The incident the query names, or the latest one of its service in the dashboard's time range. */
async function target({ client, query, range }: QueryContext): Promise<Target> {
  const id = (query.incidentId ?? '').trim();
  if (id !== '') {
    return { incidentId: id };
  }
  const service = (query.service ?? '').trim();
  if (service === '') {
    return { none: { kind: 'no-target' } };
  }
  const latest = await latestIncidentId(client, service, { from: range.from.valueOf(), to: range.to.valueOf() });
  return latest === undefined ? { none: { kind: 'no-incident', service } } : { incidentId: latest };
}

/** The incident's evidence, or why it could not be read: chips then keep the bare ids. */
async function readEvidence(
  client: QueryContext['client'],
  incidentId: string
): Promise<{ items: EvidenceItem[]; problem?: string }> {
  const path = evidencePath(incidentId);
  try {
    return { items: parseIncidentEvidence(await client.get(path), path).evidence };
  } catch (error) {
    if (!isEngineRequestError(error)) {
      throw error;
    }
    return { items: [], problem: error.detail ?? error.message };
  }
}

async function analysis(
  context: QueryContext
): Promise<{ incidentId?: string; rca?: RcaResult; none?: NoCausesReason }> {
  const found = await target(context);
  if ('none' in found) {
    return { none: found.none };
  }
  const rca = await fetchRca(context.client, found.incidentId);
  if (!isRcaMissing(rca)) {
    return { incidentId: found.incidentId, rca };
  }
  return {
    incidentId: found.incidentId,
    none:
      rca.missing === 'incident'
        ? { kind: 'unknown-incident', incidentId: found.incidentId }
        : { kind: 'not-analysed', incidentId: found.incidentId },
  };
}

/** Root causes: GET …/rca and …/evidence, one row per cause with its evidence resolved for Explore. */
export async function runRootCauses(context: QueryContext): Promise<DataFrame[]> {
  const { client, query, upstreams } = context;
  const { incidentId, rca, none } = await analysis(context);
  const meta = { incidentId, engineUrl: client.baseUrl, engineName: context.engineName };
  if (!rca || none) {
    return [rootCausesFrame({ none: none ?? { kind: 'no-target' } }, meta, query.refId)];
  }
  const evidence = await readEvidence(client, rca.incidentId || (incidentId ?? ''));
  const refs = rca.causes.map((cause) => resolveEvidence(cause.evidence, evidence.items, upstreams));
  return [rootCausesFrame({ rca, refs, evidenceProblem: evidence.problem }, meta, query.refId)];
}

/** Dependency graph: the analysis's graph as node-graph frames; empty frames with the reason before one exists. */
export async function runIncidentGraph(context: QueryContext): Promise<DataFrame[]> {
  const { rca, none } = await analysis(context);
  const notices = !rca || none ? [noCausesNotice(none ?? { kind: 'no-target' })] : [];
  return incidentGraphFrames(rca?.graph ?? { nodes: [], edges: [] }, context.query.refId, notices);
}
