import type { ScoredSignal } from '../../perception/metrics/metricEvidence.ts';
import type { SignalQuery } from '../../perception/metrics/goldenSignals.ts';
import { indicatorOf } from '../ranking/indicators.ts';
import type { Indicator } from '../ranking/indicators.ts';
import type { RankingSeries } from '../ranking/rankRootCauses.ts';

/** What a golden-signal query measures, as the ranker weighs it: saturation is CPU or memory by its unit. */
export function indicatorOfSignal(query: SignalQuery): Indicator {
  switch (query.signal) {
    case 'latency':
    case 'errors':
    case 'traffic':
      return query.signal;
    case 'saturation':
      return query.unit === 'cores' ? 'cpu' : query.unit === 'bytes' ? 'memory' : indicatorOf(query.name);
  }
}

/** The golden-signal series perception read, as the ranker takes them: baseline values, then the incident's on its step. */
export function rankingSeriesOf(signals: readonly ScoredSignal[]): RankingSeries[] {
  return signals.map(({ service, query, scored }) => {
    const labels = Object.entries(scored.labels)
      // The service label says what the name already does; other labels (an instance) tell series apart.
      .filter(([key, value]) => key !== '__name__' && value !== service)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    return {
      service,
      name: labels === '' ? query.name : `${query.name}{${labels}}`,
      indicator: indicatorOfSignal(query),
      baseline: scored.baseline,
      anomalous: scored.result.values.map((value) => value ?? Number.NaN),
    };
  });
}
