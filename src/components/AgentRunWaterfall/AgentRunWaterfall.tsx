import React, { type KeyboardEvent, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import {
  describeSpan,
  formatDuration,
  type SpanKind,
  type Waterfall,
  type WaterfallSpan,
} from '../../panels/agenttrace/agentTrace';
import { kindColour } from '../../panels/shared/kindColour';
import { testIds } from '../testIds';
import { SpanDetails } from './SpanDetails';

const KIND_COLOURS: Record<Exclude<SpanKind, 'other'>, string> = {
  perception: 'blue',
  retrieval: 'purple',
  llm: 'orange',
  tool: 'green',
  action: 'yellow',
};

export const KIND_LABELS: Record<SpanKind, string> = {
  perception: 'perception',
  retrieval: 'retrieval',
  llm: 'LLM',
  tool: 'tool',
  action: 'action',
  other: 'other',
};

function spanColour(theme: GrafanaTheme2, kind: SpanKind): string {
  return kindColour(theme, KIND_COLOURS, kind, theme.colors.text.secondary);
}

// Arrow keys move between rows like in Grafana's trace view; Tab leaves the list.
function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
    return;
  }
  const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-span-row]'));
  const index = buttons.findIndex((button) => button === document.activeElement);
  const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

interface Props {
  waterfall: Waterfall;
  /** The service name beside each operation; off for narrow panels. */
  showService: boolean;
  /** Explore on Tempo with the run's trace, when a Tempo datasource is known. */
  tempoUrl?: string;
  /** Links after the trace summary (the run's investigation). */
  links?: React.ReactNode;
}

/** One agent run as a waterfall of its spans, coloured by kind; a span opens its attributes and events below. */
export function AgentRunWaterfall({ waterfall, showService, tempoUrl, links }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const [selectedId, setSelectedId] = useState<string>();
  const selected = waterfall.spans.find((span) => span.spanId === selectedId);

  return (
    <>
      <div className={styles.header}>
        <span className={styles.summary}>
          <span>
            {waterfall.spans.length} spans · {formatDuration(waterfall.totalMs)}
            {waterfall.traceId && <span className={styles.traceId}> · trace {waterfall.traceId}</span>}
          </span>
          {tempoUrl && (
            <a href={tempoUrl} className={styles.link} data-testid={testIds.agentTracePanel.tempoLink}>
              <Icon name="external-link-alt" size="sm" /> View in Tempo
            </a>
          )}
          {links}
        </span>
        <ul className={styles.legend} aria-label="Span kinds">
          {waterfall.kinds.map((kind) => (
            <li key={kind} className={styles.legendItem}>
              <span className={styles.swatch} style={{ background: spanColour(theme, kind) }} />
              {KIND_LABELS[kind]}
            </li>
          ))}
        </ul>
      </div>
      <ul className={styles.rows} aria-label="Spans of the agent run" onKeyDown={moveFocus}>
        {waterfall.spans.map((span) => (
          <SpanRow
            key={span.spanId}
            span={span}
            colour={spanColour(theme, span.kind)}
            selected={span.spanId === selectedId}
            showService={showService}
            onSelect={() => setSelectedId(span.spanId === selectedId ? undefined : span.spanId)}
          />
        ))}
      </ul>
      {selected && <SpanDetails span={selected} kindLabel={KIND_LABELS[selected.kind]} />}
    </>
  );
}

interface SpanRowProps {
  span: WaterfallSpan;
  colour: string;
  selected: boolean;
  showService: boolean;
  onSelect: () => void;
}

function SpanRow({ span, colour, selected, showService, onSelect }: SpanRowProps) {
  const styles = useStyles2(getStyles);
  const latency = [formatDuration(span.durationMs), span.tokens !== undefined ? `${span.tokens} tok` : undefined]
    .filter(Boolean)
    .join(' · ');
  return (
    <li>
      <button
        type="button"
        data-span-row
        className={styles.row}
        aria-pressed={selected}
        aria-label={describeSpan(span)}
        title={describeSpan(span)}
        onClick={onSelect}
        data-testid={testIds.agentTracePanel.row}
      >
        <span className={styles.name} style={{ paddingLeft: `${span.depth * 12}px` }}>
          <span className={styles.swatch} style={{ background: colour }} />
          {span.status === 'error' && <Icon name="exclamation-triangle" size="xs" className={styles.error} />}
          <span className={styles.operation}>{span.operation}</span>
          {showService && span.service && (
            <span className={styles.service} data-secondary>
              {span.service}
            </span>
          )}
        </span>
        <span className={styles.track}>
          <span
            className={styles.bar}
            style={{ left: `${span.leftPercent}%`, width: `${span.widthPercent}%`, background: colour }}
          >
            {span.ttftPercent !== undefined && (
              <span className={styles.ttft} style={{ left: `${span.ttftPercent}%` }} aria-hidden="true" />
            )}
          </span>
        </span>
        <span className={styles.latency} data-secondary>
          {latency}
        </span>
      </button>
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    ...theme.typography.bodySmall,
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    color: theme.colors.text.secondary,
  }),
  summary: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(0, 1.5),
  }),
  traceId: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: '0.9em',
  }),
  link: css({
    color: theme.colors.text.link,
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    '&:hover': { textDecoration: 'underline' },
  }),
  legend: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  }),
  legendItem: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
  swatch: css({
    display: 'inline-block',
    flexShrink: 0,
    width: 8,
    height: 8,
    borderRadius: theme.shape.radius.default,
  }),
  rows: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
  }),
  row: css({
    all: 'unset',
    boxSizing: 'border-box',
    width: '100%',
    display: 'grid',
    // Fixed outer columns keep every row's track at the same x, as a waterfall needs.
    gridTemplateColumns: 'minmax(100px, 35%) 1fr 9.5em',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0.5),
    cursor: 'pointer',
    borderRadius: theme.shape.radius.default,
    '&:hover': {
      background: theme.colors.action.hover,
    },
    '&:focus-visible': {
      outline: `2px solid ${theme.colors.primary.main}`,
      outlineOffset: -2,
    },
    '&[aria-pressed="true"]': {
      background: theme.colors.action.selected,
    },
    // Secondary text keeps its contrast on the hover and selection backgrounds only in the primary colour.
    '&:hover [data-secondary], &[aria-pressed="true"] [data-secondary]': {
      color: theme.colors.text.primary,
    },
  }),
  name: css({
    ...theme.typography.bodySmall,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
  }),
  error: css({ color: theme.colors.error.text, flexShrink: 0 }),
  operation: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  service: css({
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  track: css({
    position: 'relative',
    height: 12,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  bar: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    borderRadius: theme.shape.radius.default,
  }),
  ttft: css({
    position: 'absolute',
    top: -2,
    bottom: -2,
    width: 2,
    background: theme.colors.text.primary,
  }),
  latency: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
