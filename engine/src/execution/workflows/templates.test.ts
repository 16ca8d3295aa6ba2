import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunContext } from '../types.ts';
import { TemplateError, renderTemplates } from './templates.ts';

const context: RunContext = {
  run: { id: 'run-1', workflow: 'checkout-response', trigger: 'incident.created', dryRun: false, startedAt: '2026-11-02T08:00:00.000Z' },
  incident: { id: 'inc-7', title: 'Checkout "slow"', severity: 'critical', services: ['checkout', 'payments'] },
  inputs: { threshold: 0.5 },
  steps: { notify: { status: 'succeeded', output: { ts: '1700000000.000100', ok: true } } },
};

function templateError(value: unknown): TemplateError {
  try {
    renderTemplates(value, context);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error;
  }
  assert.fail('rendered without an error');
}

describe('renderTemplates', () => {
  it('renders every string, deep, and leaves other values and plain strings as they are', () => {
    const rendered = renderTemplates(
      {
        text: '{{ incident.title }} is {{ incident.severity | upcase }}',
        thread: '{{ steps.notify.output.ts }}',
        nested: { list: ['{{ run.workflow }}', 3, true, null, '{% for s in incident.services %}{{ s }};{% endfor %}'] },
        threshold: '{{ inputs.threshold }}',
        plain: 'no template here',
      },
      context
    );
    assert.deepEqual(rendered, {
      text: 'Checkout "slow" is CRITICAL',
      thread: '1700000000.000100',
      nested: { list: ['checkout-response', 3, true, null, 'checkout;payments;'] },
      threshold: '0.5',
      plain: 'no template here',
    });
  });

  it('writes JSON with | json, escaping what needs escaping', () => {
    const rendered = renderTemplates({ body: '{"incident": {{ incident | json }}, "ok": {{ steps.notify.output.ok | json }}}' }, context);
    assert.ok(typeof rendered === 'object' && rendered !== null && 'body' in rendered && typeof rendered.body === 'string');
    assert.deepEqual(JSON.parse(rendered.body), { incident: context.incident, ok: true });
  });

  it('is strict: an unknown variable is an error naming the field', () => {
    const error = templateError({ blocks: [{ text: 'see {{ incident.titel }}' }] });
    assert.equal(error.path, 'with/blocks/0/text');
    assert.equal(error.message, 'with/blocks/0/text: undefined variable: incident.titel, line:1, col:8');
    assert.equal(templateError({ text: '{{ rca.top }}' }).message, 'with/text: undefined variable: rca, line:1, col:4');
  });

  it('refuses bad syntax and tags that read files', () => {
    assert.equal(templateError({ text: '{{ incident.title' }).message, 'with/text: template does not parse: output "{{ incident.title" not closed, line:1, col:1');
    assert.equal(templateError({ text: "{% render 'x' %}" }).message, 'with/text: template does not parse: tag "render" not found, line:1, col:1');
  });
});
