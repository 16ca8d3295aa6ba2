import type { Alert } from '../types.ts';

// Labels that say little about which problem an alert belongs to: shared by most alerts of a site.
const GENERIC_LABELS = new Set([
  'alertname', 'severity', 'priority', 'env', 'environment', 'cluster', 'region', 'zone', 'datacenter', 'dc',
  'prometheus', 'receiver', 'team', 'owner', 'tier', 'monitor', 'replica', '__name__', 'alertstate', 'grafana_folder',
]);

const STOPWORDS = new Set([
  'the', 'and', 'for', 'are', 'was', 'has', 'have', 'with', 'from', 'this', 'that', 'than', 'over', 'under', 'into',
  'not', 'too', 'alert', 'alerts', 'firing', 'is', 'on', 'of', 'in', 'at', 'to', 'by', 'been', 'more', 'less',
]);

// Labels that name the machine or workload an alert is about.
const TARGET_LABELS = ['instance', 'host', 'hostname', 'node', 'pod'];

/** What the alert is about (host, instance, pod), as "label=value"; undefined when no label says. */
export function targetOf(labels: Record<string, string>): string | undefined {
  const key = TARGET_LABELS.find((name) => labels[name] !== undefined && labels[name] !== '');
  return key === undefined ? undefined : `${key}=${labels[key]}`;
}

/** The k=v pairs of an alert's labels that can tell one problem from another. */
export function informativeLabels(labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .filter(([key, value]) => !GENERIC_LABELS.has(key) && value !== '')
    .map(([key, value]) => `${key}=${value}`);
}

/** Words of the title and summary, without numbers, ids and filler, so that two phrasings can be compared. */
export function textTokens(alert: Pick<Alert, 'title' | 'annotations'>): string[] {
  const text = `${alert.title} ${alert.annotations.summary ?? ''}`.toLowerCase();
  const tokens = new Set<string>();
  for (const word of text.split(/[^a-z0-9]+/)) {
    if (word.length >= 3 && !/\d/.test(word) && !STOPWORDS.has(word)) {
      tokens.add(word);
    }
  }
  return [...tokens];
}

export function jaccard(a: readonly string[], b: readonly string[]): { score: number; shared: number } {
  if (a.length === 0 || b.length === 0) {
    return { score: 0, shared: 0 };
  }
  const set = new Set(a);
  let shared = 0;
  for (const item of b) {
    if (set.has(item)) {
      shared++;
    }
  }
  return { score: shared / (a.length + b.length - shared), shared };
}
