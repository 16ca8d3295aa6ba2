import type { ActionDefinition } from '../types.ts';
import { analyzeAction } from './analyze.ts';
import type { IncidentAnalyzer } from './analyze.ts';
import { mattermostAction, slackAction, teamsAction } from './chat.ts';
import { grafanaAnnotationAction } from './grafanaAnnotation.ts';
import type { GrafanaAnnotationOptions } from './grafanaAnnotation.ts';
import { inspectionAction } from './inspection.ts';
import { llmSummaryAction } from './llmSummary.ts';
import type { LlmProvider } from './llmSummary.ts';
import { openIncidentAction } from './openIncident.ts';
import type { IncidentOpener } from './openIncident.ts';
import { pagerDutyAction } from './pagerduty.ts';
import { recordChangeAction } from './recordChange.ts';
import type { ChangeRecorder } from './recordChange.ts';
import { waitAction } from './wait.ts';
import { remediationAction, webhookAction } from './webhook.ts';

export interface BuiltInActionOptions extends GrafanaAnnotationOptions {
  /** The LLM llm_summary writes with; without this option there is no llm_summary action. */
  llm?: LlmProvider;
  /** The engine's alert intake open_incident hands its alert to; without it there is no open_incident action. */
  openIncident?: IncidentOpener;
  /** The engine's change store record_change writes to; without it there is no record_change action. */
  recordChange?: ChangeRecorder;
  /** The engine's root-cause analysis analyze_incident runs; without it there is no analyze_incident action. */
  analyze?: IncidentAnalyzer;
}

/** Every action the engine ships, by name. Inputs are checked against each `input` schema before `run`. */
export function builtInActions(options: BuiltInActionOptions = {}): Map<string, ActionDefinition> {
  // Typed by their inputs; the runner holds them with input unknown, having validated it against `input`.
  const actions: ActionDefinition[] = [
    webhookAction,
    slackAction,
    mattermostAction,
    teamsAction,
    pagerDutyAction,
    grafanaAnnotationAction(options),
    remediationAction,
    inspectionAction,
    waitAction,
    ...(options.llm === undefined ? [] : [llmSummaryAction(options.llm)]),
    ...(options.openIncident === undefined ? [] : [openIncidentAction(options.openIncident)]),
    ...(options.recordChange === undefined ? [] : [recordChangeAction(options.recordChange)]),
    ...(options.analyze === undefined ? [] : [analyzeAction(options.analyze)]),
  ];
  return new Map(actions.map((action) => [action.name, action]));
}
