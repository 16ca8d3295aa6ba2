import { Type } from 'typebox';
import type { Static } from 'typebox';
import { parseDocument } from 'yaml';
import type { ServiceDetails, ServiceLookup } from '../perception/alerts/incidents.ts';
import type { ServiceResolver } from '../perception/alerts/normalize.ts';
import { invalidInput, quote } from '../invalidInput.ts';
import { DependencyGraph } from './dependencyGraph.ts';
import { cmdbServiceResolver } from './serviceLabels.ts';

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
    labels: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ minLength: 1, maxLength: 1024 }), {
        maxProperties: 32,
        description: 'Telemetry labels that identify this service, e.g. {service_name: checkout, k8s_deployment: checkout-v2}; any one pair matching is enough',
      })
    ),
    aliases: Type.Optional(
      Type.Array(ServiceName, { maxItems: 100, description: 'Other names telemetry uses for it: pod name prefixes, job names, Tempo service names' })
    ),
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

/** Names a place in the CMDB for messages: service `index`, then a JSON-pointer-like `path` ("/aliases/0"). */
export type CmdbLocator = (index: number, path: string) => string;

const bodyLocator: CmdbLocator = (index, path) => `body/services/${index}${path}`;

/**
 * Checks what the schema cannot: names are unique and an alias names one service only (a 400 naming both
 * entries). Dependencies on unlisted services are allowed (they become graph nodes) but warned about; repeated
 * or self dependencies are dropped. `locate` names places in messages (request body paths by default).
 */
export function checkCmdb(cmdb: Cmdb, locate: CmdbLocator = bodyLocator): CheckedCmdb {
  const firstIndex = new Map<string, number>();
  cmdb.services.forEach((service, index) => {
    for (const [field, value] of Object.entries(service)) {
      // PostgreSQL cannot store U+0000 in jsonb.
      if (JSON.stringify(value).includes('\\u0000')) {
        throw invalidInput(`${locate(index, `/${field}`)} must not contain the NUL character (\\u0000)`);
      }
    }
    const earlier = firstIndex.get(service.name);
    if (earlier !== undefined) {
      throw invalidInput(`${locate(index, '/name')} ${quote(service.name)} is already the name of ${locate(earlier, '')}: service names must be unique`);
    }
    firstIndex.set(service.name, index);
  });
  checkAliases(cmdb, firstIndex, locate);
  const warnings: string[] = [];
  const unknown = new Map<string, string[]>();
  const services = cmdb.services.map((service, index) => {
    if (service.dependsOn === undefined) {
      return service;
    }
    const dependsOn: string[] = [];
    for (const dependency of service.dependsOn) {
      if (dependency === service.name) {
        warnings.push(`${locate(index, '')} (${quote(service.name)}) depends on itself; that dependency is ignored`);
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

/** An alias must resolve to one service: it may not be another service's name or alias. */
function checkAliases(cmdb: Cmdb, nameIndex: ReadonlyMap<string, number>, locate: CmdbLocator): void {
  const aliasAt = new Map<string, string>();
  cmdb.services.forEach((service, index) => {
    (service.aliases ?? []).forEach((alias, position) => {
      const where = locate(index, `/aliases/${position}`);
      const named = nameIndex.get(alias);
      if (named !== undefined && named !== index) {
        throw invalidInput(`${where} ${quote(alias)} is the name of ${locate(named, '')}: an alias must name one service only`);
      }
      const earlier = aliasAt.get(alias);
      if (earlier !== undefined && !earlier.startsWith(locate(index, '/'))) {
        throw invalidInput(`${where} ${quote(alias)} is already an alias at ${earlier}: an alias must name one service only`);
      }
      aliasAt.set(alias, where);
    });
  });
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
  const details = new Map<string, ServiceDetails>(
    services.map((service) => [
      service.name,
      { owner: service.owner, team: service.team, tier: service.tier, capability: service.capability, customerFacing: service.customerFacing },
    ])
  );
  return { graph, resolver: cmdbServiceResolver(cmdb), lookup: (service) => details.get(service) };
}
