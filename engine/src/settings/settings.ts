import { Type } from 'typebox';
import type { Static } from 'typebox';
import { EvalsSettingsSchema } from './evalsSettings.ts';

/** An absolute http(s) URL: `uri` checks the syntax, the pattern the scheme. */
export const HttpUrl = Type.String({
  format: 'uri',
  pattern: '^https?://',
  maxLength: 2048,
  description: 'An absolute http:// or https:// URL',
  examples: ['http://prometheus:9090'],
});

const Upstream = (what: string) =>
  Type.Object({ url: Type.Optional(HttpUrl) }, { additionalProperties: false, description: `${what} the engine queries` });

const minutes = (what: string, min: number, max: number, fallback: number) =>
  Type.Optional(Type.Number({ minimum: min, maximum: max, description: `${what} (minutes; default ${fallback})` }));

/** Thresholds of alert grouping; left out, the defaults apply. A change applies to alerts received afterwards. */
export const GroupingSettingsSchema = Type.Object(
  {
    windowMinutes: minutes('Alerts whose start times are further apart than this are never grouped by relation', 0.1, 1440, 10),
    flapWindowMinutes: minutes('A re-firing of the same alert within this of its previous start joins the same incident (flapping)', 0, 10080, 30),
    maxHops: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, description: 'Dependency-graph distance within which alerts on related services group (default 2)' })),
    labelSimilarity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Minimum Jaccard similarity of informative labels to group by labels (default 0.6)' })),
    textSimilarity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Minimum Jaccard similarity of title words to group by text (default 0.6)' })),
    quietPeriodMinutes: minutes('An incident whose alerts have all resolved is resolved once no new alert came for this long', 0, 1440, 5),
  },
  { additionalProperties: false, description: 'Alert grouping thresholds' }
);
export type GroupingSettings = Static<typeof GroupingSettingsSchema>;

const FieldPath = (description: string) =>
  Type.String({ minLength: 1, maxLength: 256, pattern: '^[^.]+(\\.[^.]+)*$', description: `${description}: a dotted path such as "details.startTime" (numbers index arrays)` });

/** Where a tool that is not Alertmanager or Grafana puts each alert field, for POST /api/v1/alerts?mapping=<name>. */
export const AlertMappingSchema = Type.Object(
  {
    alerts: Type.Optional(
      Type.String({ maxLength: 256, description: 'Dotted path to the array of alerts in the body; left out or "": the body is one alert, or an array of alerts' })
    ),
    title: FieldPath('Path to the title within each alert'),
    startsAt: FieldPath('Path to the start time (RFC 3339, or epoch seconds/milliseconds)'),
    status: Type.Optional(FieldPath('Path to the status (firing/resolved; alerting, triggered, open, active, problem; ok, resolved, closed, recovered, inactive, normal)')),
    severity: Type.Optional(FieldPath('Path to the severity')),
    service: Type.Optional(FieldPath('Path to the service name')),
    labels: Type.Optional(FieldPath('Path to an object of labels')),
    annotations: Type.Optional(FieldPath('Path to an object of annotations')),
    endsAt: Type.Optional(FieldPath('Path to the end time')),
    fingerprint: Type.Optional(FieldPath('Path to a stable identifier of the alert rule instance')),
    generatorURL: Type.Optional(FieldPath('Path to a link back to the sender')),
  },
  { additionalProperties: false, title: 'AlertMapping' }
);
export type AlertMapping = Static<typeof AlertMappingSchema>;

