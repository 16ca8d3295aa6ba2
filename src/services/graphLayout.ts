import type { GraphNode, IncidentGraph } from '../datasource/rootCauses';

/** A node placed on the canvas: callers to the left of the services they call. */
export interface PlacedNode extends GraphNode {
  layer: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  client: string;
  server: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** SVG path: straight to the next column, arched above the columns it skips so it does not hide behind them. */
  path: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 148;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 64;
const ROW_GAP = 20;
const PADDING = 8;
// Room above the top row for the arches of calls that skip a column.
const ARCH = 28;

/** Edges that close a cycle (found depth-first), left out of the layering so every call points right. */
function backEdges(services: string[], calls: Map<string, string[]>): Set<string> {
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (service: string) => {
    state.set(service, 'open');
    for (const next of calls.get(service) ?? []) {
      if (state.get(next) === 'open') {
        back.add(`${service}->${next}`);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    state.set(service, 'done');
  };
  services.forEach((service) => state.has(service) || visit(service));
  return back;
}

/** Each service's column: the longest call chain reaching it from a service nothing calls. */
function layers(services: string[], edges: IncidentGraph['edges']): Map<string, number> {
  const calls = new Map<string, string[]>();
  edges.forEach(({ client, server }) => calls.set(client, [...(calls.get(client) ?? []), server]));
  const back = backEdges(services, calls);
  const forward = edges.filter(({ client, server }) => !back.has(`${client}->${server}`));
  const layer = new Map(services.map((service) => [service, 0]));
  // Longest path by relaxation: at most one pass per service on an acyclic graph.
  for (let pass = 0; pass < services.length; pass++) {
    let changed = false;
    for (const { client, server } of forward) {
      const next = (layer.get(client) ?? 0) + 1;
      if (next > (layer.get(server) ?? 0)) {
        layer.set(server, next);
        changed = true;
      }
    }
    if (!changed) {
      break;
    }
  }
  return layer;
}

/** A left-to-right layered layout of the incident's services; edges whose services are missing are dropped. */
export function layeredLayout(graph: IncidentGraph): GraphLayout {
  const services = graph.nodes.map((node) => node.service);
  const known = new Set(services);
  const edges = graph.edges.filter(({ client, server }) => known.has(client) && known.has(server) && client !== server);
  const layerOf = layers(services, edges);
  const columns: GraphNode[][] = [];
  for (const node of graph.nodes) {
    const layer = layerOf.get(node.service) ?? 0;
    columns[layer] = [...(columns[layer] ?? []), node];
  }
  const nodes: PlacedNode[] = columns.flatMap((column, layer) =>
    [...(column ?? [])]
      .sort((a, b) => a.service.localeCompare(b.service))
      .map((node, row) => ({
        ...node,
        layer,
        x: PADDING + layer * (NODE_WIDTH + COLUMN_GAP),
        y: PADDING + ARCH + row * (NODE_HEIGHT + ROW_GAP),
      }))
  );
  const at = new Map(nodes.map((node) => [node.service, node]));
  const placedEdges = edges.flatMap((edge): PlacedEdge[] => {
    const from = at.get(edge.client);
    const to = at.get(edge.server);
    if (!from || !to) {
      return [];
    }
    // Rightward calls leave the right side; calls back (a cycle) or within a column leave from the bottom.
    const rightward = to.x > from.x;
    const x1 = rightward ? from.x + NODE_WIDTH : from.x + NODE_WIDTH / 2;
    const y1 = rightward ? from.y + NODE_HEIGHT / 2 : from.y + NODE_HEIGHT;
    const x2 = rightward ? to.x : to.x + NODE_WIDTH / 2;
    const y2 = rightward ? to.y + NODE_HEIGHT / 2 : to.y;
    const skips = rightward && to.layer - from.layer > 1;
    const top = Math.min(from.y, to.y) - ARCH + 4;
    const path = skips
      ? `M ${x1} ${y1} C ${x1 + COLUMN_GAP} ${top}, ${x2 - COLUMN_GAP} ${top}, ${x2} ${y2}`
      : `M ${x1} ${y1} L ${x2} ${y2}`;
    return [{ ...edge, x1, y1, x2, y2, path }];
  });
  const tallest = Math.max(0, ...columns.map((column) => column?.length ?? 0));
  return {
    nodes,
    edges: placedEdges,
    width: PADDING * 2 + Math.max(1, columns.length) * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP,
    height: PADDING * 2 + ARCH + tallest * NODE_HEIGHT + Math.max(0, tallest - 1) * ROW_GAP,
  };
}
