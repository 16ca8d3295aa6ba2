import type { DependencyGraph } from '../../../context/dependencyGraph.ts';
import type { Alert } from '../types.ts';
import type { GroupingConfig } from './config.ts';
import { jaccard } from './similarity.ts';

export type GroupingRule = 'same-alert' | 'same-service' | 'topology' | 'labels' | 'text';

/** Why an alert joined its incident: the rule, its strength, and the alert it was linked to. */
export interface JoinReason {
  rule: GroupingRule;
  score: number;
  /** The key of the earlier alert this one was linked to. */
  peer: string;
  detail: string;
}

/** An alert with what grouping compares, computed once. */
export interface Entry {
  key: string;
  alert: Alert;
  time: number;
  labels: string[];
  tokens: string[];
  target: string | undefined;
}

/** Total order of alerts: by start time, then key, so that the result never depends on arrival order. */
export function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.key < b.key);
}

const minutes = (ms: number) => `${Math.round(ms / 6000) / 10}m`;

/**
 * Whether `child` belongs with the earlier alert `parent`, and how strongly. Depends on the pair alone
 * (never on other alerts or arrival order), which is what makes grouping order-independent.
 */
export function link(child: Entry, parent: Entry, graph: DependencyGraph, config: GroupingConfig): JoinReason | undefined {
  const gap = child.time - parent.time;
  const a = child.alert;
  const b = parent.alert;
  if (a.fingerprint === b.fingerprint) {
    return gap <= config.flapWindowMs
      ? { rule: 'same-alert', score: 1, peer: parent.key, detail: `the same alert fired again ${minutes(gap)} after ${parent.key}` }
      : undefined;
  }
  if (gap > config.windowMs) {
    return undefined;
  }
  if (a.service !== undefined && a.service === b.service) {
    return { rule: 'same-service', score: 0.9, peer: parent.key, detail: `same service ${a.service}` };
  }
  const bothInGraph = a.service !== undefined && b.service !== undefined && graph.has(a.service) && graph.has(b.service);
  if (bothInGraph && a.service !== undefined && b.service !== undefined) {
    // Known services that the graph does not relate are separate problems, however alike their alerts read.
    return topology(a.service, b.service, parent.key, graph);
  }
  if (child.target !== undefined && child.target === parent.target) {
    return { rule: 'labels', score: 0.75, peer: parent.key, detail: `same target ${child.target}` };
  }
  const labels = jaccard(child.labels, parent.labels);
  if (labels.shared >= 2 && labels.score >= config.labelSimilarity) {
    return { rule: 'labels', score: 0.5 + 0.2 * labels.score, peer: parent.key, detail: `${labels.shared} shared labels (similarity ${labels.score.toFixed(2)})` };
  }
  // The same words about two different hosts are two problems of one kind, not one problem.
  const differentTargets = child.target !== undefined && parent.target !== undefined;
  const text = jaccard(child.tokens, parent.tokens);
  if (!differentTargets && text.score >= config.textSimilarity) {
    return { rule: 'text', score: 0.4 + 0.2 * text.score, peer: parent.key, detail: `similar title (similarity ${text.score.toFixed(2)})` };
  }
  return undefined;
}

function topology(service: string, other: string, peer: string, graph: DependencyGraph): JoinReason | undefined {
  const relation = graph.relation(service, other);
  if (relation === undefined) {
    return undefined;
  }
  switch (relation.kind) {
    case 'downstream':
      return { rule: 'topology', score: 0.8 - 0.05 * (relation.hops - 1), peer, detail: `${service} depends on ${other} (${relation.hops} hop${relation.hops > 1 ? 's' : ''})` };
    case 'upstream':
      return { rule: 'topology', score: 0.7 - 0.05 * (relation.hops - 1), peer, detail: `${other} depends on ${service} (${relation.hops} hop${relation.hops > 1 ? 's' : ''})` };
    case 'sibling':
      return { rule: 'topology', score: 0.6, peer, detail: `${service} and ${other} depend on a common service` };
  }
}
