import React, { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { agentRunFrame } from '../../datasource/agentRunFrame';
import type { AgentRun } from '../../datasource/agentRuns';
import { formatDuration, tempoTraceUrl, waterfallFromFrames } from '../../panels/agenttrace/agentTrace';
import { incidentUrl } from '../../utils/utils.routing';
import { AgentRunWaterfall } from '../AgentRunWaterfall/AgentRunWaterfall';
import { RunStatusBadge } from '../AgentRunTable/AgentRunTable';
import { formatTime } from '../IncidentTable/formatting';
import { testIds } from '../testIds';
import { runFacts } from './runFacts';

interface Props {
  run: AgentRun;
  /** The Tempo datasource "View in Tempo" opens. */
  tempoUid: string;
  timeZone: string;
  onClose: () => void;
  headingId: string;
}

/** One agent run: what it was for, its figures and verdicts, its waterfall, and where to look next. */
export function AgentRunDetail({ run, tempoUid, timeZone, onClose, headingId }: Props) {
  const styles = useStyles2(getStyles);
  const waterfall = useMemo(() => waterfallFromFrames([agentRunFrame(run, 'run', tempoUid)]), [run, tempoUid]);
  const tempoUrl = waterfall ? tempoTraceUrl(waterfall, tempoUid) : undefined;
  const facts = runFacts(run, (ms) => formatTime(ms, timeZone), formatDuration);
  return (
    <section className={styles.section} aria-labelledby={headingId} data-testid={testIds.agentRuns.run}>
      <div className={styles.toolbar}>
        <Text element="h2" variant="h3" id={headingId}>
          {run.kind} run{run.incidentId ? ` of ${run.incidentId}` : ''} <RunStatusBadge status={run.status} />
        </Text>
        <Stack direction="row" gap={1} wrap="wrap">
          {run.incidentId && (
            <Link
              to={incidentUrl(run.incidentId)}
              className={styles.link}
              data-testid={testIds.agentRuns.investigationLink}
            >
              <Icon name="search" /> Investigation of {run.incidentId}
            </Link>
          )}
          {tempoUrl && (
            <LinkButton href={tempoUrl} variant="secondary" size="sm" icon="external-link-alt" fill="outline">
              View in Tempo
            </LinkButton>
          )}
          <Button
            variant="secondary"
            size="sm"
            icon="times"
            fill="text"
            onClick={onClose}
            data-testid={testIds.agentRuns.closeRun}
          >
            Close
          </Button>
        </Stack>
      </div>
      {run.error && (
        <Alert severity="error" title="The run failed">
          {run.error}
        </Alert>
      )}
      <dl className={styles.facts} data-testid={testIds.agentRuns.runFacts}>
        {facts.map(([term, value]) => (
          <React.Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
      </dl>
      {run.judge && run.judge.unsupported.length > 0 && (
        <div>
          <Text element="h3" variant="h5">
            Claims the judge found unsupported
          </Text>
          <ul className={styles.claims}>
            {run.judge.unsupported.map((claim) => (
              <li key={claim}>{claim}</li>
            ))}
          </ul>
        </div>
      )}
      <div>
        <Text element="h3" variant="h5">
          Trace
        </Text>
        {waterfall ? (
          <div className={styles.waterfall}>
            <AgentRunWaterfall waterfall={waterfall} showService={false} />
          </div>
        ) : (
          <Text element="p" color="secondary">
            The engine kept no spans for this run: it may have been recorded before tracing was on.
          </Text>
        )}
      </div>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    marginTop: theme.spacing(3),
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  link: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.link,
    '&:hover': { textDecoration: 'underline' },
  }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, max-content) minmax(180px, 1fr))',
    gap: theme.spacing(0.5, 2),
    margin: 0,
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, overflowWrap: 'anywhere' },
  }),
  claims: css({ margin: theme.spacing(0.5, 0, 0, 2) }),
  waterfall: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), marginTop: theme.spacing(1) }),
});
