import React, { type KeyboardEvent, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { kindColour } from '../shared/kindColour';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import { describeSpan, formatDuration, type SpanKind, type WaterfallSpan, waterfallFromFrames } from './agentTrace';
import type { AgentTraceOptions } from './types';

const KIND_COLOURS: Record<Exclude<SpanKind, 'other'>, string> = {
  perception: 'blue',
  retrieval: 'purple',
  llm: 'orange',
  tool: 'green',
  action: 'yellow',
};

const KIND_LABELS: Record<SpanKind, string> = {
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

export function AgentTracePanel({ data, options }: PanelProps<AgentTraceOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const waterfall = useMemo(() => waterfallFromFrames(data.series), [data.series]);
  const [selectedId, setSelectedId] = useState<string>();

  if (!waterfall) {
    return (
      <PanelEmptyState title="No agent run in this data" testId={testIds.agentTracePanel.empty}>
        Query a trace-like frame with one row per span: <code>spanID</code>, <code>parentSpanID</code>,{' '}
        <code>operationName</code>, <code>startTime</code> (ms), <code>duration</code> (ms) and <code>kind</code>{' '}
        (perception, retrieval, llm, tool or action); optional <code>serviceName</code>, <code>tokens</code> and{' '}
        <code>ttft</code>.
      </PanelEmptyState>
    );
  }

  const selected = waterfall.spans.find((span) => span.spanId === selectedId);

  return (
    <PanelFrame testId={testIds.agentTracePanel.container} gap={0.5}>
      <div className={styles.header}>
        <span>
          {waterfall.spans.length} spans · {formatDuration(waterfall.totalMs)}
          {waterfall.traceId && <span className={styles.traceId}> · trace {waterfall.traceId}</span>}
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
            showService={options.showService}
            onSelect={() => setSelectedId(span.spanId === selectedId ? undefined : span.spanId)}
          />
        ))}
      </ul>
      {selected && <SpanDetails span={selected} />}
    </PanelFrame>
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
          <span className={styles.operation}>{span.operation}</span>
          {showService && span.service && <span className={styles.service}>{span.service}</span>}
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
        <span className={styles.latency}>{latency}</span>
      </button>
    </li>
  );
}

function SpanDetails({ span }: { span: WaterfallSpan }) {
  const styles = useStyles2(getStyles);
  const rows: Array<[string, string | undefined]> = [
    ['Operation', span.operation],
    ['Kind', KIND_LABELS[span.kind]],
    ['Service', span.service],
    ['Starts at', `+${formatDuration(span.offsetMs)}`],
    ['Duration', formatDuration(span.durationMs)],
    ['Tokens', span.tokens?.toString()],
    ['Time to first token', span.ttftMs !== undefined ? formatDuration(span.ttftMs) : undefined],
    ['Span ID', span.spanId],
  ];
  return (
    <dl className={styles.details} data-testid={testIds.agentTracePanel.details} aria-live="polite">
      {rows
        .filter((row): row is [string, string] => row[1] !== undefined)
        .map(([term, value]) => (
          <React.Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
    </dl>
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
  traceId: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: '0.9em',
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
  }),
  name: css({
    ...theme.typography.bodySmall,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
  }),
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
  details: css({
    ...theme.typography.bodySmall,
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.25, 1),
    margin: 0,
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    dt: {
      color: theme.colors.text.secondary,
    },
    dd: {
      margin: 0,
      overflowWrap: 'anywhere',
    },
  }),
});
