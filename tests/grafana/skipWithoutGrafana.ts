import { test } from '@grafana/plugin-e2e';

export const GRAFANA_SKIP_REASON =
  'GRAFANA_URL is not set: in-Grafana tests need a running Grafana with this plugin (e.g. `docker compose up`)';

/** Call at the top of each tests/grafana file: without GRAFANA_URL its tests are listed as skipped, with the reason. */
export function skipWithoutGrafana(): void {
  test.skip(!process.env.GRAFANA_URL, GRAFANA_SKIP_REASON);
}

/** The engine as Grafana's server reaches it (the compose service name by default) and its API token. */
export const ENGINE_URL_FROM_GRAFANA = process.env.INTELOPS_ENGINE_URL ?? 'http://engine:8686';
export const ENGINE_TOKEN = process.env.INTELOPS_TOKEN;
