import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { compileBodyValidator } from '../../server/validation.ts';
import { captureLogs } from '../../testing/logs.ts';
import type { LogCapture } from '../../testing/logs.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import type { ActionContext, ActionDefinition } from '../types.ts';
import { parseEgressAllowlist } from './egressRules.ts';
import { EgressError, GuardedHttpClient } from './guardedHttp.ts';
import { ActionFailed, isRetryable } from './outbound.ts';
import { builtInActions } from './registry.ts';
import { SecretStore } from './secrets.ts';

const SLACK_PATH = '/services/T0001/B0002/slackPathSecret77';
const TOKEN = 'glsa_serviceAccountToken_0123456789';
const ROUTING_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12';
const JIRA_TOKEN = 'jira-api-token-5f4dcc3b5aa765d61d83';

describe('built-in actions', () => {
  let server: ReplayServer;
  let secrets: SecretStore;
  let logs: LogCapture;
  let actions: Map<string, ActionDefinition>;
  let secretValues: string[];

  before(async () => {
    server = await startReplayServer();
    const env = {
      INTELOPS_SECRET_SLACK_WEBHOOK: `${server.url}${SLACK_PATH}`,
      INTELOPS_SECRET_MATTERMOST_WEBHOOK: `${server.url}/hooks/mmPathSecret88`,
      INTELOPS_SECRET_TEAMS_WEBHOOK: `${server.url}/workflows/teamsPathSecret99`,
      INTELOPS_SECRET_GRAFANA_TOKEN: TOKEN,
      INTELOPS_SECRET_PD_ROUTING_KEY: ROUTING_KEY,
      INTELOPS_SECRET_JIRA_TOKEN: JIRA_TOKEN,
    };
    secrets = new SecretStore({ env });
    secretValues = [...Object.values(env), SLACK_PATH, 'mmPathSecret88', 'teamsPathSecret99'];
    actions = builtInActions({ grafanaUrl: () => `${server.url}/grafana/` });
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    logs = captureLogs();
  });

  const context = (overrides: Partial<ActionContext> = {}, allow = '127.0.0.1'): ActionContext => ({
    idempotencyKey: 'run-42/notify',
    dryRun: false,
    signal: new AbortController().signal,
    timeoutMs: 2000,
    secrets,
    http: new GuardedHttpClient({ rules: parseEgressAllowlist(allow, 'INTELOPS_EGRESS_ALLOW'), allowPrivate: false }),
    sources: { prometheus: undefined, loki: undefined, tempo: undefined },
    logger: createLogger('debug', logs),
    ...overrides,
  });
  const action = (name: string): ActionDefinition => {
    const found = actions.get(name);
    assert.ok(found, `action ${name}`);
    return found;
  };
  const run = (name: string, input: unknown, overrides: Partial<ActionContext> = {}, allow?: string) =>
    action(name).run(input, context(overrides, allow));
  const bodyOf = (index = 0): unknown => JSON.parse(server.requests[index]?.body ?? 'null');
  const assertNoSecrets = (text: string, where: string) => {
    for (const value of secretValues) {
      assert.ok(!text.includes(value), `${where} holds a secret value: ${text}`);
    }
  };
  const logsHaveNoSecrets = () => assertNoSecrets(logs.text(), 'logs');

  it('registers every built-in action with a schema that checks its input', () => {
    assert.deepEqual([...actions.keys()].sort(), [
      'grafana_annotation',
      'inspection',
      'mattermost',
      'pagerduty',
      'remediation',
      'slack',
      'teams',
      'wait',
      'webhook',
    ]);
    // Reading and waiting change nothing outside the engine; everything else goes through the policy.
    assert.equal(action('inspection').sideEffect, false);
    assert.equal(action('wait').sideEffect, false);
    assert.ok(
      [...actions.values()]
        .filter((definition) => definition.name !== 'inspection' && definition.name !== 'wait')
        .every((definition) => definition.sideEffect)
    );
    const slack = compileBodyValidator(action('slack').input);
    assert.equal(slack({ webhookSecret: 'SLACK_WEBHOOK', text: 'hi' }), true);
    assert.equal(slack({ webhookSecret: 'SLACK_WEBHOOK', text: 'hi', url: 'https://x' }), false, 'unknown field');
    assert.equal(
      slack({ webhookSecret: 'https://hooks.slack.com/services/x', text: 'hi' }),
      false,
      'a value where a name belongs'
    );
    const inspection = compileBodyValidator(action('inspection').input);
    assert.equal(
      inspection({
        checks: [{ name: 'p95', source: 'prometheus', query: 'up', threshold: { op: '<', value: 1 } }],
        range: '15m',
      }),
      true
    );
    assert.equal(
      inspection({ checks: [{ name: 'p95', source: 'prometheus', query: 'up', threshold: { op: '=<', value: 1 } }] }),
      false
    );
    assert.equal(inspection({ checks: [], range: '15 minutes' }), false);
    const webhook = compileBodyValidator(action('webhook').input);
    assert.equal(
      webhook({
        url: 'https://jira.example.com/rest/api/2/issue',
        headers: { Authorization: { secret: 'JIRA_TOKEN', prefix: 'Bearer ' } },
        body: { a: 1 },
      }),
      true
    );
    assert.equal(webhook({ url: 'https://x', headers: { 'Bad Header': 'v' } }), false);
  });

  it('webhook: sends the rendered body as JSON with secret headers and the idempotency key, on every attempt', async () => {
    server.on('/rest/api/2/issue', (request) => ({
      status: 201,
      body: { key: 'OPS-7', echoedAuth: request.headers.authorization },
    }));
    const input = {
      url: `${server.url}/rest/api/2/issue`,
      headers: { Authorization: { secret: 'JIRA_TOKEN', prefix: 'Bearer ' }, 'X-Team': 'sre' },
      body: { fields: { summary: 'checkout: p95 latency 2.3 s (top cause: payments)', labels: ['intelops'] } },
    };
    const first = await run('webhook', input);
    // A retry of the same step carries the same key, so the receiver can drop the duplicate.
    await run('webhook', input);
    assert.equal(server.requests.length, 2);
    for (const request of server.requests) {
      assert.equal(request.method, 'POST');
      assert.equal(request.headers.authorization, `Bearer ${JIRA_TOKEN}`);
      assert.equal(request.headers['x-team'], 'sre');
      assert.equal(request.headers['idempotency-key'], 'run-42/notify');
      assert.equal(request.headers['content-type'], 'application/json');
    }
    assert.deepEqual(bodyOf(), input.body);
    // The receiver echoed the token back: the output has its name instead.
    assert.deepEqual(first, { status: 201, body: { key: 'OPS-7', echoedAuth: 'Bearer [secret JIRA_TOKEN]' } });
    assert.match(logs.text(), /"action":"webhook".*"status":201/);
    logsHaveNoSecrets();
  });

  it('webhook: errors say retryable or not, carry no secret, and need exactly one of url and urlSecret', async () => {
    server.on('/fail', [
      { status: 503, body: `upstream down for token ${JIRA_TOKEN}` },
      { status: 400, body: 'bad field' },
    ]);
    const input = { url: `${server.url}/fail`, headers: { Authorization: { secret: 'JIRA_TOKEN' } }, body: {} };
    await assert.rejects(run('webhook', input), (error: unknown) => {
      assert.ok(error instanceof ActionFailed && error.retryable && error.status === 503 && isRetryable(error));
      assert.match(
        error.message,
        /^webhook: http:\/\/127\.0\.0\.1:\d+\/fail answered HTTP 503: upstream down for token \[secret JIRA_TOKEN\]$/
      );
      return true;
    });
    await assert.rejects(
      run('webhook', input),
      (error: unknown) => error instanceof ActionFailed && !error.retryable && error.status === 400
    );
    await assert.rejects(run('webhook', { body: {} }), /webhook: give either url or urlSecret \(exactly one\)/);
    await assert.rejects(run('webhook', { url: `${server.url}/x`, urlSecret: 'SLACK_WEBHOOK' }), /exactly one/);
    await assert.rejects(
      run('webhook', { url: `${server.url}/x`, headers: { Authorization: { secret: 'NOT_SET' } } }),
      (error: unknown) => !isRetryable(error) && /secret NOT_SET is not set/.test(String(error))
    );
    logsHaveNoSecrets();
  });

  it('refuses hosts off the allowlist before sending, naming the action and never the secret URL', async () => {
    await assert.rejects(
      run('slack', { webhookSecret: 'SLACK_WEBHOOK', text: 'hi' }, {}, 'hooks.slack.com'),
      (error: unknown) => {
        assert.ok(error instanceof EgressError && error.kind === 'refused' && !isRetryable(error));
        assert.match(
          error.message,
          /^slack: egress to http:\/\/127\.0\.0\.1:\d+ refused: the address is not on the egress allowlist/
        );
        assertNoSecrets(error.message, 'the error');
        return true;
      }
    );
    assert.equal(server.requests.length, 0);
    assert.match(logs.text(), /"level":40.*action request failed/);
    logsHaveNoSecrets();
  });

  it('times out a slow receiver with a retryable error', async () => {
    server.on('/slow', { body: 'late', delayMs: 1500 });
    await assert.rejects(run('remediation', { url: `${server.url}/slow` }, { timeoutMs: 100 }), (error: unknown) => {
      assert.ok(error instanceof EgressError && error.kind === 'timeout' && isRetryable(error));
      assert.match(error.message, /^remediation: egress to http:\/\/127\.0\.0\.1:\d+ failed: no answer within 0\.1 s$/);
      return true;
    });
  });

  it('slack and mattermost: post text and blocks to the webhook URL held by the secret', async () => {
    server.on(SLACK_PATH, { body: 'ok' });
    server.on('/hooks/mmPathSecret88', { body: 'ok' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*checkout* degraded' } }];
    const slack = await run('slack', {
      webhookSecret: 'SLACK_WEBHOOK',
      text: 'checkout degraded',
      blocks,
      unfurlLinks: false,
    });
    assert.deepEqual(slack, { status: 200, body: 'ok' });
    assert.deepEqual(bodyOf(0), { text: 'checkout degraded', blocks, unfurl_links: false });
    await run('mattermost', {
      webhookSecret: 'MATTERMOST_WEBHOOK',
      text: 'checkout degraded',
      channel: 'ops',
      username: 'IntelOps',
      iconEmoji: ':robot:',
    });
    assert.equal(server.requests[1]?.path, '/hooks/mmPathSecret88');
    assert.deepEqual(bodyOf(1), {
      text: 'checkout degraded',
      channel: 'ops',
      username: 'IntelOps',
      icon_emoji: ':robot:',
    });
    assert.equal(
      action('slack').describe({ webhookSecret: 'SLACK_WEBHOOK', text: 'checkout degraded', blocks }),
      'Post to Slack (webhook in secret SLACK_WEBHOOK): "checkout degraded" with 1 blocks'
    );
    logsHaveNoSecrets();
  });

  it('teams: posts an Adaptive Card by default and a MessageCard when asked', async () => {
    server.on('/workflows/teamsPathSecret99', { status: 202, body: '' });
    const input = {
      webhookSecret: 'TEAMS_WEBHOOK',
      title: 'Incident INC-9',
      text: 'p95 up',
      facts: [{ name: 'Service', value: 'checkout' }],
      links: [{ title: 'Open', url: 'https://grafana.example.com/a/intelops' }],
    };
    assert.deepEqual(await run('teams', input), { status: 202, body: '' });
    assert.deepEqual(bodyOf(0), {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Incident INC-9', weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: 'p95 up', wrap: true },
              { type: 'FactSet', facts: [{ title: 'Service', value: 'checkout' }] },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://grafana.example.com/a/intelops' }],
          },
        },
      ],
    });
    await run('teams', { ...input, format: 'message_card', themeColor: '#FF0000' });
    assert.deepEqual(bodyOf(1), {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: 'Incident INC-9',
      themeColor: 'FF0000',
      title: 'Incident INC-9',
      text: 'p95 up',
      sections: [{ facts: [{ name: 'Service', value: 'checkout' }] }],
      potentialAction: [
        {
          '@type': 'OpenUri',
          name: 'Open',
          targets: [{ os: 'default', uri: 'https://grafana.example.com/a/intelops' }],
        },
      ],
    });
  });

  it('pagerduty: triggers with the idempotency key as dedup_key and a mapped severity, then resolves by key', async () => {
    server.on('/v2/enqueue', (request) => {
      const event: unknown = JSON.parse(request.body);
      const key = typeof event === 'object' && event !== null && 'dedup_key' in event ? event.dedup_key : undefined;
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
    });
    const url = `${server.url}/v2/enqueue`;
    const triggered = await run('pagerduty', {
      routingKeySecret: 'PD_ROUTING_KEY',
      url,
      summary: 'checkout: error rate 7%',
      severity: 'high',
      source: 'checkout',
      customDetails: { topCause: 'payments' },
      links: [{ href: 'https://grafana.example.com/a/intelops/incidents/9', text: 'Incident' }],
    });
    assert.deepEqual(triggered, { status: 202, dedupKey: 'run-42/notify', message: 'Event processed' });
    assert.deepEqual(bodyOf(0), {
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'run-42/notify',
      payload: {
        summary: 'checkout: error rate 7%',
        source: 'checkout',
        severity: 'error',
        custom_details: { topCause: 'payments' },
      },
      links: [{ href: 'https://grafana.example.com/a/intelops/incidents/9', text: 'Incident' }],
      client: 'IntelOps',
    });
    await run(
      'pagerduty',
      { routingKeySecret: 'PD_ROUTING_KEY', url, action: 'resolve', dedupKey: 'run-42/notify' },
      { idempotencyKey: 'run-43/resolve' }
    );
    assert.deepEqual(bodyOf(1), { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'run-42/notify' });
    await assert.rejects(
      run('pagerduty', { routingKeySecret: 'PD_ROUTING_KEY', url, action: 'acknowledge' }),
      /acknowledge needs the dedupKey/
    );
    await assert.rejects(
      run('pagerduty', { routingKeySecret: 'PD_ROUTING_KEY', url, summary: 's', severity: 'sev1' }),
      /severity "sev1" is not one of critical, high/
    );
    assert.equal(server.requests.length, 2);
    logsHaveNoSecrets();
  });

  it('grafana_annotation: posts to /api/annotations under the Grafana URL with the service-account token', async () => {
    server.on('/grafana/api/annotations', { body: { message: 'Annotation added', id: 17 } });
    const output = await run('grafana_annotation', {
      tokenSecret: 'GRAFANA_TOKEN',
      text: 'IntelOps: remediation restarted payments',
      tags: ['intelops', 'service:payments'],
      time: '2026-03-01T10:00:00Z',
      timeEnd: 1772359500000,
      dashboardUID: 'checkout-slo',
      panelId: 4,
    });
    assert.deepEqual(output, { status: 200, id: 17 });
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(bodyOf(), {
      text: 'IntelOps: remediation restarted payments',
      tags: ['intelops', 'service:payments'],
      time: Date.parse('2026-03-01T10:00:00Z'),
      timeEnd: 1772359500000,
      dashboardUID: 'checkout-slo',
      panelId: 4,
    });
    await assert.rejects(
      builtInActions().get('grafana_annotation')?.run({ tokenSecret: 'GRAFANA_TOKEN', text: 'x' }, context()) ??
        Promise.resolve(),
      /no Grafana URL; give grafanaUrl or set the Grafana URL in Settings/
    );
    await assert.rejects(
      run('grafana_annotation', { tokenSecret: 'GRAFANA_TOKEN', text: 'x', time: 'yesterday' }),
      /grafana_annotation time must be an RFC 3339 time/
    );
    logsHaveNoSecrets();
  });

  it('remediation: accepts the expected status and returns the body parsed when JSON', async () => {
    server.on('/api/v2/job_templates/12/launch', [
      { status: 202, body: { job: 981, status: 'pending' } },
      { status: 200, body: 'started' },
    ]);
    const url = `${server.url}/api/v2/job_templates/12/launch`;
    const input = {
      url,
      body: { extra_vars: { service: 'payments' } },
      headers: { Authorization: { secret: 'JIRA_TOKEN', prefix: 'Bearer ' } },
      expectStatus: 202,
    };
    assert.deepEqual(await run('remediation', input), { status: 202, body: { job: 981, status: 'pending' } });
    await assert.rejects(
      run('remediation', input),
      (error: unknown) =>
        error instanceof ActionFailed && !error.retryable && /answered HTTP 200: started/.test(error.message)
    );
    assert.deepEqual(await run('remediation', { url, expectStatus: [200, 202] }), { status: 200, body: 'started' });
    assert.equal(
      action('remediation').describe(input),
      `Run remediation: POST ${url} with a JSON body with secret JIRA_TOKEN in headers, expecting HTTP 202`
    );
  });

  it('dry runs send nothing and describe the request with secrets by name', async () => {
    const dry = { dryRun: true };
    const outputs = [
      await run(
        'webhook',
        {
          url: `${server.url}/x?token=abc123secret`,
          headers: { Authorization: { secret: 'JIRA_TOKEN', prefix: 'Bearer ' } },
          body: { a: 1 },
        },
        dry
      ),
      await run('slack', { webhookSecret: 'SLACK_WEBHOOK', text: 'hi' }, dry),
      await run('mattermost', { webhookSecret: 'MATTERMOST_WEBHOOK', text: 'hi' }, dry),
      await run('teams', { webhookSecret: 'TEAMS_WEBHOOK', text: 'hi' }, dry),
      await run('pagerduty', { routingKeySecret: 'PD_ROUTING_KEY', summary: 'down' }, dry),
      await run('grafana_annotation', { tokenSecret: 'GRAFANA_TOKEN', text: 'note' }, dry),
      await run('remediation', { urlSecret: 'SLACK_WEBHOOK', method: 'PUT' }, dry),
    ];
    assert.equal(server.requests.length, 0);
    assert.deepEqual(outputs[0], {
      dryRun: true,
      request: {
        method: 'POST',
        url: `${server.url}/x?token=[redacted]`,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'run-42/notify',
          authorization: 'Bearer [secret JIRA_TOKEN]',
        },
        body: { a: 1 },
      },
    });
    assert.deepEqual(outputs[1], {
      dryRun: true,
      request: {
        method: 'POST',
        url: '[secret SLACK_WEBHOOK]',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'run-42/notify' },
        body: { text: 'hi' },
      },
    });
    assert.match(JSON.stringify(outputs[4]), /"routing_key":"\[secret PD_ROUTING_KEY\]".*"dedup_key":"run-42\/notify"/);
    assert.match(
      JSON.stringify(outputs[5]),
      /"url":"http:\/\/127\.0\.0\.1:\d+\/grafana\/api\/annotations".*"authorization":"Bearer \[secret GRAFANA_TOKEN\]"/
    );
    assertNoSecrets(JSON.stringify(outputs), 'dry-run outputs');
    logsHaveNoSecrets();
  });

  it('describes each action in one sentence without secret values', () => {
    const sentences = [
      action('webhook').describe({ urlSecret: 'JIRA_HOOK', method: 'PUT', body: {} }),
      action('pagerduty').describe({
        routingKeySecret: 'PD_ROUTING_KEY',
        summary: 'checkout down',
        severity: 'critical',
      }),
      action('pagerduty').describe({ routingKeySecret: 'PD_ROUTING_KEY', action: 'resolve', dedupKey: 'run-1/page' }),
      action('grafana_annotation').describe({
        tokenSecret: 'GRAFANA_TOKEN',
        text: 'restarted',
        tags: ['intelops'],
        dashboardUID: 'abc',
        panelId: 2,
      }),
      action('teams').describe({
        webhookSecret: 'TEAMS_WEBHOOK',
        text: 'x',
        title: 'Incident 9',
        format: 'message_card',
      }),
      action('inspection').describe({
        checks: [{ name: 'p95', source: 'prometheus', query: 'q', threshold: { op: '<', value: 0.5 }, reduce: 'max' }],
        range: '1h',
      }),
    ];
    assert.deepEqual(sentences, [
      'Send PUT [secret JIRA_HOOK] with a JSON body',
      'Trigger PagerDuty a critical alert "checkout down" (routing key in secret PD_ROUTING_KEY)',
      'Resolve PagerDuty alert run-1/page (routing key in secret PD_ROUTING_KEY)',
      'Add a Grafana annotation on dashboard abc panel 2 tagged intelops: "restarted"',
      'Post a Teams MessageCard (webhook in secret TEAMS_WEBHOOK): "Incident 9"',
      'Inspect the last 1h: p95 (prometheus, max < 0.5)',
    ]);
  });
});
