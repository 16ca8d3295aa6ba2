import {
  auditDetailText,
  dryRunResult,
  inText,
  stepHold,
  stepHoldText,
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

describe('steps holding a run', () => {
  const NOW = Date.parse('2026-11-20T10:00:00Z');
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const pending = (attempt: number, minutes: number): RunStep => ({
    ...step(null),
    status: 'pending',
    attempt,
    nextAttemptAt: new Date(NOW + minutes * 60_000).toISOString(),
  });

  it('says how long until a time', () => {
    expect(inText(45_000)).toBe('in 45 s');
    expect(inText(12 * 60_000 - 10_000)).toBe('in 12 min');
    expect(inText(125 * 60_000)).toBe('in 2 h 5 min');
    expect(inText(120 * 60_000)).toBe('in 2 h');
    expect(inText(76 * 3_600_000)).toBe('in 3 d 4 h');
    expect(inText(-5000)).toBe('due now');
  });

  it('shows a wait step as waiting until its time, and a failed attempt as its next retry', () => {
    const wait = stepHold(pending(0, 12));
    expect(wait).toEqual({ kind: 'wait', at: NOW + 12 * 60_000 });
    expect(wait && stepHoldText(wait, NOW, time)).toBe('Waits until 10:12:00 (in 12 min)');
    const retry = stepHold(pending(1, 0.5));
    expect(retry).toEqual({ kind: 'retry', at: NOW + 30_000, attempt: 2 });
    expect(retry && stepHoldText(retry, NOW, time)).toBe('Retry 2 at 10:00:30 (in 30 s)');
  });

  it('leaves other steps as they are', () => {
    expect(stepHold(step(null))).toBeUndefined();
    expect(stepHold({ ...step(null), status: 'pending' })).toBeUndefined();
    expect(stepHold({ ...pending(0, 5), status: 'running' })).toBeUndefined();
  });
});
