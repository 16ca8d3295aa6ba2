/**
 * What one intake request may hold. Above these a request is answered 400 and nothing of it is stored:
 * an alert storm is many alerts, never one alert with thousands of labels.
 */
export const LIMITS = {
  /** Alerts in one request (Alertmanager's max_alerts is unlimited by default; split larger batches). */
  alertsPerRequest: 10_000,
  /** Labels, and separately annotations, on one alert. */
  entriesPerMap: 64,
  keyLength: 128,
  labelValueLength: 4096,
  /** Annotations carry prose (descriptions, runbook text), so they may be longer than labels. */
  annotationValueLength: 16_384,
  titleLength: 1024,
  fingerprintLength: 256,
  urlLength: 8192,
  /** Body size accepted on the intake routes (a full 10,000-alert Alertmanager batch fits). */
  bodyBytes: 32 * 1024 * 1024,
} as const;

export const LIMITS_DESCRIPTION =
  `Limits: at most ${LIMITS.alertsPerRequest} alerts per request; per alert at most ${LIMITS.entriesPerMap} labels and ` +
  `${LIMITS.entriesPerMap} annotations, keys of 1–${LIMITS.keyLength} characters, label values up to ${LIMITS.labelValueLength} ` +
  `and annotation values up to ${LIMITS.annotationValueLength} characters; bodies up to ${LIMITS.bodyBytes / 1024 / 1024} MiB, UTF-8. ` +
  'A request breaking a limit is answered 400 and nothing of it is stored.';
