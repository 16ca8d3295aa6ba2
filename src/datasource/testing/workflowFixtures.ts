/**
 * Bodies of GET /api/v1/workflows, GET /api/v1/workflows/{name}, GET /api/v1/workflow-runs, GET
 * /api/v1/workflow-runs/{id} and GET /api/v1/approvals exactly as the engine sends them (the schemas of
 * engine/src/server/routes/workflows.ts and workflowRuns.ts), for jest and the browser harness. Times are relative
 * to `now`. Three workflows load (one from the workflow folder, two saved through the API), one file does not; five
 * runs, two of them waiting for a person's approval.
 */

const MINUTE = 60_000;

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

export const WORKFLOW_FOLDER = '/etc/intelops/workflows';

const CHECKOUT_RESPONSE_TEXT = `# Checkout incidents: tell #ops, inspect, and mark the dashboards
name: checkout-response
description: Tell #ops about checkout incidents, inspect latency and annotate the dashboards
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
description: Every weekday at 07:00, check the checkout path and post a summary to #ops
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
    with: { text: '{{ incident.title }}: inspection {{ steps.check.output.passed }}', tags: ['intelops', 'checkout'] },
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
  ];
}

export const WORKFLOW_NAMES = ['checkout-response', 'restart-payments', 'morning-inspection'];

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

function approvals(now: number) {
  return [
    {
      id: APPROVAL_IDS.annotate,
      runId: RUN_IDS.annotateWaiting,
      workflow: 'checkout-response',
      stepId: 'annotate',
      what: ANNOTATE_WHAT,
      state: 'pending' as 'pending' | 'approved' | 'rejected' | 'expired',
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
      state: 'pending' as 'pending' | 'approved' | 'rejected' | 'expired',
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
          input: { text: 'Checkout p99 latency above 2 s: inspection false', tags: ['intelops', 'checkout'] },
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
          input: { text: 'Checkout p99 latency above 2 s: inspection false', tags: ['intelops', 'checkout'] },
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
