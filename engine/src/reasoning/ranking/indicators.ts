/** What a metric measures, as far as root-cause ranking cares. */
export type Indicator = 'cpu' | 'memory' | 'latency' | 'errors' | 'traffic' | 'network' | 'io' | 'other';

export const INDICATORS: readonly Indicator[] = [
  'cpu',
  'memory',
  'latency',
  'errors',
  'traffic',
  'network',
  'io',
  'other',
];

/** Which way a deviation means trouble: a CPU hog goes up, a success rate goes down, traffic may do either. */
export type BadDirection = 'up' | 'down' | 'both';

// First match wins, so the more specific words come first (`NodeNetworkReceiveBytes` is network, `SyscallRead` io).
const PATTERNS: ReadonlyArray<[Indicator, RegExp]> = [
  ['errors', /error|fail|fault|exception|success|availability|5xx|4xx|status_?code/],
  [
    'latency',
    /latency|duration|response_?time|elapsed|_lat(_|$)|(^|_)lat(_|$)|p50|p90|p95|p99|_ms$|seconds_(bucket|sum)/,
  ],
  ['cpu', /cpu|throttl/],
  ['memory', /mem|rss|heap|oom|working_?set|swap/],
  ['network', /network|net_|_net|receive|transmit|_rx|_tx|tcp|packet|bandwidth|socket/],
  ['io', /syscall|disk|(^|_)io|_fs|read|write|iops/],
  ['traffic', /workload|(^|_)lod(_|$)|load|qps|rps|requests?|throughput|ops|calls|rate_total|_total$|count/],
];

/** The indicator a metric name points at, from the words it contains; `other` when none match. */
export function indicatorOf(name: string): Indicator {
  const lower = name.toLowerCase();
  // Host-level series (node_exporter's node_*, a pod row's Node* columns) describe the machine, not the service.
  if (/^(node|host|machine)/.test(lower)) {
    return 'other';
  }
  for (const [indicator, pattern] of PATTERNS) {
    if (pattern.test(lower)) {
      return indicator;
    }
  }
  return 'other';
}

/** The direction of trouble for a metric: success/availability ratios fall, resources and latency rise. */
export function badDirectionOf(name: string, indicator: Indicator): BadDirection {
  switch (indicator) {
    case 'errors':
      return /success|availability|(^|_)ok(_|$)/.test(name.toLowerCase()) ? 'down' : 'up';
    case 'cpu':
    case 'memory':
    case 'latency':
      return 'up';
    default:
      // Traffic, network and io drop when a service stalls and climb when it is flooded.
      return 'both';
  }
}

/**
 * How much a deviation of this kind says "the cause is here" rather than "the effect reached here". Resource
 * saturation is local to a service; latency, errors and traffic travel along calls, so they are weaker evidence of
 * the cause on their own (graph propagation below decides where they came from).
 */
export const INDICATOR_WEIGHT: Readonly<Record<Indicator, number>> = {
  cpu: 1,
  memory: 1,
  network: 1,
  io: 0.8,
  errors: 0.7,
  latency: 0.6,
  traffic: 0.5,
  other: 0.5,
};

/** Indicators that spread from a callee to its callers (slow or failing calls make the caller slow or failing). */
export function propagatesToCallers(indicator: Indicator): boolean {
  return indicator === 'latency' || indicator === 'errors';
}

/** Indicators that spread from a caller to its callees (a stalled caller sends fewer requests downstream). */
export function propagatesToCallees(indicator: Indicator): boolean {
  return indicator === 'traffic' || indicator === 'network' || indicator === 'io';
}

/** Latency measured at the caller (client side, outbound): it rises when a callee or the network to it is slow. */
export function isClientSide(name: string): boolean {
  return /client|outbound|reporter_?=?\W*source/.test(name.toLowerCase());
}
