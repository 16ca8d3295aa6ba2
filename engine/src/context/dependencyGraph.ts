/** How two services relate in the dependency graph, seen from the first. */
export type Relation =
  | { kind: 'downstream'; hops: number } // the second is a dependency of the first
  | { kind: 'upstream'; hops: number } // the second depends on the first
  | { kind: 'sibling' }; // both depend directly on a common service

export interface ServiceEdges {
  name: string;
  dependsOn: readonly string[];
}

/** The CMDB's dependency graph, with relations precomputed per service up to maxHops. */
export class DependencyGraph {
  readonly maxHops: number;
  private readonly dependencies = new Map<string, Set<string>>();
  private readonly callers = new Map<string, Set<string>>();
  private readonly relations = new Map<string, Map<string, Relation>>();

  constructor(services: readonly ServiceEdges[], maxHops = 2) {
    this.maxHops = maxHops;
    for (const service of services) {
      this.node(service.name);
      for (const dependency of service.dependsOn) {
        this.node(dependency);
        this.dependencies.get(service.name)?.add(dependency);
        this.callers.get(dependency)?.add(service.name);
      }
    }
  }

  get size(): number {
    return this.dependencies.size;
  }

  has(service: string): boolean {
    return this.dependencies.has(service);
  }

  /** How `to` relates to `from`; undefined when unrelated within maxHops (or either is unknown). */
  relation(from: string, to: string): Relation | undefined {
    return this.relationsOf(from).get(to);
  }

  /** Every service related to `service`, with the relation. */
  relationsOf(service: string): ReadonlyMap<string, Relation> {
    let found = this.relations.get(service);
    if (found === undefined) {
      found = this.computeRelations(service);
      this.relations.set(service, found);
    }
    return found;
  }

  private node(name: string): void {
    if (!this.dependencies.has(name)) {
      this.dependencies.set(name, new Set());
      this.callers.set(name, new Set());
    }
  }

  private computeRelations(service: string): Map<string, Relation> {
    const result = new Map<string, Relation>();
    if (!this.has(service)) {
      return result;
    }
    // Siblings first, so that a closer directed path below overrides them.
    for (const dependency of this.dependencies.get(service) ?? []) {
      for (const sibling of this.callers.get(dependency) ?? []) {
        if (sibling !== service) {
          result.set(sibling, { kind: 'sibling' });
        }
      }
    }
    const upstream = this.walk(service, this.callers);
    for (const [name, hops] of upstream) {
      result.set(name, { kind: 'upstream', hops });
    }
    for (const [name, hops] of this.walk(service, this.dependencies)) {
      const up = upstream.get(name);
      if (up === undefined || hops <= up) {
        result.set(name, { kind: 'downstream', hops });
      }
    }
    return result;
  }

  private walk(start: string, edges: Map<string, Set<string>>): Map<string, number> {
    const hopsTo = new Map<string, number>();
    let frontier = [start];
    for (let hops = 1; hops <= this.maxHops && frontier.length > 0; hops++) {
      const next: string[] = [];
      for (const name of frontier) {
        for (const neighbour of edges.get(name) ?? []) {
          if (neighbour !== start && !hopsTo.has(neighbour)) {
            hopsTo.set(neighbour, hops);
            next.push(neighbour);
          }
        }
      }
      frontier = next;
    }
    return hopsTo;
  }
}
