import type { EngineLogger } from '../../observability/logger.ts';
import { groupingFromSettings } from '../../perception/alerts/grouping/settings.ts';
import { loadSettings } from '../../store/settings.ts';
import { incidentView } from '../../server/routes/incidents.ts';
import { queryChanges } from '../../store/changes.ts';
import type { EngineEvent } from '../../store/events.ts';
import { queryIncidents } from '../../store/incidents.ts';
import { loadRca } from '../../store/rca.ts';
import type { Queryable } from '../../store/store.ts';
import type { EventFilter, EventHandler } from '../events/eventDispatcher.ts';
import type { RunContext, TriggerKind, Workflow } from '../types.ts';

/** What the trigger needs of the runner and the catalog (WorkflowRunner, WorkflowCatalog). */
export interface TriggerDeps {
  workflows: (db: Queryable) => Promise<Workflow[]>;
  /** A workflow-level CEL `if` over the trigger's subjects. */
  holds: (expression: string, context: RunContext) => boolean;
  start: (
    workflow: Workflow,
    trigger: TriggerKind,
    subjects: { incident?: Record<string, unknown>; rca?: Record<string, unknown>; change?: Record<string, unknown> },
    options: { tx: Queryable; actor: string }
  ) => Promise<string>;
  logger: EngineLogger;
  clock: () => Date;
}

type Subjects = { incident?: Record<string, unknown>; rca?: Record<string, unknown>; change?: Record<string, unknown> };

/** The event's incident, analysis or change as templates and conditions read them (JSON: times as RFC 3339). */
async function subjectsOf(event: EngineEvent, tx: Queryable, now: Date): Promise<Subjects | undefined> {
  const json = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  if (event.kind === 'change.created') {
    const [change] = await queryChanges(tx, { ids: [event.subject], limit: 1 });
    // Every field is there, null when the change has none, so templates can write `change.endsAt | default: …`.
    return change === undefined
      ? undefined
      : { change: json({ ...change, description: change.description ?? null, endsAt: change.endsAt ?? null, author: change.author ?? null, version: change.version ?? null, url: change.url ?? null }) };
  }
  // The incident's status as of now: the triggers see what the incident list shows.
  const { quietPeriodMs } = groupingFromSettings((await loadSettings(tx)).grouping);
  const [incident] = await queryIncidents(tx, { ids: [event.subject], limit: 1 }, new Date(now.getTime() - quietPeriodMs));
  if (incident === undefined) {
    return undefined;
  }
  const rca = event.kind === 'rca.ready' ? await loadRca(tx, event.subject) : undefined;
  return { incident: json(incidentView({ incident, alerts: [] })), ...(rca === undefined ? {} : { rca: json(rca) }) };
}

/**
 * Starts the workflows an event triggers: those with a trigger `on` the event's kind whose `if` holds for its
 * incident, analysis or change. Runs are written in the event's transaction, so each event starts them once.
 */
export function eventTriggers(deps: TriggerDeps): { handle: EventHandler; wants: EventFilter } {
  // The workflows are read once per dispatch transaction, not once per event: a storm brings thousands of events.
  const workflowsOf = new WeakMap<Queryable, Promise<Workflow[]>>();
  const matching = async (kind: TriggerKind, tx: Queryable) => {
    let workflows = workflowsOf.get(tx);
    if (workflows === undefined) {
      workflows = deps.workflows(tx);
      workflowsOf.set(tx, workflows);
    }
    return (await workflows).filter((workflow) => workflow.triggers.some((trigger) => trigger.on === kind));
  };
  const handle: EventHandler = async (event, tx) => {
    const kind: TriggerKind = event.kind;
    const workflows = await matching(kind, tx);
    if (workflows.length === 0) {
      return;
    }
    const now = deps.clock();
    const subjects = await subjectsOf(event, tx, now);
    if (subjects === undefined) {
      deps.logger.warn({ event: event.kind, subject: event.subject }, 'the subject of an event is gone; no workflow started');
      return;
    }
    for (const workflow of workflows) {
      const context: RunContext = { run: { id: '', workflow: workflow.name, trigger: kind, dryRun: false, startedAt: now.toISOString() }, inputs: {}, steps: {}, ...subjects };
      if (workflow.if !== undefined && !deps.holds(workflow.if, context)) {
        continue;
      }
      const run = await deps.start(workflow, kind, subjects, { tx, actor: 'engine' });
      deps.logger.info({ run, workflow: workflow.name, event: event.kind, subject: event.subject }, 'workflow triggered');
    }
  };
  return { handle, wants: async (event, tx) => (await matching(event.kind, tx)).length > 0 };
}
