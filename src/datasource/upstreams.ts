import type { IntelOpsOptions } from './types';

/** The Grafana datasources the engine's evidence points into: Explore links open these. */
export type Upstream = 'prometheus' | 'loki' | 'tempo';

export const UPSTREAMS: Upstream[] = ['prometheus', 'loki', 'tempo'];

export const UPSTREAM_LABELS: Record<Upstream, string> = { prometheus: 'Prometheus', loki: 'Loki', tempo: 'Tempo' };

/** The uids provisioning/datasources/intelops.yaml gives them. */
export const DEFAULT_UPSTREAM_UIDS: Record<Upstream, string> = {
  prometheus: 'prometheus',
  loki: 'loki',
  tempo: 'tempo',
};

const UID_KEYS = {
  prometheus: 'prometheusDatasourceUid',
  loki: 'lokiDatasourceUid',
  tempo: 'tempoDatasourceUid',
} as const satisfies Record<Upstream, keyof IntelOpsOptions>;

/** The uids set in the IntelOps datasource's settings, the provisioned ones for any left empty. */
export function upstreamUids(jsonData: object | undefined): Record<Upstream, string> {
  const uid = (upstream: Upstream) => {
    const value: unknown = jsonData ? Reflect.get(jsonData, UID_KEYS[upstream]) : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_UPSTREAM_UIDS[upstream];
  };
  return { prometheus: uid('prometheus'), loki: uid('loki'), tempo: uid('tempo') };
}

export function upstreamUidKey(upstream: Upstream): (typeof UID_KEYS)[Upstream] {
  return UID_KEYS[upstream];
}
