import type { MergedEdge } from '../../context/mergedGraph.ts';
import type { RankedCause } from '../ranking/rankRootCauses.ts';
import { MAX_CAUSES } from '../rootCause.ts';
import type { IncidentGraph } from '../rootCause.ts';

/** The ranked services and the calls between them, each node with its root-cause score and rank among the causes. */
export function incidentGraph(
  services: readonly string[],
  incidentServices: readonly string[],
  /** The merged graph's edges: each once, none from a service to itself. */
  edges: readonly MergedEdge[],
  ranking: readonly RankedCause[]
): IncidentGraph {
  const shown = new Set(services);
  const inIncident = new Set(incidentServices);
  const rankOf = new Map(
    ranking
      .filter((ranked) => ranked.score > 0)
      .slice(0, MAX_CAUSES)
      .map((ranked, index) => [ranked.service, index + 1])
  );
  const scoreOf = new Map(ranking.map((ranked) => [ranked.service, ranked.score]));
  return {
    nodes: [...shown].map((service) => ({
      service,
      score: Math.round((scoreOf.get(service) ?? 0) * 1000) / 1000,
      rank: rankOf.get(service),
      inIncident: inIncident.has(service),
    })),
    edges: edges
      .filter(({ client, server }) => shown.has(client) && shown.has(server))
      .map(({ client, server }) => ({ client, server })),
  };
}
