import React, { useEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

/** Pixels per line: the gutter, the error band and the text area share it so line N is at the same height in each. */
const LINE_HEIGHT = 20;
const PADDING = 8;

interface Props {
  /** The text area's id: a <label htmlFor> names it. */
  id: string;
  value: string;
  onChange: (text: string) => void;
  readOnly: boolean;
  /** The line the engine's message names: marked in the gutter, and selected and scrolled to when it changes. */
  errorLine?: number;
  /** The id of the text describing the error, for screen readers. */
  describedBy?: string;
}

/** The top of the text area's scroll that puts `line` a third of the way down. */
export function scrollTopFor(line: number, height: number): number {
  return Math.max(0, PADDING + (line - 1) * LINE_HEIGHT - height / 3);
}

/** Where line `line` (1-based) starts and ends in `text`. */
export function lineRange(text: string, line: number): [number, number] {
  const lines = text.split('\n');
  const index = Math.min(Math.max(line, 1), lines.length) - 1;
  const start = lines.slice(0, index).reduce((sum, current) => sum + current.length + 1, 0);
  return [start, start + (lines[index]?.length ?? 0)];
}

/**
 * A monospace text area with line numbers: Grafana's Monaco-based CodeEditor needs Grafana's Monaco loader, which
 * neither jest nor the browser harness has, and a text area reads the same with a keyboard and a screen reader.
 */
export function YamlEditor({ id, value, onChange, readOnly, errorLine, describedBy }: Props) {
  const styles = useStyles2(getStyles);
  const area = useRef<HTMLTextAreaElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const lineCount = value.split('\n').length;

  useEffect(() => {
    const element = area.current;
    if (errorLine === undefined || element === null) {
      return;
    }
    const [start, end] = lineRange(element.value, errorLine);
    element.focus();
    element.setSelectionRange(start, end);
    element.scrollTop = scrollTopFor(errorLine, element.clientHeight);
    setScrollTop(element.scrollTop);
  }, [errorLine]);

  return (
    <div className={styles.frame}>
      <div className={styles.gutter} aria-hidden data-testid={testIds.workflows.gutter}>
        <div style={{ transform: `translateY(${-scrollTop}px)` }}>
          {Array.from({ length: lineCount }, (_, index) => (
            <div
              key={index}
              className={cx(styles.number, index + 1 === errorLine && styles.errorNumber)}
              data-testid={index + 1 === errorLine ? testIds.workflows.errorLine : undefined}
            >
              {index + 1}
            </div>
          ))}
        </div>
      </div>
      <div className={styles.body}>
        {errorLine !== undefined && errorLine <= lineCount && (
          <div
            className={styles.band}
            style={{ top: PADDING + (errorLine - 1) * LINE_HEIGHT - scrollTop }}
            aria-hidden
          />
        )}
        <textarea
          id={id}
          ref={area}
          aria-invalid={errorLine !== undefined}
          aria-describedby={describedBy}
          className={styles.text}
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          rows={Math.min(Math.max(lineCount + 1, 12), 32)}
          onChange={(event) => onChange(event.currentTarget.value)}
          onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
          data-testid={testIds.workflows.text}
        />
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  const code = {
    fontFamily: theme.typography.code.fontFamily,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: `${LINE_HEIGHT}px`,
  };
  return {
    frame: css({
      display: 'flex',
      border: `1px solid ${theme.components.input.borderColor}`,
      borderRadius: theme.shape.radius.default,
      background: theme.components.input.background,
      overflow: 'hidden',
      '&:focus-within': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 1 },
    }),
    gutter: css({
      ...code,
      flex: '0 0 auto',
      minWidth: theme.spacing(5),
      padding: `${PADDING}px ${theme.spacing(1)}`,
      textAlign: 'right',
      color: theme.colors.text.secondary,
      background: theme.colors.background.secondary,
      borderRight: `1px solid ${theme.colors.border.weak}`,
      overflow: 'hidden',
      userSelect: 'none',
    }),
    number: css({ height: LINE_HEIGHT }),
    errorNumber: css({
      color: theme.colors.error.contrastText,
      fontWeight: theme.typography.fontWeightBold,
      background: theme.colors.error.main,
    }),
    body: css({ position: 'relative', flex: '1 1 auto', minWidth: 0 }),
    band: css({
      position: 'absolute',
      left: 0,
      right: 0,
      height: LINE_HEIGHT,
      background: theme.colors.error.transparent,
      pointerEvents: 'none',
    }),
    text: css({
      ...code,
      position: 'relative',
      display: 'block',
      width: '100%',
      padding: `${PADDING}px ${theme.spacing(1)}`,
      border: 'none',
      outline: 'none',
      resize: 'vertical',
      whiteSpace: 'pre',
      overflowX: 'auto',
      color: theme.colors.text.primary,
      background: 'transparent',
      tabSize: 2,
    }),
  };
}
