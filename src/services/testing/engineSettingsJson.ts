/**
 * GET /api/v1/settings as the engine answers it: Prometheus and Tempo set, no Loki URL yet, a local LLM without an
 * API key, no Grafana annotations yet, and keys of every other kind the Settings page must send back unchanged when
 * it PUTs the whole document.
 */
export function engineSettingsJson() {
  return {
    prometheus: { url: 'http://prometheus:9090' },
    tempo: { url: 'http://tempo:3200' },
    alertmanager: { url: 'http://alertmanager:9093' },
    llm: { baseUrl: 'http://ollama:11434/v1', model: 'llama3.1', apiKeySet: false },
    grouping: { windowMinutes: 15, maxHops: 3 },
    goldenSignals: [
      {
        signal: 'errors',
        name: 'error ratio',
        unit: 'ratio',
        candidates: [
          {
            template: 'sum(rate(http_requests_total{service="$service",code=~"5.."}[$window]))',
            serviceLabel: 'service',
          },
        ],
      },
    ],
    alertMappings: { zabbix: { alerts: 'events', title: 'name', startsAt: 'clock' } },
  };
}
