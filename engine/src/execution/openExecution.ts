import type { EngineConfig } from '../config.ts';
import { ConfigError, ENV_VARS } from '../config.ts';
import type { Change } from '../context/changes.ts';
import type { EngineLogger } from '../observability/logger.ts';
import type { ExecutionMetrics } from '../observability/metrics.ts';
import type { AgentTracing } from '../observability/tracing/spans.ts';
import { llmResolver } from '../reasoning/llm/llmFromSettings.ts';
import type { LlmChoice } from '../reasoning/llm/llmFromSettings.ts';
import type { AlertIntake } from '../perception/alerts/intake.ts';
import type { RawAlert } from '../perception/alerts/normalize.ts';
import type { Settings } from '../settings/settings.ts';
import { sourcesFromSettings } from '../sources/fromSettings.ts';
import type { SourceSecrets } from '../sources/fromSettings.ts';
import { saveChanges } from '../store/changes.ts';
import { loadSettings } from '../store/settings.ts';
import type { Queryable, Store } from '../store/store.ts';
import { countPendingApprovals, pruneFinishedRuns } from '../store/workflowRuns.ts';
import type { IncidentAnalyzer } from './actions/analyze.ts';
import { parseEgressAllowlist } from './actions/egressRules.ts';
import { GuardedHttpClient } from './actions/guardedHttp.ts';
import { isRetryable } from './actions/outbound.ts';
import { builtInActions } from './actions/registry.ts';
import { SecretStore } from './actions/secrets.ts';
import type { EventDispatcher } from './events/eventDispatcher.ts';
import { DEFAULT_POLICY, loadPolicy } from './runs/policy.ts';
import { WorkflowRunner } from './runs/runner.ts';
import { eventTriggers } from './triggers/eventTriggers.ts';
import { WorkflowScheduler } from './triggers/scheduleTriggers.ts';
import type { ActionDefinition, RunContext } from './types.ts';
import { checkActionInput } from './workflows/actionInput.ts';
import { compileCondition, conditionHolds } from './workflows/conditions.ts';
import type { CompiledCondition } from './workflows/conditions.ts';
import { renderTemplates } from './workflows/templates.ts';
import { WorkflowCatalog } from './workflows/workflowCatalog.ts';

export interface Execution {
  catalog: WorkflowCatalog;
  /** Every action workflows may use, by name. */
  actions: ReadonlyMap<string, ActionDefinition>;
  runner: WorkflowRunner;
  /** Fires schedule triggers. */
  scheduler: WorkflowScheduler;
  /** A workflow was saved or deleted through the API: schedules follow at once. */
  workflowsChanged(): void;
  /** Starts running workflows (after the server listens). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface ExecutionDeps {
  config: EngineConfig;
  store: Store;
  logger: EngineLogger;
  events: EventDispatcher;
  sourceSecrets: SourceSecrets;
  clock?: () => Date;
  /** The LLM resolver reasoning uses (settings over configuration); default: one of its own from `config`. */
  llm?: (settings: Settings['llm']) => LlmChoice;
  /** The alert intake, for the open_incident action. */
  intake?: Pick<AlertIntake, 'submit'>;
  /** The root-cause analysis, for the analyze_incident action. */
  analyze?: IncidentAnalyzer;
  /** Runs, steps and approvals are counted here when given. */
  metrics?: ExecutionMetrics;
  /** The environment secrets are read from (INTELOPS_SECRET_<NAME>). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Workflow runs become agent runs (traces) when given. */
  tracing?: AgentTracing | undefined;
}

