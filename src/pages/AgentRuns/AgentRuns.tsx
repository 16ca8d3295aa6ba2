import React, { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { getTimeZone, type GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Button, EmptyState, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { AgentRunDetail } from '../../components/AgentRunDetail/AgentRunDetail';
import { AgentRunTable } from '../../components/AgentRunTable/AgentRunTable';
import {
  EngineLoading,
  PageReadProblem,
  ReadErrorAlert,
  RefreshFailedAlert,
} from '../../components/EngineReadStates/EngineReadStates';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import type { AgentRunSummary } from '../../datasource/agentRuns';
import { loadAgentRun, loadAgentRuns, type OpenedRun, RUNS_PAGE_LIMIT } from '../../services/agentRuns';
import type { DatasourceLookup } from '../../services/engineConnection';
import { prefixRoute } from '../../utils/utils.routing';
import { timeRangeOf } from '../Incidents/incidentsUrlState';
import { useRefreshEvery } from '../Incidents/useIncidents';
import { type ReadView, useEngineRead } from '../Workflows/useEngineRead';
import { AgentRunsToolbar } from './AgentRunsToolbar';
import {
  agentRunsRequest,
  type AgentRunsUrlState,
  hasRunFilters,
  parseAgentRunsUrl,
  runsRequestKey,
  writeAgentRunsUrl,
} from './agentRunsUrlState';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

const RUN_HEADING_ID = 'agent-run-heading';

export default function AgentRuns({ lookup }: Props) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => parseAgentRunsUrl(searchParams), [searchParams]);
  const timeZone = state.timezone || getTimeZone();
  const timeRange = useMemo(() => timeRangeOf(state, timeZone), [state, timeZone]);
  const update = useCallback(
    (patch: Partial<AgentRunsUrlState>) =>
      setSearchParams((current) => writeAgentRunsUrl(current, { ...parseAgentRunsUrl(current), ...patch })),
    [setSearchParams]
  );

  // The relative range (now-24h) is resolved at each read, so a refresh moves it on.
  const key = runsRequestKey(state);
  const runs = useEngineRead(
    useCallback(
      () => loadAgentRuns(datasources, agentRunsRequest(parseAgentRunsUrl(new URLSearchParams(key)), timeZone)),
      [datasources, key, timeZone]
    )
  );
  const { reload } = runs;
  useRefreshEvery(state.refresh, reload);

  const runId = state.run;
  const run = useEngineRead(
    useMemo(() => (runId === '' ? undefined : () => loadAgentRun(datasources, runId)), [datasources, runId])
  );

  return (
    <PluginPage subTitle="Every analysis, question, draft and judgement the engine's AI made, traced step by step">
      <div data-testid={testIds.pages.agentRuns}>
        <AgentRunsToolbar
          state={state}
          timeRange={timeRange}
          timeZone={timeZone}
          refreshing={false}
          onChange={update}
          onRefresh={reload}
        />
        <RunList
          view={runs.view}
          state={state}
          timeZone={timeZone}
          onOpen={(id) => update({ run: id })}
          onClearFilters={() => update({ kind: '', status: '', incident: '', run: '' })}
          onRetry={reload}
        />
        {runId !== '' && (
          <OpenRun view={run.view} timeZone={timeZone} onClose={() => update({ run: '' })} onRetry={run.reload} />
        )}
      </div>
    </PluginPage>
  );
}

interface ListProps {
  view: ReadView<AgentRunSummary[]>;
  state: AgentRunsUrlState;
  timeZone: string;
  onOpen: (id: string) => void;
  onClearFilters: () => void;
  onRetry: () => void;
}

