import { layeredLayout, NODE_WIDTH } from './graphLayout';

const node = (service: string, rank?: number) => ({ service, score: 0.1, rank, inIncident: false });

describe('layeredLayout', () => {
  it('puts callers left of the services they call, at the longest call chain', () => {
    const layout = layeredLayout({
      nodes: ['frontend', 'cart', 'checkout', 'payments'].map((service) => node(service)),
      edges: [
        { client: 'frontend', server: 'cart' },
        { client: 'frontend', server: 'checkout' },
        { client: 'cart', server: 'checkout' },
        { client: 'checkout', server: 'payments' },
      ],
    });
    const layer = Object.fromEntries(layout.nodes.map((n) => [n.service, n.layer]));
    expect(layer).toEqual({ frontend: 0, cart: 1, checkout: 2, payments: 3 });
    expect(layout.edges.every((edge) => edge.x2 > edge.x1)).toBe(true);
    expect(layout.width).toBeGreaterThanOrEqual(4 * NODE_WIDTH);
  });

  it('survives cycles, self calls and edges to unknown services', () => {
    const layout = layeredLayout({
      nodes: [node('a'), node('b'), node('c')],
      edges: [
        { client: 'a', server: 'b' },
        { client: 'b', server: 'c' },
        { client: 'c', server: 'a' },
        { client: 'a', server: 'a' },
        { client: 'a', server: 'ghost' },
      ],
    });
    expect(layout.nodes.map((n) => [n.service, n.layer])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(layout.edges.map((e) => `${e.client}->${e.server}`)).toEqual(['a->b', 'b->c', 'c->a']);
  });

  it('stacks services of one column without overlap', () => {
    const layout = layeredLayout({ nodes: [node('x'), node('y'), node('z')], edges: [] });
    const ys = layout.nodes.map((n) => n.y);
    expect(new Set(ys).size).toBe(3);
    expect(layout.height).toBeGreaterThan(Math.max(...ys));
  });
});
