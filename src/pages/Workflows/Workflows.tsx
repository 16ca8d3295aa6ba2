import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { getTimeZone, type GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Badge, Button, Stack, Text, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { WorkflowApprovals } from '../../components/WorkflowApprovals/WorkflowApprovals';
import { WorkflowDraft } from '../../components/WorkflowDraft/WorkflowDraft';
import { WorkflowDryRun } from '../../components/WorkflowDryRun/WorkflowDryRun';
import { WorkflowEditor } from '../../components/WorkflowEditor/WorkflowEditor';
import { WorkflowList } from '../../components/WorkflowList/WorkflowList';
import { WorkflowRunDetail } from '../../components/WorkflowRunDetail/WorkflowRunDetail';
import { type RunFormMode, WorkflowRunForm } from '../../components/WorkflowRunForm/WorkflowRunForm';
import { WorkflowRuns } from '../../components/WorkflowRuns/WorkflowRuns';
import type { DatasourceLookup } from '../../services/engineConnection';
import { configuredEngineUrl } from '../../services/engineUrl';
import { inputFields, manualTrigger } from '../../services/workflowInputs';
import { loadWorkflows } from '../../services/workflows';
import { isOpenRun, loadApprovals, loadRun, loadRuns, type RunSummary } from '../../services/workflowsRuns';
import { stillPending, useApprovalDecisions } from './useApprovalDecisions';
import { useDryRun } from './useDryRun';
import { useEngineRead } from './useEngineRead';
import { useManualRun } from './useManualRun';
import { useRunCancel } from './useRunCancel';
import { useWorkflowDraft } from './useWorkflowDraft';
import { useWorkflowEditor } from './useWorkflowEditor';
import { parseWorkflowsUrl, type WorkflowsUrlState, writeWorkflowsUrl } from './workflowsUrlState';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

/** Runs still going on are read again this often; approvals too, since new ones arrive and old ones expire. */
const RUNS_REFRESH_MS = 10_000;
const RUN_REFRESH_MS = 2_000;
const APPROVALS_REFRESH_MS = 30_000;

const anyOpen = (runs: RunSummary[]) => runs.some((run) => isOpenRun(run.status));
const always = () => true;

export default function Workflows({ lookup }: Props) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const styles = useStyles2(getStyles);
  const timeZone = getTimeZone();
  const [params, setParams] = useSearchParams();
  const url = useMemo(() => parseWorkflowsUrl(params), [params]);
  const navigate = useCallback(
    (change: (state: WorkflowsUrlState) => WorkflowsUrlState) =>
      setParams((current) => writeWorkflowsUrl(current, change(parseWorkflowsUrl(current)))),
    [setParams]
  );

  const workflows = useEngineRead(useCallback(() => loadWorkflows(datasources), [datasources]));
  const runs = useEngineRead(
    useCallback(() => loadRuns(datasources), [datasources]),
    { repeatMs: RUNS_REFRESH_MS, repeatWhile: anyOpen }
  );
  const approvals = useEngineRead(
    useCallback(() => loadApprovals(datasources), [datasources]),
    { repeatMs: APPROVALS_REFRESH_MS, repeatWhile: always }
  );
  const runId = url.run;
  const run = useEngineRead(
    useMemo(() => (runId === undefined ? undefined : () => loadRun(datasources, runId)), [datasources, runId]),
    { repeatMs: RUN_REFRESH_MS, repeatWhile: (detail) => isOpenRun(detail.status) }
  );

  const { reload: reloadWorkflows } = workflows;
  const onChanged = useCallback(
    (name: string, change: 'saved' | 'deleted') => {
      reloadWorkflows();
      navigate((state) => ({
        ...state,
        workflow: change === 'saved' ? { name, isNew: false } : undefined,
      }));
    },
    [reloadWorkflows, navigate]
  );
  const editor = useWorkflowEditor(datasources, url.workflow, { onChanged });
  const dryRun = useDryRun(datasources);
  const selectedName = url.workflow?.name;
  const { reload: reloadRuns } = runs;

  // The run form of the workflow open in the editor: its manual trigger's inputs, for a run or a dry run.
  // Each belongs to the workflow it was opened for: another workflow starts without them.
  const [runFormOf, setRunFormOf] = useState<{ workflow: string; mode: RunFormMode }>();
  const [startedOf, setStartedOf] = useState<{ workflow: string; id: string }>();
  const runForm = runFormOf?.workflow === selectedName ? runFormOf?.mode : undefined;
  const startedRun = startedOf?.workflow === selectedName ? startedOf?.id : undefined;
  const definition = editor.view.phase === 'editing' ? editor.view.definition : undefined;
  const manual = definition ? manualTrigger(definition.triggers) : undefined;
  const fields = useMemo(() => inputFields(manual?.inputs), [manual]);
  const onStarted = useCallback(
    (id: string) => {
      setRunFormOf(undefined);
      setStartedOf(selectedName === undefined ? undefined : { workflow: selectedName, id });
      reloadRuns();
      navigate((state) => ({ ...state, run: id }));
    },
    [reloadRuns, navigate, selectedName]
  );
  const manualRun = useManualRun(datasources, onStarted);
  const { reset: resetDryRun } = dryRun;
  const { reset: resetManualRun } = manualRun;
  useEffect(() => {
    resetDryRun();
    resetManualRun();
  }, [selectedName, resetDryRun, resetManualRun]);
  const setRunForm = (mode: RunFormMode | undefined) =>
    setRunFormOf(mode === undefined || selectedName === undefined ? undefined : { workflow: selectedName, mode });
  const openRunForm = (mode: RunFormMode) => {
    resetManualRun();
    setStartedOf(undefined);
    setRunForm(mode);
  };
  const onDryRun = () => {
    if (fields.length > 0) {
      openRunForm('dry-run');
    } else if (selectedName) {
      dryRun.start(selectedName);
    }
  };
  const submitRunForm = (inputs: Record<string, unknown>) => {
    if (!selectedName) {
      return;
    }
    if (runForm === 'dry-run') {
      setRunForm(undefined);
      dryRun.start(selectedName, inputs);
    } else {
      manualRun.start(selectedName, inputs);
    }
  };
  const runProblem =
    manualRun.view.phase === 'refused' || manualRun.view.phase === 'failed'
      ? { message: manualRun.view.message, refused: manualRun.view.phase === 'refused' }
      : undefined;

  const draft = useWorkflowDraft(
    datasources,
    useCallback((name: string) => onChanged(name, 'saved'), [onChanged])
  );
  const names = workflows.view.phase === 'data' ? workflows.view.value.workflows.map((workflow) => workflow.name) : [];
  const dryRunDone = dryRun.view.phase === 'done';
  useEffect(() => {
    if (dryRunDone) {
      reloadRuns();
    }
  }, [dryRunDone, reloadRuns]);

  const { reload: reloadRun } = run;
  const onDecided = useCallback(() => {
    reloadRuns();
    reloadRun();
  }, [reloadRuns, reloadRun]);
  const { decisions, decide } = useApprovalDecisions(datasources, onDecided);
  const runCancel = useRunCancel(datasources, runId, onDecided);
  const pendingCount = approvals.view.phase === 'data' ? stillPending(approvals.view.value, decisions).length : 0;

  const refreshAll = () => {
    workflows.reload();
    runs.reload();
    approvals.reload();
    if (runId !== undefined) {
      reloadRun();
    }
  };
  const openRun = (id: string) => navigate((state) => ({ ...state, run: id }));
  const dryRunning = dryRun.view.phase === 'starting' || dryRun.view.phase === 'running';

  return (
    <PluginPage subTitle="What happens when an incident opens: messages, tickets, inspections, remediation behind approval">
      <div data-testid={testIds.pages.workflows}>
        <Stack direction="column" gap={3}>
          <Stack direction="row" justifyContent="space-between" alignItems="center">
            <div data-testid={testIds.workflows.pendingBadge}>
              {pendingCount > 0 ? (
                <a href="#workflow-approvals" className={styles.badgeLink}>
                  <Badge
                    color="orange"
                    icon="bell"
                    text={`${pendingCount} pending approval${pendingCount === 1 ? '' : 's'}`}
                  />
                </a>
              ) : null}
            </div>
            <Button variant="secondary" icon="sync" onClick={refreshAll} data-testid={testIds.workflows.refresh}>
              Refresh
            </Button>
          </Stack>

          <section aria-labelledby="workflow-approvals" className={styles.section}>
            <Text element="h2" variant="h3" id="workflow-approvals">
              Pending approvals
            </Text>
            <div data-testid={testIds.workflows.approvals}>
              <WorkflowApprovals
                view={approvals.view}
                decisions={decisions}
                onDecide={decide}
                onOpenRun={openRun}
                onReload={approvals.reload}
                timeZone={timeZone}
              />
            </div>
          </section>

          <section aria-labelledby="workflow-definitions" className={styles.section}>
            <Text element="h2" variant="h3" id="workflow-definitions">
              Workflows
            </Text>
            <WorkflowList
              view={workflows.view}
              selected={selectedName}
              onSelect={(name) => navigate((state) => ({ ...state, workflow: { name, isNew: false } }))}
              onCreate={(name) => navigate((state) => ({ ...state, workflow: { name, isNew: true } }))}
              onReload={workflows.reload}
              engineUrl={configuredEngineUrl(datasources)}
            />
            {workflows.view.phase === 'data' && (
              <WorkflowDraft
                view={draft.view}
                existing={names}
                onDraft={draft.draft}
                onEdit={draft.edit}
                onSave={draft.save}
                onDiscard={draft.discard}
              />
            )}
            {url.workflow && (
              <WorkflowEditor
                view={editor.view}
                timeZone={timeZone}
                onEdit={editor.edit}
                onSave={editor.save}
                onDelete={editor.remove}
                onDryRun={onDryRun}
                onRun={manual ? () => openRunForm('run') : undefined}
                onReload={editor.reload}
                dryRunning={dryRunning}
              >
                {runForm && selectedName && (
                  <WorkflowRunForm
                    key={`${selectedName}-${runForm}`}
                    workflow={selectedName}
                    fields={fields}
                    mode={runForm}
                    sending={manualRun.view.phase === 'sending'}
                    problem={runForm === 'run' ? runProblem : undefined}
                    onSubmit={submitRunForm}
                    onCancel={() => setRunForm(undefined)}
                  />
                )}
                {startedRun && (
                  <Text color="success">
                    {`Run ${startedRun} started: `}
                    <a href="#workflow-runs" className={styles.link}>
                      its steps are under Recent runs
                    </a>
                  </Text>
                )}
                <WorkflowDryRun view={dryRun.view} />
              </WorkflowEditor>
            )}
          </section>

          <section aria-labelledby="workflow-runs" className={styles.section}>
            <Text element="h2" variant="h3" id="workflow-runs">
              Recent runs
            </Text>
            <WorkflowRuns
              view={runs.view}
              selected={runId}
              onSelect={openRun}
              onReload={runs.reload}
              timeZone={timeZone}
            />
            {runId !== undefined && (
              <WorkflowRunDetail
                view={run.view}
                timeZone={timeZone}
                onReload={reloadRun}
                onClose={() => navigate((state) => ({ ...state, run: undefined }))}
                cancel={runCancel.view}
                onCancel={runCancel.cancel}
              />
            )}
          </section>
        </Stack>
      </div>
    </PluginPage>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
    badgeLink: css({ textDecoration: 'none' }),
    link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
  };
}
