/**
 * GET /api/v1/incidents bodies exactly as the engine sends them (JSON, times as RFC 3339; checked against the
 * engine's answer to a real Alertmanager webhook on 2026-11-23), for jest and the browser harness.
 * Times are relative to `now` so ongoing incidents have believable durations in screenshots.
 */

const MINUTE = 60_000;

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

function reason(rule: string, score: number, peer: string, detail: string) {
  return { rule, score, peer, detail };
}

interface AlertSpec {
  fingerprint: string;
  minutesAgo: number;
  alertname: string;
  service: string;
  severity: string;
  title: string;
  status?: string;
  joinReason: ReturnType<typeof reason> | null;
  labels?: Record<string, string>;
}

function alertJson(now: number, spec: AlertSpec) {
  return {
    fingerprint: spec.fingerprint,
    startsAt: at(now, spec.minutesAgo),
    endsAt: null,
    status: spec.status ?? 'firing',
    title: spec.title,
    severity: spec.severity,
    service: spec.service,
    source: 'alertmanager',
    labels: { alertname: spec.alertname, service: spec.service, severity: spec.severity, ...spec.labels },
    annotations: { summary: spec.title },
    generatorURL: `http://prometheus:9090/graph?g0.expr=ALERTS%7Balertname%3D%22${spec.alertname}%22%7D`,
    deliveries: 1,
    joinReason: spec.joinReason,
  };
}

type AlertJson = ReturnType<typeof alertJson>;

/** The engine lists why every alert is in the incident, the first one included. */
function groupingReasons(alerts: AlertJson[]) {
  return alerts.map((alert) => ({
    alert: `${alert.fingerprint}@${alert.startsAt}`,
    ...(alert.joinReason ?? { rule: 'first', score: 1, peer: null, detail: 'the first alert of the incident' }),
  }));
}

/** A checkout latency storm: six alerts on three connected services, joined by four different rules. */
export function checkoutIncidentJson(now: number) {
  const first = `7a1c@${at(now, 42)}`;
  const alerts = [
    alertJson(now, {
      fingerprint: '7a1c',
      minutesAgo: 42,
      alertname: 'HighLatency',
      service: 'checkout',
      severity: 'critical',
      title: 'HighLatency checkout p99 above 2 s',
      joinReason: null,
    }),
    alertJson(now, {
      fingerprint: '9b2e',
      minutesAgo: 41,
      alertname: 'HighErrorRate',
      service: 'checkout',
      severity: 'high',
      title: 'HighErrorRate checkout 5xx above 5%',
      joinReason: reason('same-service', 1, first, 'Same service checkout as HighLatency, 1 min apart'),
    }),
    alertJson(now, {
      fingerprint: 'c43d',
      minutesAgo: 40,
      alertname: 'PaymentsLatency',
      service: 'payments',
      severity: 'high',
      title: 'PaymentsLatency payments p99 above 1 s',
      joinReason: reason('topology', 0.86, first, 'checkout calls payments (1 hop), 2 min apart'),
    }),
    alertJson(now, {
      fingerprint: 'd5e0',
      minutesAgo: 39,
      alertname: 'CartErrors',
      service: 'cart',
      severity: 'warning',
      title: 'CartErrors cart checkout calls failing',
      joinReason: reason('topology', 0.81, first, 'cart calls checkout (1 hop), 3 min apart'),
    }),
    alertJson(now, {
      fingerprint: 'e6f1',
      minutesAgo: 37,
      alertname: 'HighLatency',
      service: 'checkout',
      severity: 'critical',
      title: 'HighLatency checkout p99 above 2 s',
      labels: { pod: 'checkout-2' },
      joinReason: reason('same-alert', 1, first, 'Same alert HighLatency on checkout (pod checkout-2)'),
    }),
    alertJson(now, {
      fingerprint: 'f702',
      minutesAgo: 35,
      alertname: 'PaymentsTimeouts',
      service: 'payments',
      severity: 'warning',
      title: 'PaymentsTimeouts payments gateway timeouts',
      joinReason: reason('text', 0.74, `c43d@${at(now, 40)}`, 'Title 74% similar to PaymentsLatency'),
    }),
  ];
  return {
    id: 'inc-7f3a9c',
    title: 'HighLatency checkout p99 above 2 s',
    severity: 'critical',
    status: 'open',
    services: ['checkout', 'payments', 'cart'],
    alerts,
    startsAt: at(now, 42),
    endsAt: null,
    tags: { env: 'prod', team: 'shop' },
    groupingReasons: groupingReasons(alerts),
    alertCount: alerts.length,
    flaps: 0,
    updatedAt: at(now, 35),
    // The first cause of checkoutRcaJson (reasoningFixtures.ts): the LLM's analysis.
    topCause: { service: 'checkout', indicator: 'latency', confidence: 0.87, method: 'llm' },
  };
}

