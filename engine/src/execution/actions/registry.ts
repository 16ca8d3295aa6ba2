import type { ActionDefinition } from '../types.ts';
import { mattermostAction, slackAction, teamsAction } from './chat.ts';
import { grafanaAnnotationAction } from './grafanaAnnotation.ts';
import type { GrafanaAnnotationOptions } from './grafanaAnnotation.ts';
import { inspectionAction } from './inspection.ts';
import { pagerDutyAction } from './pagerduty.ts';
import { remediationAction, webhookAction } from './webhook.ts';

export type BuiltInActionOptions = GrafanaAnnotationOptions;

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
  ];
  return new Map(actions.map((action) => [action.name, action]));
}
