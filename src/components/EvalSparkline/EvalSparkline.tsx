import React from 'react';
import type { TrendPoint } from '../../panels/evals/evalScores';
import { testIds } from '../testIds';

interface Props {
  points: TrendPoint[];
  /** Drawn as a dashed line when it falls inside the trend's range. */
  threshold?: number;
  colour: string;
  thresholdColour: string;
  width: number;
  height: number;
  /** What the trend shows, for screen readers: "P95 latency from 2.10 s to 3.50 s over 12 points". */
  label: string;
}

// A line needs some height even when every value is the same.
const FLAT_SPAN = 1e-9;

/** A small line of a score over time, with its threshold, sized to fit a tile. */
export function EvalSparkline({ points, threshold, colour, thresholdColour, width, height, label }: Props) {
  if (points.length < 2) {
    return null;
  }
  const values = points.map((point) => point.value);
  const withThreshold = threshold === undefined ? values : [...values, threshold];
  const min = Math.min(...withThreshold);
  const max = Math.max(...withThreshold);
  const span = Math.max(max - min, FLAT_SPAN);
  const first = points[0]?.time ?? 0;
  const last = points[points.length - 1]?.time ?? first;
  const x = (time: number) => (last > first ? ((time - first) / (last - first)) * (width - 2) + 1 : width / 2);
  const y = (value: number) => height - 1 - ((value - min) / span) * (height - 2);
  const line = points.map((point) => `${x(point.time).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testIds.evalsPanel.sparkline}
    >
      {threshold !== undefined && (
        <line
          x1={0}
          x2={width}
          y1={y(threshold)}
          y2={y(threshold)}
          stroke={thresholdColour}
          strokeDasharray="3 3"
          strokeWidth={1}
        />
      )}
      <polyline points={line} fill="none" stroke={colour} strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}
