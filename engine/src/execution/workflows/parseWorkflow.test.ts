import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../../invalidInput.ts';
import { parseWorkflow } from './parseWorkflow.ts';
import { TEST_ACTIONS } from './testActions.ts';

const GOOD = `# checkout incidents: tell the team and mark the dashboards
name: checkout-response
description: "Tell #ops and annotate"
triggers:
  - on: incident.created
  - on: schedule
    cron: "0 7 * * 1-5"
    timezone: Europe/Berlin
  - on: manual
    inputs:
      type: object
      properties:
        threshold: { type: number }
if: incident.severity == "critical" || has(inputs.threshold)
steps:
  - id: notify
    action: slack
    with:
      channel: "#ops"
      text: "{{ incident.title }} ({{ incident.severity }})"
  - id: check
    action: inspection
    if: steps.notify.status == "succeeded"
    timeout: 5m
    retries: 3
    with:
      query: rate(http_requests_total[5m])
      threshold: "{{ inputs.threshold }}"
  - id: annotate
    action: grafana_annotation
    approval: required
    with:
      text: "posted {{ steps.notify.output.ts }}: {{ steps.check.output | json }}"
      tags: [checkout, "{{ run.workflow }}"]
`;

/** The 400 message parseWorkflow gives for `text`. */
function errorOf(text: string): string {
  try {
    parseWorkflow(text, 'deploy.yaml', TEST_ACTIONS);
  } catch (error) {
    assert.ok(error instanceof InvalidInput, `expected an InvalidInput, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the workflow was accepted');
}

/** GOOD with one line replaced. */
function goodWith(from: string, to: string): string {
  assert.ok(GOOD.includes(from), `GOOD has no ${from}`);
  return GOOD.replace(from, to);
}

describe('parseWorkflow', () => {
  it('gives the workflow with defaults filled in', () => {
    const workflow = parseWorkflow(GOOD, 'deploy.yaml', TEST_ACTIONS, { kind: 'file', file: '/etc/intelops/workflows/deploy.yaml' });
    assert.equal(workflow.name, 'checkout-response');
    assert.equal(workflow.description, 'Tell #ops and annotate');
    assert.deepEqual(workflow.source, { kind: 'file', file: '/etc/intelops/workflows/deploy.yaml' });
    assert.deepEqual(workflow.triggers[1], { on: 'schedule', cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' });
    assert.deepEqual(workflow.triggers[2]?.inputs, { type: 'object', properties: { threshold: { type: 'number' } } });
    assert.equal(workflow.if, 'incident.severity == "critical" || has(inputs.threshold)');
    assert.deepEqual(
      workflow.steps.map((step) => [step.id, step.action, step.timeoutMs, step.retries, step.approval, step.if]),
      [
        ['notify', 'slack', 30_000, 0, 'auto', undefined],
        ['check', 'inspection', 300_000, 3, 'auto', 'steps.notify.status == "succeeded"'],
        ['annotate', 'grafana_annotation', 30_000, 0, 'required', undefined],
      ]
    );
    // The input is kept as written: templates render when the step runs, and schema defaults are not added.
    assert.deepEqual(workflow.steps[1]?.with, { query: 'rate(http_requests_total[5m])', threshold: '{{ inputs.threshold }}' });
  });

  it('takes JSON too, and names the API as the source by default', () => {
    const json = JSON.stringify({ name: 'ping', triggers: [{ on: 'manual' }], steps: [{ id: 'say', action: 'slack', with: { channel: '#a', text: 'hi' } }] });
    const workflow = parseWorkflow(json, 'body', TEST_ACTIONS);
    assert.deepEqual(workflow.source, { kind: 'api' });
    assert.deepEqual(workflow.steps[0]?.with, { channel: '#a', text: 'hi' });
  });

  it('names file, line and column of a YAML syntax error', () => {
    assert.equal(errorOf('name: x\nsteps:\n  - id: a\n    with: { text: "open\n'), 'deploy.yaml line 5, column 1: not valid YAML: Missing closing "quote');
  });

  it('refuses an empty text and several documents', () => {
    assert.equal(errorOf('# nothing\n'), 'deploy.yaml: is empty; a workflow has name, triggers and steps');
    assert.match(errorOf(`${GOOD}---\n${GOOD}`), /^deploy\.yaml: holds 2 YAML documents; a workflow is one document/);
  });

  it('names the line and field of a schema error', () => {
    assert.equal(errorOf(goodWith('    retries: 3', '    retires: 3')), 'deploy.yaml line 25: steps/1 has unknown key "retires" (allowed: id, action, with, if, timeout, retries, approval)');
    assert.equal(errorOf(goodWith('  - on: incident.created', '  - on: incident.create')), 'deploy.yaml line 5: triggers/0/on must be one of incident.created, incident.updated, incident.resolved, rca.ready, change.created, schedule, manual');
    assert.equal(errorOf(goodWith('    retries: 3', '    retries: 11')), 'deploy.yaml line 25: steps/1/retries must be <= 10');
    assert.equal(errorOf(goodWith('name: checkout-response', 'name: Checkout Response')), 'deploy.yaml line 2: name must match pattern "^[a-z0-9][a-z0-9-]{0,62}$"');
    assert.equal(errorOf(goodWith('  - id: notify', '  - id: notify-team')), 'deploy.yaml line 16: steps/0/id must match pattern "^[a-z_][a-z0-9_]{0,63}$"');
  });

  it('names an unknown action and the known ones', () => {
    assert.equal(
      errorOf(goodWith('    action: slack', '    action: slak')),
      'deploy.yaml line 17: steps/0/action "slak" is not an action (known: grafana_annotation, inspection, slack)'
    );
  });

  it("checks `with` against the action's input schema, leaving templated fields to run time", () => {
    assert.equal(errorOf(goodWith('      channel: "#ops"', '      channel: ops')), 'deploy.yaml line 19: steps/0/with/channel must match pattern "^#"');
    assert.equal(errorOf(goodWith('      channel: "#ops"', '      chanel: "#ops"')), 'deploy.yaml line 19: steps/0/with has unknown key "chanel" (allowed: channel, text)');
    assert.equal(errorOf(goodWith('      threshold: "{{ inputs.threshold }}"', '      threshold: high')), 'deploy.yaml line 28: steps/1/with/threshold must be number');
    assert.equal(errorOf(goodWith('      threshold: "{{ inputs.threshold }}"', '      limit: 3')), 'deploy.yaml line 28: steps/1/with has unknown key "limit" (allowed: query, threshold, above)');
  });

  it('refuses a step id used twice, naming both', () => {
    assert.equal(errorOf(goodWith('  - id: annotate', '  - id: notify')), 'deploy.yaml line 29: steps/2/id "notify" is already the id of steps/0 (line 16): step ids must be unique');
  });

  it('compiles CEL conditions and says what is wrong with them', () => {
    assert.equal(errorOf(goodWith('if: incident.severity == "critical"', 'if: incident.severity = "critical"')), 'deploy.yaml line 14: if "incident.severity = \\"critical\\" || has(inputs.threshold)" does not parse: Unexpected character: = (column 19 of the expression)');
    assert.match(errorOf(goodWith('    if: steps.notify.status == "succeeded"', '    if: step.notify.status == "succeeded"')), /^deploy\.yaml line 23: steps\/1\/if "step\.notify\.status == \\"succeeded\\"" is not valid: Unknown variable: step/);
    assert.equal(errorOf(goodWith('    if: steps.notify.status == "succeeded"', '    if: size(steps)')), 'deploy.yaml line 23: steps/1/if "size(steps)" must give a bool, not int');
    assert.equal(
      errorOf(goodWith('if: incident.severity == "critical" || has(inputs.threshold)', 'if: steps.notify.status == "succeeded"')),
      'deploy.yaml line 14: if reads steps.notify, but the workflow\'s condition is checked before any step runs: put it on the step as its if'
    );
  });

  it('says which cron field is wrong', () => {
    assert.equal(errorOf(goodWith('cron: "0 7 * * 1-5"', 'cron: "0 25 * * *"')), 'deploy.yaml line 7: triggers/1/cron "0 25 * * *": hour field "25": 25 is out of range (allowed: 0-23)');
    assert.equal(errorOf(goodWith('cron: "0 7 * * 1-5"', 'cron: "0 7 * *"')), 'deploy.yaml line 7: triggers/1/cron "0 7 * *": has 4 fields; a cron expression has five: minute, hour, day of month, month, day of week');
    assert.equal(errorOf(goodWith('    timezone: Europe/Berlin', '    timezone: Europe/Berlinn')), 'deploy.yaml line 8: triggers/1/timezone "Europe/Berlinn" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)');
    assert.equal(errorOf(goodWith('    cron: "0 7 * * 1-5"\n', '')), 'deploy.yaml line 6: triggers/1 is on: schedule and needs a cron expression (five fields, e.g. cron: "0 7 * * 1-5")');
    assert.equal(errorOf(goodWith('  - on: incident.created', '  - on: incident.created\n    cron: "* * * * *"')), 'deploy.yaml line 6: triggers/0/cron is only for on: schedule, not on: incident.created');
  });

  it("checks a manual trigger's inputs are a JSON schema of an object", () => {
    assert.equal(errorOf(goodWith('      type: object', '      type: array')), 'deploy.yaml line 11: triggers/2/inputs must be a JSON schema of an object (type: object, properties: {…})');
    assert.match(errorOf(goodWith('threshold: { type: number }', 'threshold: { type: nmber }')), /^deploy\.yaml line 11: triggers\/2\/inputs is not a valid JSON schema: schema is invalid: /);
    assert.equal(errorOf(goodWith('  - on: incident.created', '  - on: incident.created\n    inputs: { type: object }')), 'deploy.yaml line 6: triggers/0/inputs is only for on: manual, not on: incident.created');
    // Formats are known, as the run route checks them; unknown keywords are still refused.
    assert.doesNotThrow(() => parseWorkflow(goodWith('threshold: { type: number }', 'threshold: { type: string, format: uri }'), 'deploy.yaml', TEST_ACTIONS));
    assert.match(errorOf(goodWith('threshold: { type: number }', 'threshold: { type: number, minimun: 1 }')), /is not a valid JSON schema: strict mode: unknown keyword: "minimun"/);
  });

  it('parses templates and names the field of a bad one', () => {
    assert.equal(errorOf(goodWith('"{{ incident.title }} (', '"{{ incident.title (')), 'deploy.yaml line 20: steps/0/with/text template does not parse: unexpected token "{{ incident.severity", value expected, line:1, col:20');
    assert.equal(errorOf(goodWith('{{ incident.title }}', '{{ incident.title | upcase | shout }}')), 'deploy.yaml line 20: steps/0/with/text template does not parse: undefined filter: shout, line:1, col:1');
    assert.equal(errorOf(goodWith('{{ incident.title }}', '{{ incidnet.title }}')), 'deploy.yaml line 20: steps/0/with/text reads "incidnet.title", but "incidnet" is not a run variable (known: run, incident, rca, change, inputs, steps)');
    assert.equal(errorOf(goodWith('{{ incident.title }}', "{% include 'secrets.yaml' %}")), 'deploy.yaml line 20: steps/0/with/text template does not parse: tag "include" not found, line:1, col:1');
  });

  it('lets a step read only the steps before it, naming both ends of a forward reference', () => {
    assert.equal(
      errorOf(goodWith('{{ incident.title }} (', '{{ steps.annotate.output.id }} (')),
      'deploy.yaml line 20: steps/0/with/text reads steps.annotate (steps/2), which runs after step "notify" (steps/0): a step can only read the steps before it'
    );
    assert.equal(
      errorOf(goodWith('    if: steps.notify.status == "succeeded"', '    if: steps.check.output.ok')),
      'deploy.yaml line 23: steps/1/if reads steps.check, the output of its own step: a step can only read the steps before it'
    );
    assert.equal(
      errorOf(goodWith('{{ steps.notify.output.ts }}', "{{ steps['notfy'].output.ts }}")),
      'deploy.yaml line 33: steps/2/with/text reads steps.notfy, but there is no step "notfy" (steps: notify, check, annotate)'
    );
    assert.equal(errorOf(goodWith('"{{ run.workflow }}"', '"{{ steps.annotate.output }}"')), 'deploy.yaml line 34: steps/2/with/tags/1 reads steps.annotate, the output of its own step: a step can only read the steps before it');
  });

  it('reports a cycle between two steps as the forward reference in it, naming both', () => {
    const cycle = goodWith('{{ incident.title }} (', '{{ steps.check.output.value }} (').replace('    if: steps.notify.status == "succeeded"', '    if: steps.notify.output.ok');
    assert.equal(errorOf(cycle), 'deploy.yaml line 20: steps/0/with/text reads steps.check (steps/1), which runs after step "notify" (steps/0): a step can only read the steps before it');
  });

  it('checks timeouts', () => {
    assert.equal(errorOf(goodWith('    timeout: 5m', '    timeout: 25h')), 'deploy.yaml line 24: steps/1/timeout "25h" must be at most 24h');
    assert.equal(errorOf(goodWith('    timeout: 5m', '    timeout: 5 minutes')), 'deploy.yaml line 24: steps/1/timeout must match pattern "^[1-9][0-9]{0,6}(ms|s|m|h)$"');
  });
});
