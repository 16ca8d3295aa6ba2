import {
  auditDetailText,
  dryRunResult,
  jsonText,
  loadErrorText,
  newWorkflowText,
  statusColour,
  statusText,
  triggerText,
} from './workflowsFormat';
import type { RunStep } from './workflowsRuns';

function step(output: unknown): RunStep {
  return {
    id: 's',
    action: 'slack',
    index: 0,
    status: 'succeeded',
    attempt: 0,
    input: null,
    output,
    error: null,
    startedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
  };
}

describe('workflow words', () => {
  it('says triggers as people do', () => {
    expect(triggerText({ on: 'rca.ready' })).toBe('root causes ready');
    expect(triggerText({ on: 'schedule', cron: '0 7 * * 1-5' })).toBe('schedule 0 7 * * 1-5 (UTC)');
    expect(triggerText({ on: 'manual', inputs: { type: 'object' } })).toBe('manual with inputs');
    expect(triggerText({ on: 'something.new' })).toBe('something.new');
  });

  it('colours statuses: done green, failed red, waiting orange', () => {
    expect(statusColour('succeeded')).toBe('green');
    expect(statusColour('rejected')).toBe('red');
    expect(statusColour('waiting_approval')).toBe('orange');
    expect(statusColour('cancelled')).toBe('darkgrey');
    expect(statusText('waiting_approval')).toBe('waiting for approval');
  });

  it('puts the file in front of a load error only when the message does not name it', () => {
    expect(loadErrorText({ source: 'file', file: '/w/a.yaml', message: '/w/a.yaml line 2: bad' })).toBe(
      '/w/a.yaml line 2: bad'
    );
    expect(loadErrorText({ source: 'api', name: 'b', message: 'no longer checks' })).toBe('b: no longer checks');
  });

  it('reads what a dry run recorded, and nothing from a real output', () => {
    expect(dryRunResult(step({ dryRun: true, description: 'Post to Slack', approval: true }))).toEqual({
      description: 'Post to Slack',
      needsApproval: true,
    });
    expect(dryRunResult(step({ status: 200 }))).toBeUndefined();
    expect(dryRunResult(step(null))).toBeUndefined();
  });

  it('shows JSON cut at a few thousand characters, and audit details on one line', () => {
    expect(jsonText(null)).toBe('');
    expect(jsonText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(jsonText({ long: 'x'.repeat(5000) })).toMatch(/… \(\d+ characters\)$/);
    expect(auditDetailText({ attempt: 1, what: 'Post' })).toBe('attempt=1 · what=Post');
    expect(auditDetailText(null)).toBe('');
  });

  it('starts a new workflow with its name and a manual trigger', () => {
    expect(newWorkflowText('nightly')).toMatch(/^name: nightly\n[\s\S]*- on: manual\n/);
  });
});
