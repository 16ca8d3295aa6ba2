import {
  createDataFrame,
  type DataFrame,
  dateTimeFormat,
  FieldColorModeId,
  type FieldConfig,
  FieldType,
  type QueryResultMetaNotice,
} from '@grafana/data';
import type { AnomalySeries } from './anomalies';

const DAY_MS = 86_400_000;

/** How the onset reads: a clock time, with the date when the range is longer than a day. */
export function onsetText(onset: string, timeZone: string, rangeMs: number): string {
  return dateTimeFormat(onset, { timeZone, format: rangeMs > DAY_MS ? 'MMM D HH:mm' : 'HH:mm' });
}

/** The sentence a panel shows on an anomalous series: "anomalous since 10:02 (score 0.86, up)". */
export function anomalyNotice(series: AnomalySeries, timeZone: string, rangeMs: number): string {
  const since = series.onset ? ` since ${onsetText(series.onset, timeZone, rangeMs)}` : '';
  const direction = series.direction === 'none' ? '' : `, ${series.direction}`;
  return `${series.name}: anomalous${since} (score ${series.score.toFixed(2)}${direction})`;
}

/** Display names of the band's edges; fillBelowTo finds the lower edge by this name. */
export function bandNames(series: Pick<AnomalySeries, 'name'>): { lower: string; upper: string } {
  return { lower: `${series.name} (expected low)`, upper: `${series.name} (expected high)` };
}

// The band's edges draw no line and stay out of the legend; the tooltip still shows them.
function bandEdge(displayName: string, custom: Record<string, unknown>): FieldConfig {
  return {
    displayNameFromDS: displayName,
    color: { mode: FieldColorModeId.Fixed, fixedColor: 'text' },
    custom: {
      lineWidth: 0,
      showPoints: 'never',
      hideFrom: { legend: true, tooltip: false, viz: false },
      ...custom,
    },
  };
}

/** One series with its expected band: a time series panel fills between the band's edges. */
export function anomalyFrame(series: AnomalySeries, refId: string, timeZone: string, rangeMs: number): DataFrame {
  const names = bandNames(series);
  const notices: QueryResultMetaNotice[] = series.anomalous
    ? [{ severity: 'warning', text: anomalyNotice(series, timeZone, rangeMs) }]
    : [];
  return createDataFrame({
    refId,
    name: series.name,
    meta: {
      preferredVisualisationType: 'graph',
      notices,
      custom: {
        score: series.score,
        direction: series.direction,
        onset: series.onset,
        anomalous: series.anomalous,
      },
    },
    fields: [
      { name: 'time', type: FieldType.time, values: series.timestamps },
      {
        name: 'value',
        type: FieldType.number,
        values: series.values,
        labels: series.labels,
        config: {
          displayNameFromDS: series.name,
          description: `Anomaly score ${series.score.toFixed(2)}${series.direction === 'none' ? '' : `, ${series.direction}`}`,
        },
      },
      {
        name: 'lower',
        type: FieldType.number,
        values: series.lower,
        config: bandEdge(names.lower, { fillOpacity: 0 }),
      },
      {
        name: 'upper',
        type: FieldType.number,
        values: series.upper,
        config: bandEdge(names.upper, { fillOpacity: 15, fillBelowTo: names.lower }),
      },
    ],
  });
}

/** Every series of the answer, anomalous ones first, then by score. */
export function anomalyFrames(series: AnomalySeries[], refId: string, timeZone: string, rangeMs: number): DataFrame[] {
  return [...series]
    .sort((a, b) => Number(b.anomalous) - Number(a.anomalous) || b.score - a.score)
    .map((one) => anomalyFrame(one, refId, timeZone, rangeMs));
}
