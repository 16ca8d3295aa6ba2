import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  testId: string;
  /** Space between the frame's children, in theme spacing units. */
  gap: number;
  className?: string;
  children: React.ReactNode;
}

/** A panel's outer box: fills the panel, scrolls when the content is taller, stacks its children. */
export function PanelFrame({ testId, gap, className, children }: Props) {
  const styles = useStyles2(getStyles, gap);
  return (
    <div className={cx(styles.frame, className)} data-testid={testId}>
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2, gap: number) => ({
  frame: css({
    height: '100%',
    overflow: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(gap),
  }),
});
