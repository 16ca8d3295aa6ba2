import { startLocalPrometheus } from '../local/prometheus.ts';
import type { RecordedSeries } from '../local/prometheus.ts';
import { tempDir } from './temp.ts';

// The launcher lives in local/prometheus.ts, where the demo uses it too; tests keep these names.
export { PROMETHEUS_BINARY, PROMETHEUS_MISSING, PROMTOOL_BINARY, toOpenMetrics } from '../local/prometheus.ts';
export type { RecordedSeries } from '../local/prometheus.ts';

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

/** A real Prometheus holding `series` in a fresh test folder, which stop() deletes. */
export async function startPrometheus(series: RecordedSeries[]): Promise<PrometheusServer> {
  const dir = await tempDir('prometheus');
  const server = await startLocalPrometheus(series, dir.path).catch(async (error: unknown) => {
    await dir.remove();
    throw error;
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await dir.remove();
    },
  };
}
