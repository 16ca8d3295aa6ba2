import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import {
  type EvalTile,
  evalScoresFromFrames,
  evalTiles,
  evalVerdict,
  resolveThresholds,
  type TileStatus,
} from './evalScores';
import type { EvalsOptions } from './types';

export function EvalsPanel({ data, options }: PanelProps<EvalsOptions>) {
  const styles = useStyles2(getStyles);
  const tiles = useMemo(
    () => evalTiles(evalScoresFromFrames(data.series), resolveThresholds(options.thresholds)),
    [data.series, options.thresholds]
  );
  const verdict = evalVerdict(tiles);

  if (verdict.status === 'unknown') {
    return (
      <PanelEmptyState title="No eval results in this data" testId={testIds.evalsPanel.empty}>
        Query the eval metrics as rows of <code>metric</code> and <code>value</code>, or as columns named{' '}
        <code>p95_latency_ms</code>, <code>error_rate</code>, <code>ttft_ms</code>, <code>retrieval_hit_rate</code>,{' '}
        <code>hallucination_rate</code> and <code>accuracy</code> (rates between 0 and 1).
      </PanelEmptyState>
    );
  }

  return (
    <PanelFrame testId={testIds.evalsPanel.container} gap={1}>
      <p className={styles.verdict(verdict.status)} data-testid={testIds.evalsPanel.verdict} role="status">
        <span aria-hidden="true">{verdict.status === 'good' ? '✓' : '!'}</span>
        <span>{verdict.sentences.join('. ')}.</span>
      </p>
      <ul className={styles.tiles} aria-label="Eval scores">
        {tiles.map((tile) => (
          <Tile key={tile.id} tile={tile} />
        ))}
      </ul>
    </PanelFrame>
  );
}

function Tile({ tile }: { tile: EvalTile }) {
  const styles = useStyles2(getStyles);
  const state = tile.status === 'bad' ? 'failing' : tile.status === 'good' ? 'passing' : 'not measured';
  return (
    <li
      className={styles.tile(tile.status)}
      data-testid={testIds.evalsPanel.tile}
      data-status={tile.status}
      aria-label={`${tile.title}: ${tile.display}, ${state} (${tile.rule})`}
    >
      <span className={styles.title}>{tile.title}</span>
      <span className={styles.value(tile.status)}>{tile.display}</span>
      <span className={styles.rule}>{tile.rule}</span>
    </li>
  );
}

function statusColour(theme: GrafanaTheme2, status: TileStatus, part: 'main' | 'text'): string {
  if (status === 'good') {
    return theme.colors.success[part];
  }
  if (status === 'bad') {
    return theme.colors.error[part];
  }
  return part === 'text' ? theme.colors.text.secondary : theme.colors.border.medium;
}

const getStyles = (theme: GrafanaTheme2) => ({
  verdict: (status: TileStatus) =>
    css({
      margin: 0,
      display: 'flex',
      gap: theme.spacing(1),
      alignItems: 'baseline',
      fontWeight: theme.typography.fontWeightMedium,
      color: statusColour(theme, status, 'text'),
    }),
  tiles: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))',
    gap: theme.spacing(1),
  }),
  tile: (status: TileStatus) =>
    css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.25),
      padding: theme.spacing(1),
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeft: `4px solid ${statusColour(theme, status, 'main')}`,
      borderRadius: theme.shape.radius.default,
      minWidth: 0,
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
      ...theme.typography.h3,
      margin: 0,
      fontVariantNumeric: 'tabular-nums',
      color: status === 'unknown' ? theme.colors.text.disabled : statusColour(theme, status, 'text'),
    }),
  rule: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
  }),
});
