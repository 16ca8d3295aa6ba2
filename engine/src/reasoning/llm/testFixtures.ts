import type { Change } from '../../context/changes.ts';
import { evidenceId } from '../../perception/evidence.ts';
import type { Evidence, LogTemplateEvidence, MetricAnomalyEvidence, TraceEvidence } from '../../perception/evidence.ts';
import type { RootCause } from '../rootCause.ts';
import type { LlmRcaInput } from './types.ts';

/** A small checkout incident for the LLM tests: a deploy, latency and a new error template at checkout. */

const FROM = '2025-03-01T10:00:00.000Z';
const TO = '2025-03-01T10:30:00.000Z';

export function metricEvidence(
  service: string,
  score: number,
  signal: MetricAnomalyEvidence['details']['signal'] = 'latency'
): MetricAnomalyEvidence {
  return {
    id: evidenceId('metric_anomaly', service, signal),
    kind: 'metric_anomaly',
    service,
    score,
    summary: `${service} ${signal} rose from 120 ms to 950 ms`,
    from: FROM,
    to: TO,
    link: {
      datasource: 'prometheus',
      query: `histogram_quantile(0.95, sum by (le) (rate(http_server_duration_bucket{service="${service}"}[5m])))`,
    },
    details: {
      signal,
      labels: { service },
      direction: 'up',
      onset: '2025-03-01T10:04:00.000Z',
      value: 950,
      baselineMedian: 120,
    },
  };
}

export function logEvidence(service: string, score: number, template: string, sample: string): LogTemplateEvidence {
  return {
    id: evidenceId('log_template', service, template),
    kind: 'log_template',
    service,
    score,
    summary: `New log template at ${service}: ${template}`,
    from: FROM,
    to: TO,
    link: { datasource: 'loki', query: `{service_name="${service}"}` },
    details: {
      templateId: 'tpl_1',
      template,
      change: 'new',
      count: 412,
      baselineCount: 0,
      firstSeen: FROM,
      lastSeen: TO,
      sample,
    },
  };
}

export function traceEvidence(service: string, score: number): TraceEvidence {
  return {
    id: evidenceId('trace_errors', service, 'errors'),
    kind: 'trace_errors',
    service,
    score,
    summary: `Error spans from frontend to ${service} rose to 38%`,
    from: FROM,
    to: TO,
    link: { datasource: 'tempo', query: `{ resource.service.name = "${service}" && status = error }` },
    details: {
      edges: [{ client: 'frontend', server: service }],
      traceIds: ['abc123'],
      errorSpans: 120,
      baselineErrorSpans: 2,
    },
  };
}

export const DEPLOY: Change = {
  id: 'chg_checkout_241',
  kind: 'deploy',
  service: 'checkout',
  title: 'checkout v2.4.1',
  description: 'New payment retry policy',
  startsAt: new Date('2025-03-01T09:58:00.000Z'),
  endsAt: new Date('2025-03-01T10:02:00.000Z'),
  author: 'ci',
  version: '2.4.1',
  url: undefined,
  labels: {},
};

export function incidentInput(overrides: Partial<LlmRcaInput> = {}): LlmRcaInput {
  const latency = metricEvidence('checkout', 0.91);
  const errors = logEvidence(
    'checkout',
    0.72,
    'payment call failed: connection refused to <*>',
    'payment call failed: connection refused to 10.0.3.7:50051'
  );
  const payment = traceEvidence('payment', 0.4);
  const evidence: Evidence[] = [latency, errors, payment];
  const candidates: RootCause[] = [
    {
      service: 'checkout',
      indicator: 'change',
      confidence: 0.64,
      evidence: [DEPLOY.id, latency.id],
      explanation: 'Latency rose 2 minutes after the deploy.',
      actions: ['Roll back checkout v2.4.1'],
    },
    {
      service: 'payment',
      indicator: 'errors',
      confidence: 0.21,
      evidence: [payment.id],
      explanation: 'Error spans to payment.',
      actions: [],
    },
  ];
  return {
    payload: {
      incidentId: 'inc_42',
      title: 'Checkout latency high',
      severity: 'critical',
      service: 'checkout',
      services: ['checkout', 'frontend'],
      owner: 'alice',
      team: 'payments',
      tier: 'production',
      startsAt: '2025-03-01T10:04:00.000Z',
      changeWindow: {
        changeId: DEPLOY.id,
        service: 'checkout',
        kind: 'deploy',
        title: DEPLOY.title,
        startsAt: '2025-03-01T09:58:00.000Z',
        endsAt: '2025-03-01T10:02:00.000Z',
      },
      bizTags: ['capability:payments', 'customer-facing'],
      tags: { category: 'latency' },
      evidence: evidence.map((item) => item.id),
    },
    evidence,
    changes: [DEPLOY],
    candidates,
    services: {
      frontend: {
        owner: 'web',
        team: 'web',
        tier: 'production',
        capability: 'storefront',
        customerFacing: true,
        dependsOn: ['checkout'],
      },
      checkout: {
        owner: 'alice',
        team: 'payments',
        tier: 'production',
        capability: 'payments',
        customerFacing: true,
        dependsOn: ['payment', 'cart'],
      },
      payment: { owner: 'bob', team: 'payments', tier: 'production', capability: 'payments', dependsOn: [] },
      cart: { owner: 'carol', team: 'cart', tier: 'production', dependsOn: ['redis'] },
    },
    documents: [
      {
        id: 'runbook:checkout-latency.md',
        title: 'Checkout latency',
        text: '## Remediation\n1. Roll back the last deploy.\n2. Check the payment pool.',
      },
    ],
    ...overrides,
  };
}

/** A valid answer naming the given evidence ids. */
export function answerJson(causes: Array<Partial<RootCause> & { service: string; evidence: string[] }>): string {
  return JSON.stringify({
    causes: causes.map((cause) => ({
      indicator: 'change',
      confidence: 0.8,
      explanation: 'The deploy preceded the latency rise.',
      actions: ['Roll back checkout to v2.4.0'],
      ...cause,
    })),
  });
}