function RunList({ view, state, timeZone, onOpen, onClearFilters, onRetry }: ListProps) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.agentRuns.loading} text="Loading the agent runs from the engine…" />;
    case 'no-datasource':
    case 'error':
      return (
        <PageReadProblem
          view={view}
          testId={testIds.agentRuns.error}
          needs="Agent runs are read from the engine through an IntelOps datasource"
          title="Could not load the agent runs"
          onRetry={onRetry}
        />
      );
    case 'data':
      if (view.value.length === 0) {
        return hasRunFilters(state) ? <NoMatch onClearFilters={onClearFilters} /> : <NoRuns />;
      }
      return (
        <Stack direction="column" gap={2}>
          <RefreshFailedAlert what="the runs" message={view.refreshError} />
          <Summary runs={view.value} />
          <AgentRunTable runs={view.value} openId={state.run} timeZone={timeZone} onOpen={onOpen} label="Agent runs" />
        </Stack>
      );
  }
}

function Summary({ runs }: { runs: AgentRunSummary[] }) {
  const failed = runs.filter((run) => run.status === 'error').length;
  const tokens = runs.reduce((sum, run) => sum + run.inputTokens + run.outputTokens, 0);
  return (
    <div data-testid={testIds.agentRuns.summary} aria-live="polite">
      <Text color="secondary">
        {runs.length} run{runs.length === 1 ? '' : 's'}, {failed} failed,{' '}
        {new Intl.NumberFormat('en-US').format(tokens)} LLM tokens
        {runs.length >= RUNS_PAGE_LIMIT &&
          ': only the newest are shown, narrow the time range or the filters to see the rest'}
      </Text>
    </div>
  );
}

function NoRuns() {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.agentRuns.empty}>
      <EmptyState
        variant="call-to-action"
        message="No agent runs in the selected time range"
        button={
          <LinkButton href={prefixRoute(ROUTES.Incidents)} variant="secondary" icon="fire">
            Open the incidents
          </LinkButton>
        }
      >
        <Text element="p" color="secondary">
          The engine records a run each time its AI works: when it analyses an incident (
          <code className={styles.code}>POST /api/v1/incidents/&#123;id&#125;/analyze</code>, or the Analyze button on
          an investigation), answers a question, drafts a workflow or judges an answer. Analyse an incident, or pick a
          wider time range to see older runs.
        </Text>
      </EmptyState>
    </div>
  );
}

function NoMatch({ onClearFilters }: { onClearFilters: () => void }) {
  return (
    <div data-testid={testIds.agentRuns.empty}>
      <EmptyState
        variant="not-found"
        message="No agent runs match these filters in the selected time range"
        button={
          <Button variant="secondary" icon="times" onClick={onClearFilters}>
            Clear filters
          </Button>
        }
      />
    </div>
  );
}

interface OpenRunProps {
  view: ReadView<OpenedRun>;
  timeZone: string;
  onClose: () => void;
  onRetry: () => void;
}

function OpenRun({ view, timeZone, onClose, onRetry }: OpenRunProps) {
  const styles = useStyles2(getStyles);
  switch (view.phase) {
    case 'loading':
      return (
        <div className={styles.openRun}>
          <EngineLoading testId={testIds.agentRuns.runLoading} text="Loading the run and its spans…" />
        </div>
      );
    case 'no-datasource':
      return null;
    case 'error':
      return (
        <div className={styles.openRun} data-testid={testIds.agentRuns.runError}>
          <ReadErrorAlert
            title="Could not open the agent run"
            message={view.message}
            datasource={view.datasource}
            onRetry={onRetry}
          >
            <Button variant="secondary" size="sm" icon="times" onClick={onClose}>
              Close
            </Button>
          </ReadErrorAlert>
        </div>
      );
    case 'data':
      return (
        <AgentRunDetail
          run={view.value.run}
          tempoUid={view.value.tempoUid}
          timeZone={timeZone}
          onClose={onClose}
          headingId={RUN_HEADING_ID}
        />
      );
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({ fontFamily: theme.typography.fontFamilyMonospace, whiteSpace: 'nowrap' }),
  openRun: css({ marginTop: theme.spacing(3) }),
});
