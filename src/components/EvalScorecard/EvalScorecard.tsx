import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import {
  EVAL_METRICS,
  type EvalThresholds,
  type EvalTile,
  type EvalTrends,
  formatMetric,
  type TileStatus,
  type TrendPoint,
} from '../../panels/evals/evalScores';
import { EvalSparkline } from '../EvalSparkline/EvalSparkline';
import { testIds } from '../testIds';

interface Props {
  tiles: EvalTile[];
  trends: EvalTrends;
  thresholds: EvalThresholds;
  /** Larger tiles and sparklines on the Evals page than in a panel. */
  size: 'panel' | 'page';
}

const SPARKLINE = { panel: { width: 100, height: 20 }, page: { width: 180, height: 40 } };

export function statusColour(theme: GrafanaTheme2, status: TileStatus, part: 'main' | 'text'): string {
  if (status === 'good') {
    return theme.colors.success[part];
  }
  if (status === 'bad') {
    return theme.colors.error[part];
  }
  return part === 'text' ? theme.colors.text.secondary : theme.colors.border.medium;
}

function trendLabel(tile: EvalTile, points: TrendPoint[]): string {
  const unit = EVAL_METRICS.find((spec) => spec.id === tile.id)?.unit ?? 'ratio';
  const first = points[0];
  const last = points[points.length - 1];
  return first && last
    ? `${tile.title} trend: from ${formatMetric(unit, first.value)} to ${formatMetric(unit, last.value)} over ${points.length} points`
    : `${tile.title} trend`;
}

/** The scorecard: one tile per score, coloured by its threshold, with the rule and a sparkline of its trend. */
export function EvalScorecard({ tiles, trends, thresholds, size }: Props) {
  const styles = useStyles2(getStyles, size);
  const theme = useTheme2();
  return (
    <ul className={styles.tiles} aria-label="Eval scores">
      {tiles.map((tile) => {
        const state = tile.status === 'bad' ? 'failing' : tile.status === 'good' ? 'passing' : 'not measured';
        const points = trends[tile.id] ?? [];
        return (
          <li
            key={tile.id}
            className={styles.tile(tile.status)}
            data-testid={testIds.evalsPanel.tile}
            data-status={tile.status}
            aria-label={`${tile.title}: ${tile.display}, ${state} (${tile.rule})`}
          >
            <span className={styles.title}>{tile.title}</span>
            <span className={styles.value(tile.status)}>{tile.display}</span>
            <span className={styles.rule}>{tile.rule}</span>
            <EvalSparkline
              points={points}
              threshold={thresholds[tile.id]}
              colour={statusColour(theme, tile.status === 'unknown' ? 'unknown' : tile.status, 'text')}
              thresholdColour={theme.colors.text.disabled}
              label={trendLabel(tile, points)}
              {...SPARKLINE[size]}
            />
          </li>
        );
      })}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2, size: Props['size']) => ({
  tiles: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fill, minmax(${size === 'page' ? 190 : 120}px, 1fr))`,
    gap: theme.spacing(1),
  }),
  tile: (status: TileStatus) =>
    css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.25),
      padding: theme.spacing(size === 'page' ? 1 : 0.75),
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeft: `4px solid ${statusColour(theme, status, 'main')}`,
      borderRadius: theme.shape.radius.default,
      minWidth: 0,
      overflow: 'hidden',
      svg: { maxWidth: '100%' },
    }),
  title: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  value: (status: TileStatus) =>
    css({
      ...(size === 'page' ? theme.typography.h2 : theme.typography.h4),
      margin: 0,
      fontVariantNumeric: 'tabular-nums',
      color: statusColour(theme, status, 'text'),
    }),
  rule: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
  }),
});
