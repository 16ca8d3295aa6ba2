import { PanelPlugin } from '@grafana/data';
import { DEFAULT_THRESHOLDS, EVAL_METRICS, formatMetric } from './evalScores';
import { EvalsPanel } from './EvalsPanel';
import type { EvalsOptions } from './types';

// No default values: an empty option takes the engine's threshold (the "Evals" query sends it), else the seed's.
export const plugin = new PanelPlugin<EvalsOptions>(EvalsPanel).setPanelOptions((builder) => {
  for (const metric of EVAL_METRICS) {
    const fallback = formatMetric(metric.unit, DEFAULT_THRESHOLDS[metric.id]);
    builder.addNumberInput({
      path: `thresholds.${metric.id}`,
      name: metric.title,
      description:
        (metric.unit === 'ms'
          ? `Milliseconds; the tile turns red ${metric.badWhen} this value.`
          : `A fraction between 0 and 1; the tile turns red ${metric.badWhen} this value.`) +
        ` When empty: the engine's threshold, else ${fallback}.`,
      category: ['Thresholds'],
    });
  }
  return builder;
});
