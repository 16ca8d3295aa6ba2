import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { formatDuration, type SpanField, type WaterfallSpan } from '../../panels/agenttrace/agentTrace';
import { testIds } from '../testIds';

// Longer values (prompts, completions, tool output) get their own scrolling block.
const LONG_VALUE_CHARS = 80;

function isLong(value: string): boolean {
  return value.length > LONG_VALUE_CHARS || value.includes('\n');
}

/** JSON (messages, tool arguments and results) indented to be read; anything else as it is. */
export function readableValue(value: string): string {
  if (!/^\s*[[{]/.test(value)) {
    return value;
  }
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** The span's figures, attributes and events (prompt and completion, tool input and output), redacted by the engine. */
export function SpanDetails({ span, kindLabel }: { span: WaterfallSpan; kindLabel: string }) {
  const styles = useStyles2(getStyles);
  const rows: Array<[string, string | undefined]> = [
    ['Operation', span.operation],
    ['Kind', kindLabel],
    ['Service', span.service],
    ['Starts at', `+${formatDuration(span.offsetMs)}`],
    ['Duration', formatDuration(span.durationMs)],
    ['Tokens', span.tokens?.toString()],
    ['Time to first token', span.ttftMs !== undefined ? formatDuration(span.ttftMs) : undefined],
    ['Status', span.status === 'error' ? `error${span.statusMessage ? `: ${span.statusMessage}` : ''}` : undefined],
    ['Span ID', span.spanId],
  ];
  return (
    <section
      className={styles.details}
      data-testid={testIds.agentTracePanel.details}
      aria-label={`Details of ${span.operation}`}
      aria-live="polite"
    >
      <dl className={styles.list}>
        {rows
          .filter((row): row is [string, string] => row[1] !== undefined)
          .map(([term, value]) => (
            <React.Fragment key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </React.Fragment>
          ))}
      </dl>
      {span.attributes.length > 0 && (
        <div data-testid={testIds.agentTracePanel.attributes}>
          <h4 className={styles.heading}>Attributes</h4>
          <Fields fields={span.attributes} />
        </div>
      )}
      {span.events.map((event, index) => (
        <div key={`${event.name}-${index}`} data-testid={testIds.agentTracePanel.event}>
          <h4 className={styles.heading}>
            {event.name}
            {event.offsetMs !== undefined && (
              <span className={styles.offset}> at +{formatDuration(Math.max(0, event.offsetMs))}</span>
            )}
          </h4>
          <Fields fields={event.fields} />
        </div>
      ))}
    </section>
  );
}

function Fields({ fields }: { fields: SpanField[] }) {
  const styles = useStyles2(getStyles);
  return (
    <dl className={styles.list}>
      {fields.map((field) => (
        <React.Fragment key={field.key}>
          <dt className={styles.key}>{field.key}</dt>
          <dd>
            {isLong(field.value) ? (
              <pre className={styles.pre} tabIndex={0}>
                {readableValue(field.value)}
              </pre>
            ) : (
              field.value
            )}
          </dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  details: css({
    ...theme.typography.bodySmall,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  list: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(max-content, 12em) 1fr',
    gap: theme.spacing(0.25, 1),
    margin: 0,
    dt: {
      color: theme.colors.text.secondary,
    },
    dd: {
      margin: 0,
      overflowWrap: 'anywhere',
      minWidth: 0,
    },
  }),
  key: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  heading: css({
    ...theme.typography.bodySmall,
    fontWeight: theme.typography.fontWeightMedium,
    margin: theme.spacing(0, 0, 0.5),
  }),
  offset: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
  pre: css({
    margin: 0,
    maxHeight: 160,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    fontSize: 'inherit',
    padding: theme.spacing(0.5),
  }),
});