/** Finished runs are kept this long unless INTELOPS_WORKFLOW_RUN_RETENTION says otherwise. */
export const DEFAULT_RUN_RETENTION_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The egress allowlist; a bad entry is a configuration error naming it. */
function egressRules(config: EngineConfig) {
  try {
    return parseEgressAllowlist(config.egressAllow ?? '', ENV_VARS.egressAllow);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Wires execution: the actions (behind the egress allowlist, with secrets by name), the workflow catalog (files and
 * API), the durable runner with its policy, and the triggers that start workflows: engine events and schedules.
 */
export async function openExecution(deps: ExecutionDeps): Promise<Execution> {
  const { config, store, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const http = new GuardedHttpClient({ rules: egressRules(config), allowPrivate: config.egressAllowPrivate ?? false });
  const secrets = new SecretStore({ env: deps.env ?? process.env, dir: config.secretsDir });
  // Read at each action's run, so a Grafana URL saved in the settings applies to the next step.
  let grafanaUrl: string | undefined;
  const sources = async () => {
    const settings = await loadSettings(store);
    grafanaUrl = settings.grafana?.url;
    return sourcesFromSettings(settings, deps.sourceSecrets);
  };
  const resolveLlm = deps.llm ?? llmResolver(config, logger);
  // Resolved at each llm_summary step, so an LLM saved in the settings applies to the next one.
  const llm = async () => resolveLlm((await loadSettings(store)).llm).client;
  const { intake } = deps;
  const openIncident = intake === undefined ? undefined : (alert: RawAlert) => intake.submit('generic', [alert]);
  const recordChange = (change: Change) => saveChanges(store, [change], clock());
  const actions = builtInActions({ grafanaUrl: () => grafanaUrl, llm, openIncident, recordChange, analyze: deps.analyze });
  const catalog = new WorkflowCatalog({ store, actions, folder: config.workflowsDir });
  for (const error of await catalog.reload()) {
    logger.warn({ file: error.file, reason: error.message }, 'a workflow file did not load; the others did');
  }
  const policy =
    config.workflowPolicy === undefined
      ? DEFAULT_POLICY
      : await loadPolicy(config.workflowPolicy).catch((error: unknown) => {
          throw new ConfigError(`${ENV_VARS.workflowPolicy}: ${error instanceof Error ? error.message : String(error)}`);
        });
  // Conditions compile once per expression; workflows are checked when loaded, so these compile.
  const compiled = new Map<string, CompiledCondition>();
  const evaluate = (expression: string, context: RunContext) => {
    let condition = compiled.get(expression);
    if (condition === undefined) {
      condition = compileCondition(expression);
      compiled.set(expression, condition);
    }
    return conditionHolds(condition, context);
  };
  const runner = new WorkflowRunner({
    store,
    actions: (name) => actions.get(name),
    evaluate,
    render: (value, context) => renderTemplates(value, context),
    checkInput: (action, input) => checkActionInput(action, input),
    retryable: isRetryable,
    policy,
    secrets,
    http,
    sources,
    logger,
    runnerId: config.runnerId,
    clock,
    metrics: deps.metrics,
    tracing: deps.tracing,
  });
  if (deps.metrics !== undefined) {
    deps.metrics.countPendingApprovals = () => countPendingApprovals(store, clock());
  }
  const workflows = async (db?: Queryable) => (await catalog.list(db)).workflows.map((entry) => entry.workflow);
  const triggers = eventTriggers({
    workflows,
    holds: evaluate,
    start: (workflow, trigger, subjects, options) => runner.start(workflow, trigger, subjects, options),
    logger,
    clock,
  });
  deps.events.subscribe(triggers.handle, triggers.wants);
  const scheduler = new WorkflowScheduler({
    store,
    workflows,
    holds: evaluate,
    start: (workflow, trigger, subjects, options) => runner.start(workflow, trigger, subjects, options),
    logger,
    clock,
  });
  const retentionMs = config.workflowRunRetentionMs ?? DEFAULT_RUN_RETENTION_MS;
  let pruner: NodeJS.Timeout | undefined;
  const prune = async () => {
    try {
      const deleted = await pruneFinishedRuns(store, new Date(clock().getTime() - retentionMs));
      if (deleted > 0) {
        logger.info({ deleted, retentionMs }, 'finished workflow runs past their retention deleted');
      }
    } catch (error) {
      logger.warn({ err: error }, 'deleting old workflow runs failed; trying again in an hour');
    }
  };
  return {
    catalog,
    actions,
    runner,
    scheduler,
    workflowsChanged: () => scheduler.changed(),
    async start() {
      await runner.resume();
      scheduler.start();
      await prune();
      pruner = setInterval(() => void prune(), PRUNE_EVERY_MS);
      pruner.unref();
    },
    async close() {
      clearInterval(pruner);
      if (deps.metrics !== undefined) {
        deps.metrics.countPendingApprovals = undefined;
      }
      await scheduler.stop();
      await runner.close();
    },
  };
}
