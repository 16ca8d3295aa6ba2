/**
 * Bodies of GET /api/v1/workflows, GET /api/v1/workflows/{name}, GET /api/v1/workflow-runs, GET
 * /api/v1/workflow-runs/{id} and GET /api/v1/approvals exactly as the engine sends them (the schemas of
 * engine/src/server/routes/workflows.ts and workflowRuns.ts), for jest and the browser harness. Times are relative
 * to `now`. Four workflows load (one from the workflow folder, three saved through the API), one file does not; five
 * runs, two of them waiting for a person's approval. Also: runs started by hand (one waiting on a `wait` step),
 * cancelled runs, and drafts of POST /api/v1/workflows/draft.
 */

const MINUTE = 60_000;

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

export const WORKFLOW_FOLDER = '/etc/intelops/workflows';

const CHECKOUT_RESPONSE_TEXT = `# Checkout incidents: tell #ops, inspect, and mark the dashboards
name: checkout-response
description: "Tell #ops about checkout incidents, inspect latency and annotate the dashboards"
triggers:
  - on: incident.created
  - on: manual
if: incident.services.exists(s, s == "checkout")
steps:
  - id: notify
    action: slack
    with:
      webhookSecret: SLACK_OPS_WEBHOOK
      text: "{{ incident.title }} ({{ incident.severity }}): {{ incident.services | join: ', ' }}"
  - id: check
    action: inspection
    timeout: 2m
    with:
      checks:
        - name: checkout p95 latency
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))
          threshold: { op: "<", value: 0.5 }
  - id: annotate
    action: grafana_annotation
    approval: required
    with:
      tokenSecret: GRAFANA_ANNOTATIONS_TOKEN
      text: "{{ incident.title }}: inspection {{ steps.check.output.passed }}"
      tags: [intelops, checkout]
`;

const RESTART_PAYMENTS_TEXT = `name: restart-payments
description: Restart the payments pods through Rundeck when the analysis blames payments
triggers:
  - on: rca.ready
  - on: manual
    inputs:
      type: object
      properties:
        reason: { type: string }
if: rca.causes[0].service == "payments" || has(inputs.reason)
steps:
  - id: inspect
    action: inspection
    with:
      checks:
        - name: payments error rate
          source: prometheus
          query: sum(rate(http_requests_total{service="payments",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="payments"}[5m]))
          threshold: { op: "<", value: 0.05 }
  - id: restart
    action: remediation
    approval: required
    retries: 2
    with:
      url: https://rundeck.internal/api/41/job/restart-payments/run
      headers:
        X-Rundeck-Auth-Token: { secret: RUNDECK_TOKEN }
      body: { argString: "-namespace shop -deployment payments" }
      expectStatus: 200
`;

const MORNING_INSPECTION_TEXT = `name: morning-inspection
description: "Every weekday at 07:00, check the checkout path and post a summary to #ops"
triggers:
  - on: schedule
    cron: "0 7 * * 1-5"
    timezone: Europe/Berlin
steps:
  - id: latency
    action: inspection
    with:
      range: 1h
      checks:
        - name: checkout p95 latency
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))
          threshold: { op: "<", value: 0.5 }
  - id: report
    action: slack
    with:
      webhookSecret: SLACK_OPS_WEBHOOK
      text: "Morning inspection: {{ steps.latency.output.passed }}"
`;

const SCALE_SERVICE_TEXT = `name: scale-service
description: "Scale a service through Rundeck, let it settle, check its latency and tell #ops"
triggers:
  - on: manual
    inputs:
      type: object
      required: [service, replicas]
      properties:
        service:
          type: string
          enum: [checkout, payments, orders]
          description: The service whose deployment is scaled
        replicas:
          type: integer
          minimum: 1
          maximum: 20
          default: 4
          description: How many pods it should run
        namespace:
          type: string
          default: shop
          pattern: "^[a-z0-9-]+$"
        ticket:
          type: string
          pattern: "^[A-Z]+-[0-9]+$"
          description: The change ticket, for the audit trail
        notify:
          type: boolean
          default: true
          description: "Post the result to #ops"
        labels:
          type: object
          description: Extra labels for the Rundeck job
steps:
  - id: scale
    action: remediation
    with:
      url: https://rundeck.internal/api/41/job/scale-deployment/run
      headers:
        X-Rundeck-Auth-Token: { secret: RUNDECK_TOKEN }
      body: { argString: "-namespace {{ inputs.namespace }} -deployment {{ inputs.service }} -replicas {{ inputs.replicas }}" }
      expectStatus: 200
  - id: settle
    action: wait
    with:
      for: 15m
  - id: check
    action: inspection
    with:
      checks:
        - name: p95 latency after scaling
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="{{ inputs.service }}"}[5m])))
          threshold: { op: "<", value: 0.5 }
  - id: notify
    action: slack
    if: inputs.notify == true
    with:
      webhookSecret: SLACK_OPS_WEBHOOK
      text: "{{ inputs.service }} scaled to {{ inputs.replicas }} pods; latency check passed: {{ steps.check.output.passed }}"
`;

