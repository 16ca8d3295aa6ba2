import type { ServiceResolver } from '../perception/alerts/normalize.ts';
import { serviceResolver } from '../perception/alerts/normalize.ts';
import type { Cmdb } from './cmdb.ts';

/**
 * Telemetry names a service in many ways (a `service_name` label, a Deployment, a pod prefix, a Prometheus job);
 * the CMDB's `labels` and `aliases` map them to the one name the CMDB uses.
 */

// Labels that carry a service's name, most specific first; `pod` is read without its Kubernetes suffixes.
const NAME_LABELS = ['service', 'service_name', 'app_kubernetes_io_name', 'app', 'k8s_app', 'job', 'container', 'pod'];
// Kubernetes pod names end in a ReplicaSet hash and a pod suffix: checkout-579b9bff58-t2dbm → checkout.
const POD_SUFFIX = /-[a-z0-9]{6,10}-[a-z0-9]{5}$|-[a-z0-9]{5}$/;

interface CmdbIndex {
  /** Every name the CMDB knows (services and dependency-only services) and every alias, to the CMDB name. */
  names: Map<string, string>;
  /** `key\0value` of each identifying label pair, to the services declaring it (in CMDB order). */
  labelPairs: Map<string, string[]>;
  /** Each service's position in the CMDB, to break ties. */
  position: Map<string, number>;
}

const indexes = new WeakMap<Cmdb, CmdbIndex>();

function indexOf(cmdb: Cmdb): CmdbIndex {
  let index = indexes.get(cmdb);
  if (index === undefined) {
    index = buildIndex(cmdb);
    indexes.set(cmdb, index);
  }
  return index;
}

function buildIndex(cmdb: Cmdb): CmdbIndex {
  const names = new Map<string, string>();
  const labelPairs = new Map<string, string[]>();
  for (const service of cmdb.services) {
    names.set(service.name, service.name);
  }
  for (const service of cmdb.services) {
    for (const dependency of service.dependsOn ?? []) {
      if (!names.has(dependency)) {
        names.set(dependency, dependency);
      }
    }
    for (const alias of service.aliases ?? []) {
      if (!names.has(alias)) {
        names.set(alias, service.name);
      }
    }
    for (const [key, value] of Object.entries(service.labels ?? {})) {
      const pair = `${key}\u0000${value}`;
      labelPairs.set(pair, [...(labelPairs.get(pair) ?? []), service.name]);
    }
  }
  return { names, labelPairs, position: new Map(cmdb.services.map((service, position) => [service.name, position])) };
}

/**
 * The CMDB service a set of telemetry labels identifies, or undefined when none does: first the service whose
 * declared `labels` match the most pairs (any one pair is enough; ties go to the service listed first), then a
 * name or alias carried by a name label (service, service_name, app, job, container, pod without its suffixes).
 */
export function serviceOfLabels(labels: Record<string, string>, cmdb: Cmdb | undefined): string | undefined {
  if (cmdb === undefined || cmdb.services.length === 0) {
    return undefined;
  }
  const index = indexOf(cmdb);
  if (index.labelPairs.size > 0) {
    const matches = new Map<string, number>();
    for (const [key, value] of Object.entries(labels)) {
      for (const service of index.labelPairs.get(`${key}\u0000${value}`) ?? []) {
        matches.set(service, (matches.get(service) ?? 0) + 1);
      }
    }
    let best: string | undefined;
    let bestCount = 0;
    // Map iteration follows the labels' order, not the CMDB's: compare positions for ties.
    const at = (service: string) => index.position.get(service) ?? 0;
    for (const [service, count] of matches) {
      if (count > bestCount || (count === bestCount && best !== undefined && at(service) < at(best))) {
        best = service;
        bestCount = count;
      }
    }
    if (best !== undefined) {
      return best;
    }
  }
  for (const key of NAME_LABELS) {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (value === undefined || value === '') {
      continue;
    }
    const found = index.names.get(value) ?? (key === 'pod' ? index.names.get(value.replace(POD_SUFFIX, '')) : undefined);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** The CMDB name for a name telemetry uses (a Tempo service name, an alias); the name itself when unknown. */
export function canonicalServiceName(name: string, cmdb: Cmdb | undefined): string {
  if (cmdb === undefined) {
    return name;
  }
  return indexOf(cmdb).names.get(name) ?? serviceOfLabels({ service_name: name, service: name }, cmdb) ?? name;
}

/** Label-to-service resolution for alerts: the CMDB's conventions first, then what the labels name. */
export function cmdbServiceResolver(cmdb: Cmdb | undefined): ServiceResolver {
  const fallback = serviceResolver(cmdb === undefined ? [] : indexOf(cmdb).names.keys());
  return { resolve: (labels) => serviceOfLabels(labels, cmdb) ?? fallback.resolve(labels) };
}
