import type { CallEdge } from '../../perception/evidence.ts';

// A fault reaches the alerting service through a few calls at most; dependencies this far down are ranked too.
const DEPENDENCY_HOPS = 3;

/**
 * The services worth ranking for an incident: its own; what they call, down to DEPENDENCY_HOPS (a fault often sits
 * in a dependency that raised no alert of its own); then their direct callers; at most `max` in all.
 */
export function neighbourhood(services: readonly string[], edges: readonly CallEdge[], max: number): string[] {
  const callees = new Map<string, string[]>();
  for (const { client, server } of edges) {
    callees.set(client, [...(callees.get(client) ?? []), server]);
  }
  const result = new Set(services);
  let frontier = [...services];
  for (let hop = 0; hop < DEPENDENCY_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const service of frontier) {
      for (const callee of callees.get(service) ?? []) {
        if (!result.has(callee)) {
          result.add(callee);
          next.push(callee);
        }
      }
    }
    frontier = next;
  }
  const own = new Set(services);
  for (const { client, server } of edges) {
    if (own.has(server)) {
      result.add(client);
    }
  }
  return [...result].slice(0, max);
}
