import { PanelPlugin } from '@grafana/data';
import { DEFAULT_THRESHOLDS, EVAL_METRICS } from './evalScores';
import { EvalsPanel } from './EvalsPanel';
import type { EvalsOptions } from './types';

export const plugin = new PanelPlugin<EvalsOptions>(EvalsPanel).setPanelOptions((builder) => {
  for (const metric of EVAL_METRICS) {
    builder.addNumberInput({
      path: `thresholds.${metric.id}`,
      name: metric.title,
      description:
        metric.unit === 'ms'
          ? `Milliseconds; the tile turns red ${metric.badWhen} this value`
          : `A fraction between 0 and 1; the tile turns red ${metric.badWhen} this value`,
      category: ['Thresholds'],
      defaultValue: DEFAULT_THRESHOLDS[metric.id],
    });
  }
  return builder;
});
