import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import { AgentRunWaterfall } from '../../components/AgentRunWaterfall/AgentRunWaterfall';
import { testIds } from '../../components/testIds';
import { incidentUrl } from '../../utils/utils.routing';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import { tempoTraceUrl, waterfallFromFrames } from './agentTrace';
import type { AgentTraceOptions } from './types';

export function AgentTracePanel({ data, options }: PanelProps<AgentTraceOptions>) {
  const styles = useStyles2(getStyles);
  const waterfall = useMemo(() => waterfallFromFrames(data.series), [data.series]);

  if (!waterfall) {
    const notice = data.series.flatMap((frame) => frame.meta?.notices ?? [])[0];
    return (
      <PanelEmptyState
        title={notice ? 'No agent run' : 'No agent run in this data'}
        testId={testIds.agentTracePanel.empty}
      >
        {notice ? (
          notice.text
        ) : (
          <>
            Use the IntelOps datasource&apos;s &quot;Agent run&quot; query, or any trace-like frame with one row per
            span: <code>spanID</code>, <code>parentSpanID</code>, <code>operationName</code>, <code>startTime</code>{' '}
            (ms), <code>duration</code> (ms) and <code>kind</code> (perception, retrieval, llm, tool or action);
            optional <code>serviceName</code>, <code>tokens</code>, <code>ttft</code>, <code>tags</code> and{' '}
            <code>logs</code>.
          </>
        )}
      </PanelEmptyState>
    );
  }

  const tempoUid = options.tempoDatasourceUid?.trim() || waterfall.tempoDatasourceUid;
  return (
    <PanelFrame testId={testIds.agentTracePanel.container} gap={0.5}>
      <AgentRunWaterfall
        waterfall={waterfall}
        showService={options.showService}
        tempoUrl={tempoTraceUrl(waterfall, tempoUid)}
        links={
          waterfall.incidentId && (
            <a href={incidentUrl(waterfall.incidentId)} className={styles.link}>
              <Icon name="search" size="sm" /> Investigation of {waterfall.incidentId}
            </a>
          )
        }
      />
    </PanelFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  link: css({
    color: theme.colors.text.link,
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    '&:hover': { textDecoration: 'underline' },
  }),
});
