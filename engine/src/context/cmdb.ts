import { Type } from 'typebox';
import type { Static } from 'typebox';
import { parseDocument } from 'yaml';
import type { ServiceDetails, ServiceLookup } from '../perception/alerts/incidents.ts';
import { serviceResolver } from '../perception/alerts/normalize.ts';
import type { ServiceResolver } from '../perception/alerts/normalize.ts';
import { invalidInput, quote } from '../invalidInput.ts';
import { DependencyGraph } from './dependencyGraph.ts';

const ServiceName = Type.String({ minLength: 1, maxLength: 253, description: 'The service name alerts use (label service, app, job…)' });
const Detail = (description: string) => Type.Optional(Type.String({ maxLength: 256, description }));

export const CmdbServiceSchema = Type.Object(
  {
    name: ServiceName,
    owner: Detail('Who answers for the service (a person or a mail address)'),
    team: Detail('The team running it'),
    tier: Detail('Criticality or environment tier, e.g. tier-1, production'),
    capability: Detail('The business capability it serves, e.g. payments'),
    customerFacing: Type.Optional(Type.Boolean({ description: 'Whether customers use it directly' })),
    dependsOn: Type.Optional(Type.Array(ServiceName, { maxItems: 1000, description: 'Services this one calls or needs' })),
  },
  { additionalProperties: false, title: 'CmdbService' }
);
export type CmdbService = Static<typeof CmdbServiceSchema>;

export const CmdbSchema = Type.Object(
  { services: Type.Array(CmdbServiceSchema, { maxItems: 10_000 }) },
  {
    additionalProperties: false,
    title: 'Cmdb',
    description: 'The services the engine knows, with their dependencies: grouping relates alerts on services connected in this graph.',
  }
);
export type Cmdb = Static<typeof CmdbSchema>;

export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** YAML text as data; a syntax error is a 400 with its line and column. */
export function parseYaml(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const position = error.linePos?.[0];
    const where = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
    // The library appends its own " at line …:" and a code excerpt; the position is given above instead.
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw invalidInput(`Request body is not valid YAML${where}: ${message}`);
  }
  try {
    return document.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    throw invalidInput(`Request body is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface CheckedCmdb {
  cmdb: Cmdb;
  /** Things accepted but worth knowing, e.g. dependencies on services the CMDB does not list. */
  warnings: string[];
}

/**
 * Checks what the schema cannot: names are unique (a 400 naming both entries). Dependencies on unlisted
 * services are allowed (they become graph nodes) but warned about; repeated or self dependencies are dropped.
 */
export function checkCmdb(cmdb: Cmdb): CheckedCmdb {
  const firstIndex = new Map<string, number>();
  cmdb.services.forEach((service, index) => {
    for (const [field, value] of Object.entries(service)) {
      // PostgreSQL cannot store U+0000 in jsonb.
      if (JSON.stringify(value).includes('\\u0000')) {
        throw invalidInput(`body/services/${index}/${field} must not contain the NUL character (\\u0000)`);
      }
    }
    const earlier = firstIndex.get(service.name);
    if (earlier !== undefined) {
      throw invalidInput(`body/services/${index}/name ${quote(service.name)} is already the name of body/services/${earlier}: service names must be unique`);
    }
    firstIndex.set(service.name, index);
  });
  const warnings: string[] = [];
  const unknown = new Map<string, string[]>();
  const services = cmdb.services.map((service, index) => {
    if (service.dependsOn === undefined) {
      return service;
    }
    const dependsOn: string[] = [];
    for (const dependency of service.dependsOn) {
      if (dependency === service.name) {
        warnings.push(`body/services/${index} (${quote(service.name)}) depends on itself; that dependency is ignored`);
      } else if (!dependsOn.includes(dependency)) {
        dependsOn.push(dependency);
        if (!firstIndex.has(dependency)) {
          unknown.set(dependency, [...(unknown.get(dependency) ?? []), service.name]);
        }
      }
    }
    return { ...service, dependsOn };
  });
  for (const [name, dependants] of unknown) {
    warnings.push(`${quote(name)} is not in the CMDB but ${dependants.map(quote).join(', ')} depend${dependants.length === 1 ? 's' : ''} on it: it is kept as a service without details`);
  }
  return { cmdb: { services }, warnings };
}

/** What grouping needs from the CMDB: the dependency graph, label-to-service resolution and service details. */
export interface CmdbContext {
  graph: DependencyGraph;
  resolver: ServiceResolver;
  lookup: ServiceLookup;
}

export function cmdbContext(cmdb: Cmdb | undefined, maxHops: number): CmdbContext {
  const services = cmdb?.services ?? [];
  const graph = new DependencyGraph(
    services.map((service) => ({ name: service.name, dependsOn: service.dependsOn ?? [] })),
    maxHops
  );
  const known = new Set<string>();
  for (const service of services) {
    known.add(service.name);
    for (const dependency of service.dependsOn ?? []) {
      known.add(dependency);
    }
  }
  const details = new Map<string, ServiceDetails>(
    services.map((service) => [
      service.name,
      { owner: service.owner, team: service.team, tier: service.tier, capability: service.capability, customerFacing: service.customerFacing },
    ])
  );
  return { graph, resolver: serviceResolver(known), lookup: (service) => details.get(service) };
}
