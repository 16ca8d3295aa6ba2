import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** The app's plain tables: a horizontal scroller around a full-width table with Grafana-like header cells. */
export function tableStyles(theme: GrafanaTheme2, verticalAlign: 'top' | 'middle') {
  return {
    scroller: css({ overflowX: 'auto', width: '100%' }),
    table: css({
      width: '100%',
      borderCollapse: 'collapse',
      'th, td': {
        padding: theme.spacing(1, 1.5),
        textAlign: 'left',
        verticalAlign,
        borderBottom: `1px solid ${theme.colors.border.weak}`,
      },
      th: {
        color: theme.colors.text.secondary,
        fontSize: theme.typography.bodySmall.fontSize,
        fontWeight: theme.typography.fontWeightMedium,
        background: theme.colors.background.secondary,
        whiteSpace: 'nowrap',
      },
    }),
  };
}
