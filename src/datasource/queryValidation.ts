import { rangeUtil } from '@grafana/data';
import { AGENT_RUN_KINDS } from './agentRuns';
import type { IntelOpsQuery } from './types';

/** A field of a query that cannot be sent, and what to write there instead. */
export interface QueryProblem {
  field: 'selector' | 'expr' | 'baseline' | 'step' | 'incidentId' | 'kind';
  message: string;
}

export const EMPTY_SELECTOR =
  'Enter a LogQL stream selector such as {service_name="checkout"}, or the services whose logs to read.';
export const EMPTY_INCIDENT =
  'Enter an incident id such as inc-7f3a9c, or a service (such as $service) to read its latest incident.';
export const EMPTY_EXPR = 'Enter a PromQL query such as sum by (service) (rate(http_requests_total[5m])).';

/** A Grafana duration (30s, 5m, 1h, 7d) in milliseconds; undefined when empty, null when unreadable. */
export function durationMs(text: string | undefined): number | undefined | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') {
    return undefined;
  }
  try {
    const ms = rangeUtil.intervalToMs(trimmed);
    return Number.isFinite(ms) && ms > 0 ? ms : null;
  } catch {
    return null;
  }
}

// Text still holding a dashboard variable is checked after interpolation, when the query runs.
function hasVariable(text: string | undefined): boolean {
  return (text ?? '').includes('$');
}

function durationProblem(field: 'baseline' | 'step', text: string | undefined, example: string): QueryProblem[] {
  if (hasVariable(text) || durationMs(text) !== null) {
    return [];
  }
  return [{ field, message: `"${(text ?? '').trim()}" is not a duration: write one such as ${example}.` }];
}

/** What stops the query from running; empty when it can be sent. */
export function queryProblems(query: IntelOpsQuery): QueryProblem[] {
  switch (query.queryType) {
    case 'logTemplates':
      return [
        ...((query.selector ?? '').trim() === '' && (query.service ?? '').trim() === ''
          ? [{ field: 'selector' as const, message: EMPTY_SELECTOR }]
          : []),
        ...durationProblem('baseline', query.baseline, '1h or 1d'),
      ];
    case 'anomalies':
      return [
        ...((query.expr ?? '').trim() === '' ? [{ field: 'expr' as const, message: EMPTY_EXPR }] : []),
        ...durationProblem('step', query.step, '30s or 1m'),
        ...durationProblem('baseline', query.baseline, '1h or 1d'),
      ];
    case 'rootCauses':
    case 'incidentGraph':
      return (query.incidentId ?? '').trim() === '' && (query.service ?? '').trim() === ''
        ? [{ field: 'incidentId', message: EMPTY_INCIDENT }]
        : [];
    case 'agentRun':
    case 'agentRuns':
      return kindProblem(query.kind);
    default:
      return [];
  }
}

function kindProblem(kind: string | undefined): QueryProblem[] {
  const text = (kind ?? '').trim();
  if (text === '' || hasVariable(text) || AGENT_RUN_KINDS.some((known) => known === text)) {
    return [];
  }
  return [
    { field: 'kind', message: `"${text}" is not a kind of agent run: pick one of ${AGENT_RUN_KINDS.join(', ')}.` },
  ];
}

export function problemFor(problems: QueryProblem[], field: QueryProblem['field']): string | undefined {
  return problems.find((problem) => problem.field === field)?.message;
}
