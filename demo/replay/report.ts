import type { EvidenceView, IncidentView, RcaView, RunView } from './engineClient.ts';
import type { Scenario } from './recording.ts';

export interface ReportInput {
  scenario: Scenario;
  /** Where the metrics came from, e.g. "a real Prometheus (backfilled)". */
  metricsFrom: string;
  faultAt: number;
  now: number;
  incident: IncidentView;
  rca: RcaView;
  evidence: EvidenceView[];
  /** Change ids cited as evidence → their titles. */
  changes: Array<{ id: string; title: string; service: string }>;
  runs: RunView[];
}

const BAR_WIDTH = 20;

/** The investigation as a terminal report: plain text, no colours, so it reads the same in a log file. */
export function formatReport(input: ReportInput): string {
  const { scenario, incident, rca } = input;
  const lines: string[] = [];
  const ago = (iso: string | number) => `${Math.max(0, Math.round((input.now - (typeof iso === 'number' ? iso : Date.parse(iso))) / 60_000))} min ago`;
  lines.push(`IntelOps demo: ${scenario.title} (scenario ${scenario.name}, ${scenario.recordedWith})`);
  lines.push(`Replayed fault: ${scenario.fault.kind} on ${scenario.fault.service} (${scenario.fault.detail}), from ${new Date(input.faultAt).toISOString()} (${ago(input.faultAt)})`);
  lines.push(`Metrics from ${input.metricsFrom}; logs and traces served from the recording in Loki's and Tempo's APIs`);
  lines.push('');
  lines.push(`INCIDENT ${incident.id}  [${incident.severity}]  ${incident.status}`);
  lines.push(`  ${incident.title}`);
  lines.push(`  services: ${incident.services.join(', ') || '(none named)'}`);
  lines.push(`  started:  ${incident.startsAt} (${ago(incident.startsAt)})`);
  const alertName = (alert: IncidentView['alerts'][number]) => {
    const name = alert.labels.alertname;
    return name === undefined || name === alert.title ? alert.title : `${name}: ${alert.title}`;
  };
  lines.push(`  alerts:   ${incident.alerts.map((alert) => `${alertName(alert)} (${alert.severity}${alert.service === null ? '' : `, ${alert.service}`})`).join('; ')}`);
  lines.push('');
  const method = rca.method === 'llm' ? `LLM${rca.model === undefined ? '' : ` ${rca.model}`} over the graph ranking` : 'graph ranking, deterministic, no LLM';
  lines.push(`TOP CAUSES  (${method})`);
  if (rca.causes.length === 0) {
    lines.push('  none: the evidence did not single out a service');
  }
  const evidence = new Map(input.evidence.map((item) => [item.id, item]));
  const changes = new Map(input.changes.map((change) => [change.id, change]));
  rca.causes.forEach((cause, index) => {
    const filled = Math.round(cause.confidence * BAR_WIDTH);
    lines.push(`  ${index + 1}. ${cause.service.padEnd(18)} ${cause.indicator.padEnd(12)} ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.round(cause.confidence * 100)}%`);
    if (cause.explanation !== '') {
      lines.push(`     ${cause.explanation}`);
    }
    if (cause.evidence.length > 0) {
      lines.push('     evidence:');
      for (const id of cause.evidence) {
        const item = evidence.get(id);
        const change = changes.get(id);
        lines.push(
          item !== undefined
            ? `       - [${item.kind}] ${item.summary}`
            : change !== undefined
              ? `       - [change] ${change.title} on ${change.service} (${id})`
              : `       - ${id}`
        );
      }
    }
    if (cause.actions.length > 0) {
      lines.push('     actions:');
      cause.actions.forEach((action) => lines.push(`       - ${action}`));
    }
  });
  if (rca.fallbackReason !== undefined) {
    lines.push(`  (the LLM did not answer: ${rca.fallbackReason})`);
  }
  lines.push('');
  lines.push('RUN');
  lines.push(`  analysis latency: ${rca.durationMs} ms`);
  if (rca.usage !== undefined) {
    lines.push(`  tokens: ${rca.usage.promptTokens} prompt + ${rca.usage.completionTokens} completion`);
  }
  lines.push(`  agent run: ${rca.traceId ?? '(not recorded)'}${rca.traceId === undefined ? '' : `  (GET /api/v1/runs/${rca.traceId})`}`);
  if (input.runs.length === 0) {
    lines.push('  workflow runs: none triggered');
  } else {
    lines.push('  workflow runs:');
    for (const run of input.runs) {
      lines.push(`    - ${run.workflow} ${run.id}: ${run.status} (trigger ${run.trigger})`);
      for (const step of run.steps) {
        lines.push(`        ${step.id} (${step.action}): ${step.status}${stepDetail(step.output)}${step.error === null ? '' : `: ${step.error}`}`);
      }
    }
  }
  return lines.join('\n');
}

/** What an inspection step found, check by check. */
function stepDetail(output: unknown): string {
  if (typeof output !== 'object' || output === null || !('checks' in output) || !Array.isArray(output.checks)) {
    return '';
  }
  const checks = output.checks.flatMap((check: unknown) => {
    if (typeof check !== 'object' || check === null || !('name' in check)) {
      return [];
    }
    const value = 'value' in check && typeof check.value === 'number' ? ` = ${Number(check.value.toPrecision(3))}` : '';
    const status = 'status' in check && typeof check.status === 'string' ? check.status : 'unknown';
    return [`${String(check.name)}${value}: ${status}`];
  });
  return checks.length === 0 ? '' : ` — ${checks.join('; ')}`;
}