function simpleIncident(
  now: number,
  spec: {
    id: string;
    title: string;
    severity: string;
    status: string;
    services: string[];
    startedMinutesAgo: number;
    endedMinutesAgo?: number;
    alertCount: number;
    rule: string;
  }
) {
  const alerts = Array.from({ length: spec.alertCount }, (_, index) =>
    alertJson(now, {
      fingerprint: `${spec.id}-${index}`,
      minutesAgo: spec.startedMinutesAgo - index,
      alertname: spec.title.split(' ')[0],
      service: spec.services[index % spec.services.length],
      severity: spec.severity,
      title: spec.title,
      status: spec.status === 'open' ? 'firing' : 'resolved',
      joinReason:
        index === 0
          ? null
          : reason(spec.rule, 0.9, `${spec.id}-0@${at(now, spec.startedMinutesAgo)}`, `Joined by ${spec.rule}`),
    })
  );
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    status: spec.status,
    services: spec.services,
    alerts,
    startsAt: at(now, spec.startedMinutesAgo),
    endsAt: spec.endedMinutesAgo === undefined ? null : at(now, spec.endedMinutesAgo),
    tags: {},
    groupingReasons: groupingReasons(alerts),
    alertCount: spec.alertCount,
    flaps: 0,
    updatedAt: at(now, spec.endedMinutesAgo ?? spec.startedMinutesAgo),
    // Not analysed yet: GET …/rca answers 404 for these.
    topCause: null,
  };
}

/** Five incidents, newest first, as GET /api/v1/incidents answers for the last 6 hours. */
export function incidentListJson(now: number) {
  return {
    truncated: false,
    incidents: [
      checkoutIncidentJson(now),
      simpleIncident(now, {
        id: 'inc-2b81d0',
        title: 'PostgresReplicationLag orders-db replica 45 s behind',
        severity: 'high',
        status: 'open',
        services: ['orders-db', 'orders'],
        startedMinutesAgo: 130,
        alertCount: 3,
        rule: 'labels',
      }),
      simpleIncident(now, {
        id: 'inc-5c02ee',
        title: 'CertificateExpiresSoon api-gateway in 9 days',
        severity: 'info',
        status: 'resolving',
        services: ['api-gateway'],
        startedMinutesAgo: 180,
        endedMinutesAgo: 2,
        alertCount: 1,
        rule: 'same-alert',
      }),
      simpleIncident(now, {
        id: 'inc-91aa47',
        title: 'DiskSpaceLow logging-node-3 below 10%',
        severity: 'warning',
        status: 'resolved',
        services: ['logging'],
        startedMinutesAgo: 300,
        endedMinutesAgo: 262,
        alertCount: 2,
        rule: 'same-alert',
      }),
      simpleIncident(now, {
        id: 'inc-d40f13',
        title: 'KafkaConsumerLag search-indexer',
        severity: 'high',
        status: 'resolved',
        services: ['search-indexer', 'kafka', 'search', 'catalog'],
        startedMinutesAgo: 330,
        endedMinutesAgo: 305,
        alertCount: 4,
        rule: 'topology',
      }),
    ],
  };
}
