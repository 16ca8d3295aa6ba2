/**
 * Bodies of GET /api/v1/incidents/{id}/rca, POST …/analyze, POST …/feedback and GET /api/v1/changes exactly as
 * the engine sends them (RcaResult in engine/src/reasoning/rootCause.ts: the same fields and types, no others),
 * for jest and the browser harness. They cite the evidence ids of perceptionFixtures.ts; times are relative to
 * `now`, around the checkout incident of incidentFixtures.ts (42 minutes ago).
 */

const MINUTE = 60_000;

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

/** The deploy the checkout incident started 2 minutes after, as the pipeline posted it (with its own id). */
export const CHECKOUT_DEPLOY_ID = 'deploy-checkout-4f2c';

/** The LLM's answer for the checkout incident: three causes citing evidence and the deploy; one invented cause dropped. */
export function checkoutRcaJson(now: number) {
  return {
    incidentId: 'inc-7f3a9c',
    causes: [
      {
        service: 'checkout',
        indicator: 'latency',
        confidence: 0.87,
        evidence: ['ev_met_3f2a9b1c0d4e', 'ev_trl_6f5e4d3c2b1a', CHECKOUT_DEPLOY_ID],
        explanation:
          'Deploy checkout v2.4.1 went out 2 minutes before p99 latency rose from 0.45 s to 2.3 s; every other anomaly starts after it.',
        actions: [
          'Roll back checkout to v2.4.0',
          'Follow the runbook "Checkout latency": check the connection pool size',
        ],
      },
      {
        service: 'payments',
        indicator: 'errors',
        confidence: 0.46,
        evidence: ['ev_met_8e7d6c5b4a39', 'ev_log_c4d5e6f7a8b9', 'ev_trc_1a2b3c4d5e6f'],
        explanation:
          'Payment gateway timeouts appear a minute after checkout slows; they may be retries from checkout.',
        actions: [
          "Check the payment gateway's status page",
          'Raise the gateway timeout only if the gateway is healthy',
        ],
      },
      {
        service: 'cart',
        indicator: 'errors',
        confidence: 0.12,
        evidence: ['ev_trl_6f5e4d3c2b1a'],
        explanation: 'Cart errors follow checkout latency through the cart → checkout call: a symptom.',
        actions: ['None on cart: it recovers with checkout'],
      },
    ],
    method: 'llm',
    hallucinationsDropped: 1,
    analyzedAt: at(now, 1),
    durationMs: 4210,
    model: 'gpt-4o-mini',
    usage: { promptTokens: 3120, completionTokens: 412 },
    documents: [
      { id: 'runbook:checkout-latency', title: 'Checkout latency', score: 0.82 },
      { id: 'incident:inc-51d2e0', title: 'Checkout slow after pool resize (resolved)', score: 0.64 },
    ],
    graph: {
      nodes: [
        { service: 'frontend', score: 0.05, inIncident: false },
        { service: 'cart', score: 0.12, rank: 3, inIncident: true },
        { service: 'checkout', score: 0.87, rank: 1, inIncident: true },
        { service: 'payments', score: 0.46, rank: 2, inIncident: true },
        { service: 'inventory', score: 0.03, inIncident: false },
        { service: 'payments-db', score: 0.02, inIncident: false },
      ],
      edges: [
        { client: 'frontend', server: 'cart' },
        { client: 'frontend', server: 'checkout' },
        { client: 'cart', server: 'checkout' },
        { client: 'checkout', server: 'payments' },
        { client: 'checkout', server: 'inventory' },
        { client: 'payments', server: 'payments-db' },
      ],
    },
  };
}

/** The deterministic answer when no LLM endpoint is configured: two causes for the orders-db replication lag. */
export function ordersRcaJson(now: number, incidentId = 'inc-2b81d0') {
  return {
    incidentId,
    causes: [
      {
        service: 'orders-db',
        indicator: 'saturation',
        confidence: 0.74,
        evidence: ['ev_met_2c3d4e5f6a7b'],
        explanation: 'orders-db replication lag left its baseline first; orders calls orders-db.',
        actions: ['Follow the runbook "Postgres replication lag"'],
      },
      {
        service: 'orders',
        indicator: 'latency',
        confidence: 0.31,
        evidence: [],
        explanation: 'orders slows after orders-db; it depends on it.',
        actions: [],
      },
    ],
    method: 'graph',
    hallucinationsDropped: 0,
    fallbackReason: 'no LLM endpoint is configured',
    analyzedAt: at(now, 0),
    durationMs: 38,
    documents: [{ id: 'runbook:postgres-replication-lag', title: 'Postgres replication lag', score: 0.71 }],
    graph: {
      nodes: [
        { service: 'orders', score: 0.31, rank: 2, inIncident: true },
        { service: 'orders-db', score: 0.74, rank: 1, inIncident: true },
      ],
      edges: [{ client: 'orders', server: 'orders-db' }],
    },
  };
}

/** POST …/feedback: every verdict on the incident so far, the new one last. */
export function feedbackJson(now: number, service: string, verdict: 'confirm' | 'reject', by?: string) {
  return {
    feedback: [{ service, verdict, by: by ?? null, at: new Date(now).toISOString(), comment: null, remediation: null }],
  };
}

/** GET /api/v1/changes around the checkout incident: the deploy before it, and a flag on payments an hour earlier. */
export function changesJson(now: number) {
  return {
    changes: [
      {
        id: CHECKOUT_DEPLOY_ID,
        kind: 'deploy',
        service: 'checkout',
        title: 'checkout v2.4.1',
        description: 'Connection pool refactor',
        startsAt: at(now, 44),
        endsAt: at(now, 43),
        author: 'ci-bot',
        version: 'v2.4.1',
        url: 'https://ci.example.com/checkout/pipelines/4f2c',
        labels: { env: 'prod' },
      },
      {
        id: 'chg_8a3f0c1d2e4b5a69',
        kind: 'feature_flag',
        service: 'payments',
        title: 'enable new-gateway-client for 10%',
        description: null,
        startsAt: at(now, 70),
        endsAt: null,
        author: 'dana',
        version: null,
        url: null,
        labels: {},
      },
    ],
  };
}