const GoldenSignalQuerySchema = Type.Object(
  {
    signal: Type.Union(['latency', 'errors', 'traffic', 'saturation'].map((name) => Type.Literal(name))),
    name: Type.String({ minLength: 1, maxLength: 64, description: 'What the series measures, for summaries ("p95 latency")' }),
    unit: Type.Union(['seconds', 'ratio', 'requests_per_second', 'cores', 'bytes'].map((name) => Type.Literal(name))),
    candidates: Type.Array(
      Type.Object(
        {
          template: Type.String({
            minLength: 1,
            maxLength: 2048,
            pattern: '\\$service',
            description: 'PromQL with $service (inside quotes), and optionally $label and $window (the rate window)',
          }),
          serviceLabel: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 128, description: 'The label that names the service' }),
        },
        { additionalProperties: false }
      ),
      { minItems: 1, maxItems: 20, description: 'Tried in order per service; the first that returns data is used' }
    ),
    fillMissing: Type.Optional(Type.Number({ description: 'Value for instants without a sample (0 for counters of rare events)' })),
  },
  { additionalProperties: false, title: 'GoldenSignalQuery' }
);

/**
 * The engine's non-secret settings, stored in the database. Secrets (the LLM API key) come from the
 * environment and show up here only as read-only `…Set` flags.
 */
export const SettingsSchema = Type.Object(
  {
    prometheus: Type.Optional(Upstream('Prometheus (or Mimir)')),
    loki: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(HttpUrl),
          tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'X-Scope-OrgID for multi-tenant Loki' })),
        },
        { additionalProperties: false, description: 'Loki the engine queries' }
      )
    ),
    tempo: Type.Optional(Upstream('Tempo')),
    alertmanager: Type.Optional(Upstream('Alertmanager')),
    grafana: Type.Optional(
      Type.Object(
        {
          url: Type.Optional({ ...HttpUrl, description: 'Grafana the engine reads change annotations from (with INTELOPS_GRAFANA_TOKEN)', examples: ['http://grafana:3000'] }),
          changeTag: Type.Optional(
            Type.String({ minLength: 1, maxLength: 128, description: 'Annotations with this tag are changes (with service:<name> and kind:<kind> tags); default "deploy"' })
          ),
        },
        { additionalProperties: false, description: 'Grafana annotations as a source of changes' }
      )
    ),
    llm: Type.Optional(
      Type.Object(
        {
          baseUrl: Type.Optional({ ...HttpUrl, description: 'OpenAI-compatible API base URL', examples: ['https://api.openai.com/v1'] }),
          model: Type.Optional(Type.String({ minLength: 1, maxLength: 256, examples: ['gpt-4o-mini'] })),
          apiKeySet: Type.Optional(
            Type.Boolean({ readOnly: true, description: 'Whether INTELOPS_LLM_API_KEY is set in the engine environment. Read-only: ignored on PUT.' })
          ),
        },
        { additionalProperties: false, description: 'The LLM endpoint; the API key is not a setting' }
      )
    ),
    grouping: Type.Optional(GroupingSettingsSchema),
    goldenSignals: Type.Optional(
      Type.Array(GoldenSignalQuerySchema, {
        maxItems: 20,
        description: 'The PromQL of each golden signal for metric evidence; replaces the built-in OpenTelemetry and exporter defaults',
      })
    ),
    alertMappings: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), AlertMappingSchema, {
        additionalProperties: false,
        maxProperties: 100,
        description: 'Named field mappings for POST /api/v1/alerts?mapping=<name> (names: letters, digits, _ . -)',
      })
    ),
    evals: Type.Optional(EvalsSettingsSchema),
  },
  { additionalProperties: false, title: 'Settings' }
);

export type Settings = Static<typeof SettingsSchema>;

export interface SecretFlags {
  llmApiKeySet: boolean;
}

/** What is stored: the document without the read-only flags a client may have echoed back. */
export function storableSettings(settings: Settings): Settings {
  if (settings.llm === undefined) {
    return settings;
  }
  const llm = { ...settings.llm };
  delete llm.apiKeySet;
  return { ...settings, llm };
}

/** What clients see: the stored document plus flags telling which secrets are configured. */
export function settingsView(stored: Settings, secrets: SecretFlags): Settings {
  return { ...stored, llm: { ...stored.llm, apiKeySet: secrets.llmApiKeySet } };
}
