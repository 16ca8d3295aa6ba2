import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { PanelFrame } from './PanelFrame';

interface Props {
  title: string;
  children: React.ReactNode;
  testId: string;
}

/** The no-data state of a panel: what the panel shows and which data it needs. */
export function PanelEmptyState({ title, children, testId }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <PanelFrame testId={testId} gap={0.5} className={styles.centred}>
      <p className={styles.title}>{title}</p>
      <div className={styles.body}>{children}</div>
    </PanelFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  centred: css({
    justifyContent: 'center',
    alignItems: 'center',
    textAlign: 'center',
    padding: theme.spacing(1),
  }),
  title: css({
    margin: 0,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  body: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    maxWidth: 420,
    code: {
      fontSize: 'inherit',
    },
  }),
});
