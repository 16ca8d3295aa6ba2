import type { EvalThresholds } from '../settings/evalsSettings.ts';

/** The figures the evals verdict reads, each null when the window holds nothing to compute it from. */
export interface EvalScores {
  p95LatencyMs: number | null;
  errorRate: number | null;
  ttftMs: number | null;
  retrievalHitRate: number | null;
  hallucinationRate: number | null;
  accuracy: number | null;
  faithfulness: number | null;
}

export type EvalMetric = keyof EvalScores;

export interface EvalFinding {
  metric: EvalMetric;
  value: number;
  threshold: number;
  advice: string;
}

export interface EvalVerdict {
  status: 'stable' | 'attention' | 'no_data';
  findings: EvalFinding[];
  summary: string;
}

interface Rule {
  metric: EvalMetric;
  /** Which side of the threshold is bad. */
  bad: 'over' | 'under';
  name: string;
  advice: string;
  format: (value: number) => string;
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const share = (value: number) => `${Number((value * 100).toFixed(1))}%`;
const score = (value: number) => value.toFixed(2);

/** In the order findings are listed; the first three are the seed's evaluate_agent_run rules, word for word. */
const RULES: readonly Rule[] = [
  { metric: 'p95LatencyMs', bad: 'over', name: 'P95 latency', advice: 'optimise the retrieval path', format: ms },
  {
    metric: 'retrievalHitRate',
    bad: 'under',
    name: 'retrieval hit rate',
    advice: 'add indexes or improve tagging',
    format: share,
  },
  {
    metric: 'hallucinationRate',
    bad: 'over',
    name: 'hallucination rate',
    advice: 'tighten prompts and output constraints',
    format: share,
  },
  {
    metric: 'errorRate',
    bad: 'over',
    name: 'error rate',
    advice: 'look into the failed runs (LLM endpoint, time-outs, data sources)',
    format: share,
  },
  {
    metric: 'ttftMs',
    bad: 'over',
    name: 'time to first token',
    advice: 'use a faster model or a closer LLM endpoint',
    format: ms,
  },
  {
    metric: 'accuracy',
    bad: 'under',
    name: 'accuracy',
    advice: 'review the ranking and the prompt against the causes people confirmed',
    format: share,
  },
  {
    metric: 'faithfulness',
    bad: 'under',
    name: 'judged faithfulness',
    advice: 'make explanations claim only what the cited evidence shows',
    format: score,
  },
];

/**
 * The verdict on a window of agent runs, like the seed's evaluate_agent_run: each figure on the wrong side of its
 * threshold is a finding with its advice; none is "stable"; no runs at all is "no_data".
 */
export function evalVerdict(scores: EvalScores, thresholds: EvalThresholds, runs: number): EvalVerdict {
  if (runs === 0) {
    return { status: 'no_data', findings: [], summary: 'No agent runs in this window: nothing to evaluate yet.' };
  }
  const findings: EvalFinding[] = [];
  const phrases: string[] = [];
  for (const rule of RULES) {
    const value = scores[rule.metric];
    const threshold = thresholds[rule.metric];
    if (value === null || !(rule.bad === 'over' ? value > threshold : value < threshold)) {
      continue;
    }
    findings.push({ metric: rule.metric, value, threshold, advice: rule.advice });
    phrases.push(`${rule.name} ${rule.format(value)} is ${rule.bad} ${rule.format(threshold)}: ${rule.advice}`);
  }
  if (findings.length === 0) {
    return {
      status: 'stable',
      findings,
      summary: `Stable: every figure of ${runs} ${runs === 1 ? 'run' : 'runs'} is within its threshold.`,
    };
  }
  const [first, ...rest] = phrases;
  const sentence = [`${capitalize(first ?? '')}`, ...rest].join('; ');
  return { status: 'attention', findings, summary: `${sentence}.` };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Steps a person reads at a glance on a time axis. */
const STEPS = [
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];
export const MAX_TREND_BUCKETS = 48;

/** The trend's bucket width: the smallest round step giving at most 48 buckets (24–48 for most windows). */
export function trendStepMs(fromMs: number, toMs: number): number {
  const span = Math.max(toMs - fromMs, SECOND);
  const wanted = span / MAX_TREND_BUCKETS;
  return STEPS.find((step) => step >= wanted) ?? Math.ceil(wanted / DAY) * DAY;
}

/** The starts of the buckets covering [from, to), aligned to multiples of the step. */
export function trendBuckets(fromMs: number, toMs: number, stepMs: number): number[] {
  const starts: number[] = [];
  for (let start = Math.floor(fromMs / stepMs) * stepMs; start < toMs; start += stepMs) {
    starts.push(start);
  }
  return starts;
}
