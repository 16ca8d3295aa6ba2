import { rankRootCauses } from '../../engine/src/reasoning/ranking/rankRootCauses.ts';
import { accuracy, calibration } from './accuracy.ts';
import type { Accuracy, Calibration } from './accuracy.ts';
import type { RcaCase } from './cases.ts';
import { loadNezhaCases } from './nezha.ts';
import { loadRcdCases } from './rcd.ts';

export type RcaFormat = 'rcd' | 'nezha';

export interface CaseResult {
  id: string;
  faultType: string;
  truth: string;
  ranking: string[];
  /** Confidence of the first service in the ranking. */
  confidence: number;
  /** Indicator of the first service's strongest metric. */
  indicator: string;
}

export interface RcaReport {
  format: RcaFormat;
  overall: Accuracy;
  byFaultType: Record<string, Accuracy>;
  /** Resource faults (CPU, memory, network, disk) against code-level ones (return values, exceptions). */
  byFaultClass: Record<string, Accuracy>;
  calibration: Calibration;
  /** Milliseconds per ranking, on average. */
  msPerCase: number;
  cases: CaseResult[];
}

/** podMetricsOnly leaves out per-edge latency (Nezha's source/destination tables), to measure the pod metrics alone. */
export function loadCases(format: RcaFormat, dataDir: string, { podMetricsOnly = false } = {}): RcaCase[] {
  return format === 'rcd'
    ? loadRcdCases(dataDir)
    : loadNezhaCases(dataDir, undefined, { edgeLatency: !podMetricsOnly });
}

/** Ranks every case with the real ranker and scores the rankings. */
export function evalRca(format: RcaFormat, cases: readonly RcaCase[]): RcaReport {
  const results: CaseResult[] = [];
  let elapsed = 0;
  for (const one of cases) {
    const started = performance.now();
    const ranked = rankRootCauses(one.input);
    elapsed += performance.now() - started;
    results.push({
      id: one.id,
      faultType: one.faultType,
      truth: one.truth,
      ranking: ranked.map((cause) => cause.service),
      confidence: ranked[0]?.confidence ?? 0,
      indicator: ranked[0]?.indicator ?? 'other',
    });
  }
  const byFaultType: Record<string, Accuracy> = {};
  for (const type of [...new Set(results.map((one) => one.faultType))].sort()) {
    byFaultType[type] = accuracy(results.filter((one) => one.faultType === type));
  }
  const byFaultClass: Record<string, Accuracy> = {};
  for (const faultClass of ['resource', 'code'] as const) {
    const members = results.filter((one) => faultClassOf(one.faultType) === faultClass);
    if (members.length > 0) {
      byFaultClass[faultClass] = accuracy(members);
    }
  }
  return {
    format,
    overall: accuracy(results),
    byFaultType,
    byFaultClass,
    calibration: calibration(
      results.map((one) => ({ confidence: one.confidence, correct: one.ranking[0] === one.truth }))
    ),
    msPerCase: results.length > 0 ? elapsed / results.length : 0,
    cases: results,
  };
}

/** The report as written to JSON: every score, and per case the truth, the ranking and its confidence. */
export function rcaJson({ overall, byFaultType, byFaultClass, calibration, cases }: RcaReport) {
  return {
    overall,
    byFaultType,
    byFaultClass,
    calibration,
    cases: cases.map(({ id, faultType, truth, ranking, confidence }) => ({ id, faultType, truth, ranking, confidence })),
  };
}

/** Faults that load or slow a resource (cpu_contention, mem, network_delay, disk) against code-level ones. */
export function faultClassOf(faultType: string): 'resource' | 'code' {
  // Whole words of the fault type: "exception" holds the letters "io" but is not an I/O fault.
  const words = faultType.toLowerCase().split(/[^a-z]+/);
  return words.some((word) => RESOURCE_WORDS.has(word)) ? 'resource' : 'code';
}

const RESOURCE_WORDS = new Set(['cpu', 'mem', 'memory', 'network', 'delay', 'loss', 'disk', 'io', 'latency']);
