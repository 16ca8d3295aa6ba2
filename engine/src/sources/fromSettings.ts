import type { Settings } from '../settings/settings.ts';
import type { UpstreamAuth } from './http.ts';
import { LokiClient } from './loki.ts';
import { PrometheusClient } from './prometheus.ts';
import { TempoClient } from './tempo.ts';

/** The secrets the clients need, as EngineConfig carries them (INTELOPS_*_AUTH). */
export interface SourceSecrets {
  prometheusAuth?: UpstreamAuth | undefined;
  lokiAuth?: UpstreamAuth | undefined;
  tempoAuth?: UpstreamAuth | undefined;
}

/** Each client, or undefined when its URL is not set (the evidence layer reports that source 'unconfigured'). */
export interface Sources {
  prometheus: PrometheusClient | undefined;
  loki: LokiClient | undefined;
  tempo: TempoClient | undefined;
}

/** Options every client gets, e.g. a shorter timeout. */
export interface SourceTuning {
  timeoutMs?: number;
  retries?: number;
}

export function sourcesFromSettings(settings: Settings, secrets: SourceSecrets, tuning: SourceTuning = {}): Sources {
  const { prometheus, loki, tempo } = settings;
  return {
    prometheus:
      prometheus?.url === undefined
        ? undefined
        : new PrometheusClient({ ...tuning, baseUrl: prometheus.url, auth: secrets.prometheusAuth }),
    loki:
      loki?.url === undefined
        ? undefined
        : new LokiClient({ ...tuning, baseUrl: loki.url, auth: secrets.lokiAuth, tenant: loki.tenant }),
    tempo:
      tempo?.url === undefined
        ? undefined
        : new TempoClient({ ...tuning, baseUrl: tempo.url, auth: secrets.tempoAuth }),
  };
}
