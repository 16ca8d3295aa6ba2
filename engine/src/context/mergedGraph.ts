import type { CallEdge } from '../perception/evidence.ts';
import type { Cmdb } from './cmdb.ts';
import { DependencyGraph } from './dependencyGraph.ts';
import { canonicalServiceName } from './serviceLabels.ts';

/**
 * The dependency graph from both places it is known: the CMDB's declared `dependsOn` and the client → server
 * calls Tempo's service graph observed. Each edge says where it came from, so a reader can tell a declared but
 * unused dependency from an undeclared call.
 */

export type EdgeSource = 'cmdb' | 'traces' | 'both';

export interface MergedEdge {
  /** The caller (the service that depends). */
  client: string;
  /** The service called (the dependency). */
  server: string;
  source: EdgeSource;
}

export interface MergedGraph {
  /** Every service on an edge or in the CMDB, sorted. */
  services: string[];
  /** Sorted by client, then server. */
  edges: MergedEdge[];
}

// Tempo names the caller of a root span "user" (a virtual node): it is not a service unless the CMDB says so.
const TEMPO_USER_NODE = 'user';

/** The CMDB's edges and the observed ones, trace service names mapped to CMDB names through labels and aliases. */
export function mergedGraph(cmdb: Cmdb | undefined, edges: readonly CallEdge[]): MergedGraph {
  const merged = new Map<string, MergedEdge>();
  const services = new Set<string>();
  const known = new Set<string>();
  for (const service of cmdb?.services ?? []) {
    services.add(service.name);
    known.add(service.name);
    for (const dependency of service.dependsOn ?? []) {
      if (dependency !== service.name) {
        merged.set(edgeKey(service.name, dependency), { client: service.name, server: dependency, source: 'cmdb' });
        services.add(dependency);
      }
    }
  }
  for (const edge of edges) {
    const client = canonicalServiceName(edge.client, cmdb);
    const server = canonicalServiceName(edge.server, cmdb);
    if (client === '' || server === '' || client === server || (client === TEMPO_USER_NODE && !known.has(client))) {
      continue;
    }
    const key = edgeKey(client, server);
    const existing = merged.get(key);
    merged.set(key, { client, server, source: existing === undefined || existing.source === 'traces' ? 'traces' : 'both' });
    services.add(client);
    services.add(server);
  }
  const sorted = [...merged.values()].sort((a, b) => a.client.localeCompare(b.client) || a.server.localeCompare(b.server));
  return { services: [...services].sort(), edges: sorted };
}

function edgeKey(client: string, server: string): string {
  return `${client}\u0000${server}`;
}

/** The merged graph as a DependencyGraph (relations up to maxHops), for grouping and ranking. */
export function dependencyGraphOf(graph: MergedGraph, maxHops: number): DependencyGraph {
  const dependsOn = new Map<string, string[]>(graph.services.map((service) => [service, []]));
  for (const edge of graph.edges) {
    dependsOn.get(edge.client)?.push(edge.server);
  }
  return new DependencyGraph(
    [...dependsOn].map(([name, dependencies]) => ({ name, dependsOn: dependencies })),
    maxHops
  );
}

export interface ReachLimits {
  /** Most edges followed from a starting service. */
  maxHops: number;
  /** Most services returned (the nearest first). */
  maxServices: number;
}

/**
 * The services that depend on `services`, directly or through others (callers of callers…), with their distance
 * in hops; the starting services themselves at 0. Bounded so a hub service does not pull in the whole estate.
 */
export function dependantsOf(graph: MergedGraph, services: readonly string[], limits: ReachLimits): Map<string, number> {
  const callers = new Map<string, string[]>();
  for (const edge of graph.edges) {
    callers.set(edge.server, [...(callers.get(edge.server) ?? []), edge.client]);
  }
  return walk(services, callers, limits);
}

/** The services next to `services` in either direction (callers and dependencies), one hop, without them. */
export function neighboursOf(graph: MergedGraph, services: readonly string[]): string[] {
  const start = new Set(services);
  const found = new Set<string>();
  for (const edge of graph.edges) {
    if (start.has(edge.client) && !start.has(edge.server)) {
      found.add(edge.server);
    }
    if (start.has(edge.server) && !start.has(edge.client)) {
      found.add(edge.client);
    }
  }
  return [...found].sort();
}

function walk(services: readonly string[], next: ReadonlyMap<string, string[]>, limits: ReachLimits): Map<string, number> {
  const hops = new Map<string, number>();
  let frontier: string[] = [];
  for (const service of services) {
    if (!hops.has(service) && hops.size < limits.maxServices) {
      hops.set(service, 0);
      frontier.push(service);
    }
  }
  for (let depth = 1; depth <= limits.maxHops && frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const service of frontier) {
      for (const neighbour of [...(next.get(service) ?? [])].sort()) {
        if (!hops.has(neighbour)) {
          if (hops.size >= limits.maxServices) {
            return hops;
          }
          hops.set(neighbour, depth);
          following.push(neighbour);
        }
      }
    }
    frontier = following;
  }
  return hops;
}
