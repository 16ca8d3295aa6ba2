import { quantileSorted } from '../../perception/metrics/robust.ts';
import { deviation, finiteValues, RELATIVE_FLOOR } from './deviation.ts';
import { INDICATOR_WEIGHT } from './indicators.ts';

/** Latency of the calls on one edge, as one side measured it; both windows share the service series' step. */
export interface EdgeLatencySeries {
  client: string;
  server: string;
  /** The caller's view (request sent → response back, network included) or the callee's (its own handling). */
  side: 'client' | 'server';
  /** The statistic (`p50`, `p90`): a client and a server series of one edge pair up by it. */
  name: string;
  /** Values before the incident; NaN marks a gap. */
  baseline: readonly number[];
  /** Values from the incident's start on; NaN marks a gap. */
  anomalous: readonly number[];
}

/** How much the time calls spend between the two ends of an edge (client minus server latency) grew. */
export interface EdgeGap {
  client: string;
  server: string;
  name: string;
  /** Robust deviation of the gap in baseline standard deviations. */
  deviation: number;
  /** log1p(deviation) times the network indicator's weight. */
  strength: number;
  onset: number | undefined;
}

/** A service's share of the network gaps on its edges. */
export interface ServiceGap {
  /** Mean strength over the service's measured edges on its busier side (calls into it or calls out of it). */
  strength: number;
  /** Its most deviating edge on that side, for the explanation. */
  strongest: EdgeGap;
}

/**
 * The part of a call's latency that only the caller saw is the network between the two ends: a callee that is slow
 * itself raises both sides and leaves the gap flat. A delay on one service's network shows on all the calls into it
 * (its replies are late) or all the calls out of it (its requests are late), while a healthy neighbour shows it only
 * on its one edge to that service; so a service scores the mean gap over its incoming or its outgoing edges,
 * whichever is larger.
 */
export function networkGaps(series: readonly EdgeLatencySeries[]): Map<string, ServiceGap> {
  const pairs = new Map<string, { client?: EdgeLatencySeries; server?: EdgeLatencySeries }>();
  for (const one of series) {
    if (one.client === one.server) {
      continue;
    }
    const key = `${one.client}\u0000${one.server}\u0000${one.name}`;
    const pair = pairs.get(key) ?? {};
    pair[one.side] = one;
    pairs.set(key, pair);
  }
  const incoming = new Map<string, EdgeGap[]>();
  const outgoing = new Map<string, EdgeGap[]>();
  for (const { client, server } of pairs.values()) {
    // Without the callee's view the caller's latency cannot be split into network and handling.
    if (client === undefined || server === undefined) {
      continue;
    }
    const edge = edgeGap(client, server);
    if (edge !== undefined) {
      append(outgoing, edge.client, edge);
      append(incoming, edge.server, edge);
    }
  }
  const result = new Map<string, ServiceGap>();
  for (const service of new Set([...incoming.keys(), ...outgoing.keys()])) {
    for (const edges of [incoming.get(service), outgoing.get(service)]) {
      const side = summarise(edges ?? []);
      const known = result.get(service);
      if (side !== undefined && (known === undefined || side.strength > known.strength)) {
        result.set(service, side);
      }
    }
  }
  return result;
}

function edgeGap(client: EdgeLatencySeries, server: EdgeLatencySeries): EdgeGap | undefined {
  const level = finiteValues(client.baseline).sort((a, b) => a - b);
  // The gap is a part of the call's latency: a change below 1% of the latency the caller saw is no more than a sigma.
  const floor = level.length > 0 ? RELATIVE_FLOOR * Math.abs(quantileSorted(level, 0.5)) : 0;
  const found = deviation(gap(client.baseline, server.baseline), gap(client.anomalous, server.anomalous), 'up', floor);
  if (found === undefined) {
    return undefined;
  }
  return {
    client: client.client,
    server: client.server,
    name: client.name,
    deviation: found.score,
    strength: INDICATOR_WEIGHT.network * Math.log1p(found.score),
    onset: found.onset,
  };
}

function summarise(edges: readonly EdgeGap[]): ServiceGap | undefined {
  let strongest: EdgeGap | undefined;
  let total = 0;
  for (const edge of edges) {
    total += edge.strength;
    if (strongest === undefined || edge.deviation > strongest.deviation) {
      strongest = edge;
    }
  }
  return strongest === undefined ? undefined : { strength: total / edges.length, strongest };
}

function append(map: Map<string, EdgeGap[]>, key: string, edge: EdgeGap): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [edge]);
  } else {
    list.push(edge);
  }
}

/** Client minus server latency point by point; a gap in either is a gap. */
function gap(client: readonly number[], server: readonly number[]): number[] {
  const length = Math.min(client.length, server.length);
  const result: number[] = [];
  for (let i = 0; i < length; i++) {
    result.push((client[i] ?? Number.NaN) - (server[i] ?? Number.NaN));
  }
  return result;
}
