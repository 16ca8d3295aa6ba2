import type { ActionDefinition } from '../types.ts';
import { mattermostAction, slackAction, teamsAction } from './chat.ts';
import { grafanaAnnotationAction } from './grafanaAnnotation.ts';
import type { GrafanaAnnotationOptions } from './grafanaAnnotation.ts';
import { inspectionAction } from './inspection.ts';
import { llmSummaryAction } from './llmSummary.ts';
import type { LlmProvider } from './llmSummary.ts';
import { openIncidentAction } from './openIncident.ts';
import type { IncidentOpener } from './openIncident.ts';
import { pagerDutyAction } from './pagerduty.ts';
import { waitAction } from './wait.ts';
import { remediationAction, webhookAction } from './webhook.ts';

export interface BuiltInActionOptions extends GrafanaAnnotationOptions {
  /** The LLM llm_summary writes with; without this option there is no llm_summary action. */
  llm?: LlmProvider;
  /** The engine's alert intake open_incident hands its alert to; without it there is no open_incident action. */
  openIncident?: IncidentOpener;
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
  ];
  return new Map(actions.map((action) => [action.name, action]));
}