const RUNDECK_URL = 'https://rundeck.internal/api/41/job/restart-payments/run';
const RESTART_WHAT = `Run remediation: POST ${RUNDECK_URL} with a JSON body with secret RUNDECK_TOKEN in headers, expecting HTTP 200`;
const ANNOTATE_WHAT =
  'Add a Grafana annotation tagged intelops, checkout: Checkout p99 latency above 2 s: inspection false';

const CHECKOUT_STEPS = [
  {
    id: 'notify',
    action: 'slack',
    with: {
      webhookSecret: 'SLACK_OPS_WEBHOOK',
      text: "{{ incident.title }} ({{ incident.severity }}): {{ incident.services | join: ', ' }}",
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'check',
    action: 'inspection',
    with: {
      checks: [
        {
          name: 'checkout p95 latency',
          source: 'prometheus',
          query:
            'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))',
          threshold: { op: '<', value: 0.5 },
        },
      ],
    },
    timeoutMs: 120_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'annotate',
    action: 'grafana_annotation',
    with: {
      tokenSecret: 'GRAFANA_ANNOTATIONS_TOKEN',
      text: '{{ incident.title }}: inspection {{ steps.check.output.passed }}',
      tags: ['intelops', 'checkout'],
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'required' as const,
  },
];

const RESTART_STEPS = [
  {
    id: 'inspect',
    action: 'inspection',
    with: {
      checks: [
        {
          name: 'payments error rate',
          source: 'prometheus',
          query:
            'sum(rate(http_requests_total{service="payments",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="payments"}[5m]))',
          threshold: { op: '<', value: 0.05 },
        },
      ],
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'restart',
    action: 'remediation',
    with: {
      url: RUNDECK_URL,
      headers: { 'X-Rundeck-Auth-Token': { secret: 'RUNDECK_TOKEN' } },
      body: { argString: '-namespace shop -deployment payments' },
      expectStatus: 200,
    },
    timeoutMs: 30_000,
    retries: 2,
    approval: 'required' as const,
  },
];

const MORNING_STEPS = [
  {
    id: 'latency',
    action: 'inspection',
    with: {
      range: '1h',
      checks: [
        {
          name: 'checkout p95 latency',
          source: 'prometheus',
          query:
            'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))',
          threshold: { op: '<', value: 0.5 },
        },
      ],
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'report',
    action: 'slack',
    with: { webhookSecret: 'SLACK_OPS_WEBHOOK', text: 'Morning inspection: {{ steps.latency.output.passed }}' },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
];

/** The inputs of scale-service's manual trigger, as the engine lists them. */
export const SCALE_SERVICE_INPUTS = {
  type: 'object',
  required: ['service', 'replicas'],
  properties: {
    service: {
      type: 'string',
      enum: ['checkout', 'payments', 'orders'],
      description: 'The service whose deployment is scaled',
    },
    replicas: { type: 'integer', minimum: 1, maximum: 20, default: 4, description: 'How many pods it should run' },
    namespace: { type: 'string', default: 'shop', pattern: '^[a-z0-9-]+$' },
    ticket: { type: 'string', pattern: '^[A-Z]+-[0-9]+$', description: 'The change ticket, for the audit trail' },
    notify: { type: 'boolean', default: true, description: 'Post the result to #ops' },
    labels: { type: 'object', description: 'Extra labels for the Rundeck job' },
  },
};

const SCALE_URL = 'https://rundeck.internal/api/41/job/scale-deployment/run';
const SCALE_CHECK_QUERY =
  'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="{{ inputs.service }}"}[5m])))';

const SCALE_STEPS = [
  {
    id: 'scale',
    action: 'remediation',
    with: {
      url: SCALE_URL,
      headers: { 'X-Rundeck-Auth-Token': { secret: 'RUNDECK_TOKEN' } },
      body: {
        argString: '-namespace {{ inputs.namespace }} -deployment {{ inputs.service }} -replicas {{ inputs.replicas }}',
      },
      expectStatus: 200,
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'settle',
    action: 'wait',
    with: { for: '15m' },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'check',
    action: 'inspection',
    with: {
      checks: [
        {
          name: 'p95 latency after scaling',
          source: 'prometheus',
          query: SCALE_CHECK_QUERY,
          threshold: { op: '<', value: 0.5 },
        },
      ],
    },
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
  {
    id: 'notify',
    action: 'slack',
    with: {
      webhookSecret: 'SLACK_OPS_WEBHOOK',
      text: '{{ inputs.service }} scaled to {{ inputs.replicas }} pods; latency check passed: {{ steps.check.output.passed }}',
    },
    if: 'inputs.notify == true',
    timeoutMs: 30_000,
    retries: 0,
    approval: 'auto' as const,
  },
];

function definitions(now: number) {
  return [
    {
      name: 'checkout-response',
      description: 'Tell #ops about checkout incidents, inspect latency and annotate the dashboards',
      triggers: [{ on: 'incident.created' as const }, { on: 'manual' as const }],
      if: 'incident.services.exists(s, s == "checkout")',
      steps: CHECKOUT_STEPS,
      source: { kind: 'file' as const, file: `${WORKFLOW_FOLDER}/checkout-response.yaml` },
      text: CHECKOUT_RESPONSE_TEXT,
      updatedAt: null,
      error: null,
    },
    {
      name: 'restart-payments',
      description: 'Restart the payments pods through Rundeck when the analysis blames payments',
      triggers: [
        { on: 'rca.ready' as const },
        { on: 'manual' as const, inputs: { type: 'object', properties: { reason: { type: 'string' } } } },
      ],
      if: 'rca.causes[0].service == "payments" || has(inputs.reason)',
      steps: RESTART_STEPS,
      source: { kind: 'api' as const },
      text: RESTART_PAYMENTS_TEXT,
      updatedAt: at(now, 3 * 24 * 60),
      error: null,
    },
    {
      name: 'morning-inspection',
      description: 'Every weekday at 07:00, check the checkout path and post a summary to #ops',
      triggers: [{ on: 'schedule' as const, cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' }],
      steps: MORNING_STEPS,
      source: { kind: 'api' as const },
      text: MORNING_INSPECTION_TEXT,
      updatedAt: at(now, 26 * 60),
      error: null,
    },
    {
      name: 'scale-service',
      description: 'Scale a service through Rundeck, let it settle, check its latency and tell #ops',
      triggers: [{ on: 'manual' as const, inputs: SCALE_SERVICE_INPUTS }],
      steps: SCALE_STEPS,
      source: { kind: 'api' as const },
      text: SCALE_SERVICE_TEXT,
      updatedAt: at(now, 6 * 24 * 60),
      error: null,
    },
  ];
}

export const WORKFLOW_NAMES = ['checkout-response', 'restart-payments', 'morning-inspection', 'scale-service'];

/** The file of the workflow folder that does not load, with the engine's message. */
export const BROKEN_WORKFLOW_FILE = `${WORKFLOW_FOLDER}/nightly-report.yaml`;
/** The actions of an engine without an LLM (llm_summary needs one), as its messages list them. */
export const ENGINE_ACTIONS = [
  'grafana_annotation',
  'inspection',
  'mattermost',
  'pagerduty',
  'remediation',
  'slack',
  'teams',
  'wait',
  'webhook',
];
export const BROKEN_WORKFLOW_MESSAGE = `${BROKEN_WORKFLOW_FILE} line 9: steps/0/action "slak" is not an action (known: ${ENGINE_ACTIONS.join(', ')})`;

/** GET /api/v1/workflows. */
export function workflowListJson(now: number) {
  return {
    workflows: definitions(now).map((definition) => ({
      name: definition.name,
      description: definition.description,
      triggers: definition.triggers,
      steps: definition.steps.length,
      source: definition.source,
      updatedAt: definition.updatedAt,
    })),
    errors: [{ source: 'file' as const, file: BROKEN_WORKFLOW_FILE, message: BROKEN_WORKFLOW_MESSAGE }],
  };
}

/** GET /api/v1/workflows/{name}; undefined for a name the engine does not know. */
export function workflowJson(now: number, name: string) {
  return definitions(now).find((definition) => definition.name === name);
}

/** The runs, newest first: ids the engine would give (UUIDs). */
export const RUN_IDS = {
  annotateWaiting: '3b0f6a52-8d1e-4c7a-9f43-6e2d15a8c907',
  restartWaiting: '8f14e45f-ea4d-4a3b-9c1e-2b6d7a1c0f31',
  checkoutSucceeded: 'c9a1d3e5-7b2f-4e60-8a14-0d5c9e3b7f12',
  checkoutDry: '5d7e9f1a-3c5b-4d2e-b6f8-a1c3e5d7f9b0',
  morningFailed: 'e2c4a6b8-0d1f-4a3c-8e5d-7f9b1c3d5e60',
};

export const APPROVAL_IDS = {
  annotate: '0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d',
  restart: '7c6d5e4f-3a2b-4c1d-9e8f-0a1b2c3d4e5f',
};

interface RunShape {
  id: string;
  workflow: string;
  trigger: string;
  dryRun: boolean;
  status: 'queued' | 'running' | 'waiting_approval' | 'succeeded' | 'failed' | 'rejected' | 'expired' | 'cancelled';
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

function runs(now: number): RunShape[] {
  return [
    {
      id: RUN_IDS.annotateWaiting,
      workflow: 'checkout-response',
      trigger: 'manual',
      dryRun: false,
      status: 'waiting_approval',
      createdAt: at(now, 5),
      updatedAt: at(now, 4.5),
      finishedAt: null,
    },
    {
      id: RUN_IDS.restartWaiting,
      workflow: 'restart-payments',
      trigger: 'rca.ready',
      dryRun: false,
      status: 'waiting_approval',
      createdAt: at(now, 12),
      updatedAt: at(now, 11.8),
      finishedAt: null,
    },
    {
      id: RUN_IDS.checkoutSucceeded,
      workflow: 'checkout-response',
      trigger: 'incident.created',
      dryRun: false,
      status: 'succeeded',
      createdAt: at(now, 42),
      updatedAt: at(now, 38),
      finishedAt: at(now, 38),
    },
    {
      id: RUN_IDS.checkoutDry,
      workflow: 'checkout-response',
      trigger: 'manual',
      dryRun: true,
      status: 'succeeded',
      createdAt: at(now, 120),
      updatedAt: at(now, 119.9),
      finishedAt: at(now, 119.9),
    },
    {
      id: RUN_IDS.morningFailed,
      workflow: 'morning-inspection',
      trigger: 'schedule',
      dryRun: false,
      status: 'failed',
      createdAt: at(now, 180),
      updatedAt: at(now, 179.5),
      finishedAt: at(now, 179.5),
    },
  ];
}

type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

function approvals(now: number) {
  return [
    {
      id: APPROVAL_IDS.annotate,
      runId: RUN_IDS.annotateWaiting,
      workflow: 'checkout-response',
      stepId: 'annotate',
      what: ANNOTATE_WHAT,
      state: 'pending' as ApprovalState,
      requestedAt: at(now, 4.5),
      expiresAt: at(now, 4.5 - 60),
      decidedBy: null as string | null,
      decidedAt: null as string | null,
      reason: null as string | null,
    },
    {
      id: APPROVAL_IDS.restart,
      runId: RUN_IDS.restartWaiting,
      workflow: 'restart-payments',
      stepId: 'restart',
      what: RESTART_WHAT,
      state: 'pending' as ApprovalState,
      requestedAt: at(now, 11.8),
      expiresAt: at(now, 11.8 - 60),
      decidedBy: null as string | null,
      decidedAt: null as string | null,
      reason: null as string | null,
    },
  ];
}

/** GET /api/v1/workflow-runs, newest first; `workflow` and `status` filter as the engine does. */
export function runListJson(now: number, filter: { workflow?: string; status?: string; limit?: number } = {}) {
  const matching = runs(now).filter(
    (run) =>
      (filter.workflow === undefined || run.workflow === filter.workflow) &&
      (filter.status === undefined || run.status === filter.status)
  );
  return { runs: matching.slice(0, filter.limit ?? 100) };
}

/** GET /api/v1/approvals?state=pending (the default). */
export function approvalListJson(now: number) {
  return { approvals: approvals(now) };
}

/** POST /api/v1/approvals/{id}/approve|reject as the engine answers it; undefined for an unknown id. */
export function decidedApprovalJson(
  now: number,
  id: string,
  decision: 'approved' | 'rejected',
  by: string,
  reason: string | null
) {
  const approval = approvals(now).find((candidate) => candidate.id === id);
  return approval && { ...approval, state: decision, decidedBy: by, decidedAt: new Date(now).toISOString(), reason };
}

type Step = {
  id: string;
  action: string;
  index: number;
  status: string;
  attempt: number;
  idempotencyKey: string;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
};

function step(runId: string, index: number, id: string, action: string, fields: Partial<Step>): Step {
  return {
    id,
    action,
    index,
    status: 'pending',
    attempt: 0,
    idempotencyKey: `${runId}:${id}`,
    input: null,
    output: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
    ...fields,
  };
}

function audit(at: string, event: string, stepId: string | null, detail: unknown, actor = 'engine') {
  return { at, actor, event, stepId, detail };
}

const CHECKOUT_CHECK_OUTPUT = (now: number) => ({
  passed: false,
  range: { from: at(now, 57), to: at(now, 42) },
  checks: [
    {
      name: 'checkout p95 latency',
      source: 'prometheus',
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))',
      status: 'fail',
      passed: false,
      value: 2.31,
      threshold: { op: '<', value: 0.5 },
      reduce: 'last',
      seriesCount: 1,
      series: [{ labels: {}, value: 2.31, passed: false }],
    },
  ],
});

function runDetails(now: number) {
  const [annotateRun, restartRun, checkoutRun, dryRun, morningRun] = runs(now);
  const [annotateApproval, restartApproval] = approvals(now);
  const checkoutSlackInput = {
    webhookSecret: 'SLACK_OPS_WEBHOOK',
    text: 'Checkout p99 latency above 2 s (critical): checkout, payments',
  };
  return [
    annotateRun && {
      ...annotateRun,
      context: { inputs: {} },
      definition: workflowJson(now, 'checkout-response'),
      steps: [
        step(annotateRun.id, 0, 'notify', 'slack', {
          status: 'succeeded',
          attempt: 1,
          input: checkoutSlackInput,
          output: { status: 200, body: 'ok' },
          startedAt: at(now, 4.9),
          finishedAt: at(now, 4.8),
        }),
        step(annotateRun.id, 1, 'check', 'inspection', {
          status: 'succeeded',
          attempt: 1,
          output: CHECKOUT_CHECK_OUTPUT(now),
          startedAt: at(now, 4.8),
          finishedAt: at(now, 4.6),
        }),
        step(annotateRun.id, 2, 'annotate', 'grafana_annotation', {
          status: 'waiting_approval',
          input: {
            tokenSecret: 'GRAFANA_ANNOTATIONS_TOKEN',
            text: 'Checkout p99 latency above 2 s: inspection false',
            tags: ['intelops', 'checkout'],
          },
        }),
      ],
      approvals: annotateApproval ? [annotateApproval] : [],
      audit: [
        audit(
          at(now, 5),
          'run.created',
          null,
          { workflow: 'checkout-response', trigger: 'manual', dryRun: false, steps: 3 },
          'alice'
        ),
        audit(at(now, 4.9), 'run.started', null, { dryRun: false }),
        audit(at(now, 4.9), 'step.started', 'notify', { action: 'slack', attempt: 1 }),
        audit(at(now, 4.8), 'step.succeeded', 'notify', { attempt: 1, durationMs: 412 }),
        audit(at(now, 4.8), 'step.started', 'check', { action: 'inspection', attempt: 1 }),
        audit(at(now, 4.6), 'step.succeeded', 'check', { attempt: 1, durationMs: 1210 }),
        audit(at(now, 4.5), 'approval.requested', 'annotate', {
          approval: APPROVAL_IDS.annotate,
          what: ANNOTATE_WHAT,
          policy: 'the step says approval: required',
          expiresAt: at(now, 4.5 - 60),
        }),
      ],
    },
    restartRun && {
      ...restartRun,
      context: { incident: { id: 'inc-2b8e41', title: 'Payments error rate above 5 %' }, inputs: {} },
      definition: workflowJson(now, 'restart-payments'),
      steps: [
        step(restartRun.id, 0, 'inspect', 'inspection', {
          status: 'succeeded',
          attempt: 1,
          output: { passed: false, range: { from: at(now, 27), to: at(now, 12) }, checks: [] },
          startedAt: at(now, 12),
          finishedAt: at(now, 11.9),
        }),
        step(restartRun.id, 1, 'restart', 'remediation', {
          status: 'waiting_approval',
          input: {
            url: RUNDECK_URL,
            headers: { 'X-Rundeck-Auth-Token': { secret: 'RUNDECK_TOKEN' } },
            body: { argString: '-namespace shop -deployment payments' },
            expectStatus: 200,
          },
        }),
      ],
      approvals: restartApproval ? [restartApproval] : [],
      audit: [
        audit(at(now, 12), 'run.created', null, {
          workflow: 'restart-payments',
          trigger: 'rca.ready',
          dryRun: false,
          steps: 2,
        }),
        audit(at(now, 12), 'run.started', null, { dryRun: false }),
        audit(at(now, 11.9), 'step.succeeded', 'inspect', { attempt: 1, durationMs: 640 }),
        audit(at(now, 11.8), 'approval.requested', 'restart', {
          approval: APPROVAL_IDS.restart,
          what: RESTART_WHAT,
          policy: 'the step says approval: required',
          expiresAt: at(now, 11.8 - 60),
        }),
      ],
    },
    checkoutRun && {
      ...checkoutRun,
      context: { incident: { id: 'inc-7f3a9c', title: 'Checkout p99 latency above 2 s' }, inputs: {} },
      definition: workflowJson(now, 'checkout-response'),
      steps: [
        step(checkoutRun.id, 0, 'notify', 'slack', {
          status: 'succeeded',
          attempt: 1,
          input: checkoutSlackInput,
          output: { status: 200, body: 'ok' },
          startedAt: at(now, 42),
          finishedAt: at(now, 41.9),
        }),
        step(checkoutRun.id, 1, 'check', 'inspection', {
          status: 'succeeded',
          attempt: 1,
          output: CHECKOUT_CHECK_OUTPUT(now),
          startedAt: at(now, 41.9),
          finishedAt: at(now, 41.7),
        }),
        step(checkoutRun.id, 2, 'annotate', 'grafana_annotation', {
          status: 'succeeded',
          attempt: 1,
          input: {
            tokenSecret: 'GRAFANA_ANNOTATIONS_TOKEN',
            text: 'Checkout p99 latency above 2 s: inspection false',
            tags: ['intelops', 'checkout'],
          },
          output: { id: 4121, message: 'Annotation added' },
          startedAt: at(now, 38.1),
          finishedAt: at(now, 38),
        }),
      ],
      approvals: [
        {
          id: '1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b',
          runId: checkoutRun.id,
          workflow: 'checkout-response',
          stepId: 'annotate',
          what: ANNOTATE_WHAT,
          state: 'approved',
          requestedAt: at(now, 41.7),
          expiresAt: at(now, 41.7 - 60),
          decidedBy: 'alice',
          decidedAt: at(now, 38.2),
          reason: 'Mark the dashboards for the review',
        },
      ],
      audit: [
        audit(at(now, 42), 'run.created', null, {
          workflow: 'checkout-response',
          trigger: 'incident.created',
          dryRun: false,
          steps: 3,
        }),
        audit(at(now, 42), 'run.started', null, { dryRun: false }),
        audit(at(now, 41.9), 'step.succeeded', 'notify', { attempt: 1, durationMs: 380 }),
        audit(at(now, 41.7), 'step.succeeded', 'check', { attempt: 1, durationMs: 1190 }),
        audit(at(now, 41.7), 'approval.requested', 'annotate', {
          what: ANNOTATE_WHAT,
          policy: 'the step says approval: required',
        }),
        audit(
          at(now, 38.2),
          'approval.approved',
          'annotate',
          { what: ANNOTATE_WHAT, reason: 'Mark the dashboards for the review' },
          'alice'
        ),
        audit(at(now, 38), 'step.succeeded', 'annotate', { attempt: 1, durationMs: 95 }),
        audit(at(now, 38), 'run.succeeded', null, {}),
      ],
    },
    dryRun && dryRunJson(now, dryRun.id, 'checkout-response', Date.parse(dryRun.createdAt), true),
    morningRun && {
      ...morningRun,
      context: { inputs: {} },
      definition: workflowJson(now, 'morning-inspection'),
      steps: [
        step(morningRun.id, 0, 'latency', 'inspection', {
          status: 'failed',
          attempt: 1,
          error:
            'inspection check "checkout p95 latency" needs Prometheus, which is not configured (Settings → Prometheus URL)',
          startedAt: at(now, 180),
          finishedAt: at(now, 179.5),
        }),
        step(morningRun.id, 1, 'report', 'slack', {}),
      ],
      approvals: [],
      audit: [
        audit(at(now, 180), 'run.created', null, {
          workflow: 'morning-inspection',
          trigger: 'schedule',
          dryRun: false,
          steps: 2,
        }),
        audit(at(now, 180), 'run.started', null, { dryRun: false }),
        audit(at(now, 179.5), 'step.failed', 'latency', {
          error:
            'inspection check "checkout p95 latency" needs Prometheus, which is not configured (Settings → Prometheus URL)',
        }),
        audit(at(now, 179.5), 'run.failed', null, { step: 'latency' }),
      ],
    },
  ];
}

/** GET /api/v1/workflow-runs/{id}; undefined for an id the engine does not know. */
export function runJson(now: number, id: string) {
  return runDetails(now).find((run) => run?.id === id);
}

/** What each step of a workflow would do, as the engine's dry run records it. */
const DRY_RUN_STEPS: Record<
  string,
  Array<{ id: string; action: string; description: string; approval: boolean; policy?: string }>
> = {
  'checkout-response': [
    {
      id: 'notify',
      action: 'slack',
      description:
        'Post to Slack (webhook in secret SLACK_OPS_WEBHOOK): Checkout p99 latency above 2 s (critical): checkout, payments',
      approval: true,
    },
    {
      id: 'check',
      action: 'inspection',
      description: 'Inspect the last 15m: checkout p95 latency (prometheus, last < 0.5)',
      approval: false,
    },
    {
      id: 'annotate',
      action: 'grafana_annotation',
      description: ANNOTATE_WHAT,
      approval: true,
      policy: 'the step says approval: required',
    },
  ],
  'restart-payments': [
    {
      id: 'inspect',
      action: 'inspection',
      description: 'Inspect the last 15m: payments error rate (prometheus, last < 0.05)',
      approval: false,
    },
    {
      id: 'restart',
      action: 'remediation',
      description: RESTART_WHAT,
      approval: true,
      policy: 'the step says approval: required',
    },
  ],
  'morning-inspection': [
    {
      id: 'latency',
      action: 'inspection',
      description: 'Inspect the last 1h: checkout p95 latency (prometheus, last < 0.5)',
      approval: false,
    },
    {
      id: 'report',
      action: 'slack',
      description: 'Post to Slack (webhook in secret SLACK_OPS_WEBHOOK): Morning inspection: false',
      approval: true,
    },
  ],
};

/**
 * GET /api/v1/workflow-runs/{id} of a dry run started at `startedMs`: every step succeeded with what it would do,
 * or, while `finished` is false, the run still running with its first step done.
 */
export function dryRunJson(now: number, id: string, workflow: string, startedMs: number, finished: boolean) {
  const started = new Date(startedMs).toISOString();
  const done = new Date(startedMs + 200).toISOString();
  const planned = DRY_RUN_STEPS[workflow] ?? [];
  const steps = planned.map((planned, index) =>
    step(id, index, planned.id, planned.action, {
      status: finished || index === 0 ? 'succeeded' : index === 1 ? 'running' : 'pending',
      output:
        finished || index === 0 ? { dryRun: true, description: planned.description, approval: planned.approval } : null,
      startedAt: finished || index <= 1 ? started : null,
      finishedAt: finished || index === 0 ? done : null,
    })
  );
  return {
    id,
    workflow,
    trigger: 'manual',
    dryRun: true,
    status: finished ? ('succeeded' as const) : ('running' as const),
    createdAt: started,
    updatedAt: finished ? done : started,
    finishedAt: finished ? done : null,
    context: { inputs: {} },
    definition: workflowJson(now, workflow),
    steps,
    approvals: [],
    audit: [
      audit(
        started,
        'run.created',
        null,
        { workflow, trigger: 'manual', dryRun: true, steps: planned.length },
        'admin'
      ),
      audit(started, 'run.started', null, { dryRun: true }),
      ...planned
        .filter((_, index) => finished || index === 0)
        .map((planned) =>
          audit(done, 'step.dry_run', planned.id, {
            description: planned.description,
            approval: planned.approval,
            policy:
              planned.policy ??
              (planned.approval
                ? `no unattended rule allows ${planned.action}`
                : `${planned.action} has no side effects`),
          })
        ),
      ...(finished ? [audit(done, 'run.succeeded', null, {})] : []),
    ],
  };
}

/** The id the browser double gives a run started by hand: `run-<started ms>-<workflow>`. */
export const STARTED_RUN_ID = /^run-(\d+)-(.+)$/;

/** How long scale-service's settle step holds the run. */
const SETTLE_MS = 15 * MINUTE;

function startedSteps(id: string, workflow: string, startedMs: number) {
  const started = new Date(startedMs).toISOString();
  const planned = workflowJson(startedMs, workflow)?.steps ?? [];
  if (workflow !== 'scale-service') {
    return planned.map((planned, index) =>
      step(
        id,
        index,
        planned.id,
        planned.action,
        index === 0 ? { status: 'running', attempt: 1, startedAt: started } : {}
      )
    );
  }
  const scaled = new Date(startedMs + 1200).toISOString();
  return planned.map((planned, index) => {
    if (planned.id === 'scale') {
      return step(id, index, planned.id, planned.action, {
        status: 'succeeded',
        attempt: 1,
        output: { status: 200, body: { id: 'exec-5521', status: 'running' } },
        startedAt: started,
        finishedAt: scaled,
      });
    }
    // A wait step holds the run: pending, no attempt made, resuming at its next attempt's time.
    if (planned.id === 'settle') {
      return step(id, index, planned.id, planned.action, {
        status: 'pending',
        input: { for: '15m' },
        startedAt: scaled,
        nextAttemptAt: new Date(startedMs + 1200 + SETTLE_MS).toISOString(),
      });
    }
    return step(id, index, planned.id, planned.action, {});
  });
}

/**
 * GET /api/v1/workflow-runs/{id} of a run a person started at `startedMs` with `inputs`: scale-service has scaled
 * and waits 15 minutes on its settle step (the run stays running); other workflows are at their first step.
 * Undefined for a workflow the fixtures do not define.
 */
export function startedRunJson(
  now: number,
  id: string,
  workflow: string,
  inputs: Record<string, unknown>,
  startedMs: number,
  by = 'admin'
) {
  const definition = workflowJson(now, workflow);
  if (!definition) {
    return undefined;
  }
  const started = new Date(startedMs).toISOString();
  const steps = startedSteps(id, workflow, startedMs);
  const settle = steps.find((candidate) => candidate.action === 'wait' && candidate.nextAttemptAt !== null);
  const scale = steps.find((candidate) => candidate.status === 'succeeded');
  return {
    id,
    workflow,
    trigger: 'manual',
    dryRun: false,
    status: 'running' as RunShape['status'],
    createdAt: started,
    updatedAt: settle?.startedAt ?? started,
    finishedAt: null as string | null,
    context: { inputs },
    definition,
    steps,
    approvals: [] as Array<ReturnType<typeof approvals>[number]>,
    audit: [
      audit(started, 'run.created', null, { workflow, trigger: 'manual', dryRun: false, steps: steps.length }, by),
      audit(started, 'run.started', null, { dryRun: false }),
      audit(started, 'step.started', steps[0]?.id ?? null, { action: steps[0]?.action, attempt: 1 }),
      ...(scale
        ? [audit(scale.finishedAt ?? started, 'step.succeeded', scale.id, { attempt: 1, durationMs: 1184 })]
        : []),
      ...(settle && settle.startedAt
        ? [audit(settle.startedAt, 'step.waiting', settle.id, { until: settle.nextAttemptAt, description: 'wait 15m' })]
        : []),
    ],
  };
}

const OPEN_STEP_STATUSES = ['pending', 'running', 'waiting_approval'];

interface CancellableRun {
  status: string;
  steps: Step[];
  approvals: Array<{ state: string; decidedBy: string | null; decidedAt: string | null; reason: string | null }>;
  audit: Array<ReturnType<typeof audit>>;
}

/**
 * POST /api/v1/workflow-runs/{id}/cancel as the engine answers it: the run cancelled at `now` by `by`, its unfinished
 * steps cancelled (no next attempt), its undecided approvals withdrawn, and the cancellation in the audit trail.
 */
export function cancelledRunJson<Run extends CancellableRun>(run: Run, now: number, by: string, reason: string | null) {
  const at = new Date(now).toISOString();
  return {
    ...run,
    status: 'cancelled' as const,
    updatedAt: at,
    finishedAt: at,
    steps: run.steps.map((candidate) =>
      OPEN_STEP_STATUSES.includes(candidate.status)
        ? { ...candidate, status: 'cancelled', finishedAt: at, nextAttemptAt: null }
        : candidate
    ),
    approvals: run.approvals.map((approval) =>
      approval.state === 'pending'
        ? { ...approval, state: 'cancelled', decidedBy: by, decidedAt: at, reason }
        : approval
    ),
    audit: [...run.audit, audit(at, 'run.cancelled', null, { from: run.status, reason }, by)],
  };
}

/** The engine's 409 when a run already ended. */
export function runEndedMessage(id: string, status: string): string {
  return `Workflow run ${id} already ended (${status}); only queued, running or waiting runs can be cancelled`;
}

/** What the browser harness's person asks POST /api/v1/workflows/draft for. */
export const DRAFT_DESCRIPTION =
  'every morning check p95 latency and error rate of the checkout path and post a summary to #ops';

const DRAFT_CRON = '0 8 * * *';

/** The YAML an LLM drafts for DRAFT_DESCRIPTION; `cron` as written (a typo makes it fail the engine's check). */
export function draftYaml(cron = DRAFT_CRON): string {
  return `name: checkout-morning-check
description: "Every morning, check checkout p95 latency and error rate and post a summary to #ops"
triggers:
  - on: schedule
    cron: "${cron}"
steps:
  - id: check
    action: inspection
    with:
      range: 1h
      checks:
        - name: checkout p95 latency (s)
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="checkout"}[5m])))
          threshold: { op: "<", value: 0.5 }
        - name: checkout error ratio
          source: prometheus
          query: sum(rate(http_server_request_duration_seconds_count{service="checkout",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{service="checkout"}[5m]))
          threshold: { op: "<", value: 0.01 }
  - id: post
    action: slack
    with:
      webhookSecret: SLACK_OPS_WEBHOOK
      text: "Checkout morning check passed: {{ steps.check.output.passed }}"
`;
}

/** The cron typo of the draft that does not check, and the engine's error for it. */
export const DRAFT_BAD_CRON = '0 8 * * mon-fry';
export const DRAFT_CRON_ERROR = `draft line 5: triggers/0/cron "${DRAFT_BAD_CRON}": day of week field "mon-fry": "fry" is not a day of week (allowed: 0-7 or sun-sat)`;

/**
 * POST /api/v1/workflows/draft: a valid draft with what each step would do, or (valid false) one whose cron still
 * does not check after the repair round, with the engine's error naming its line.
 */
export function workflowDraftJson(valid: boolean) {
  if (!valid) {
    return {
      yaml: draftYaml(DRAFT_BAD_CRON),
      valid: false,
      errors: [DRAFT_CRON_ERROR],
      repaired: true,
      model: 'gpt-4o-mini',
      usage: { promptTokens: 10_400, completionTokens: 820 },
    };
  }
  return {
    yaml: draftYaml(),
    valid: true,
    errors: [] as string[],
    dryRun: [
      {
        id: 'check',
        action: 'inspection',
        sideEffect: false,
        approval: 'auto' as const,
        description:
          'Inspect the last 1h: checkout p95 latency (s) (prometheus, last < 0.5); checkout error ratio (prometheus, last < 0.01)',
      },
      {
        id: 'post',
        action: 'slack',
        sideEffect: true,
        approval: 'auto' as const,
        description:
          'Post to Slack (webhook in secret SLACK_OPS_WEBHOOK): "Checkout morning check passed: {{ steps.check.output.passed }}"',
      },
    ],
    repaired: false,
    model: 'gpt-4o-mini',
    usage: { promptTokens: 5200, completionTokens: 410 },
  };
}

/** The engine's 409 when no LLM is configured. */
export const DRAFT_NO_LLM =
  'Drafting workflows needs an LLM. No LLM is configured: set its base URL and model in the settings (or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL).';
