import { Type } from 'typebox';
import type { Static } from 'typebox';
import { readConfigText, singleYamlDocument, yamlValidator } from '../../context/yamlSource.ts';
import { invalidInput } from '../../invalidInput.ts';
import type { RunContext } from '../types.ts';
import { parseDuration } from '../workflows/duration.ts';

/**
 * The execution policy: which side-effecting actions may run unattended, for which services and severities. Every
 * other side-effecting step waits for a person's approval, which expires after `approvalExpiry`. Actions without
 * side effects always run.
 */

const Names = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { minItems: 1, maxItems: 500, description });

export const UnattendedRuleSchema = Type.Object(
  {
    actions: Names('Action names this rule lets run without approval'),
    workflows: Type.Optional(Names('Only in runs of these workflows')),
    services: Type.Optional(Names("Only when every service of the run's incident or change is listed")),
    severities: Type.Optional(Names("Only when the incident's severity is listed")),
  },
  { additionalProperties: false, title: 'UnattendedRule' }
);

export const PolicySchema = Type.Object(
  {
    unattended: Type.Array(UnattendedRuleSchema, { maxItems: 500, description: 'Side effects allowed without approval; any rule matching allows' }),
    approvalExpiry: Type.Optional(Type.String({ minLength: 2, maxLength: 16, description: 'How long an approval request stays open, e.g. 30m, 1h (default 1h, at most 24h)' })),
  },
  { additionalProperties: false, title: 'ExecutionPolicy' }
);

export type UnattendedRule = Static<typeof UnattendedRuleSchema>;

export interface Policy {
  unattended: UnattendedRule[];
  approvalExpiryMs: number;
}

export const DEFAULT_APPROVAL_EXPIRY_MS = 3_600_000;

/** Without a policy file: annotations in Grafana run unattended, every other side effect waits for a person. */
export const DEFAULT_POLICY: Policy = { unattended: [{ actions: ['grafana_annotation'] }], approvalExpiryMs: DEFAULT_APPROVAL_EXPIRY_MS };

const validatePolicy = yamlValidator<Static<typeof PolicySchema>>(PolicySchema);

/** A policy from YAML or JSON text; `source` names it in errors, which give the line and field. */
export function parsePolicy(text: string, source = 'execution policy'): Policy {
  const document = singleYamlDocument(text, source, 'a policy is one document');
  if (document === undefined) {
    throw invalidInput(`${source}: is empty; a policy has at least "unattended: []"`);
  }
  const policy = validatePolicy(document, document.data, source, []);
  let approvalExpiryMs = DEFAULT_APPROVAL_EXPIRY_MS;
  if (policy.approvalExpiry !== undefined) {
    const parsed = parseDuration(policy.approvalExpiry);
    if ('problem' in parsed) {
      throw invalidInput(`${source} line ${document.lineOf(['approvalExpiry'])}: approvalExpiry ${parsed.problem}`);
    }
    approvalExpiryMs = parsed.ms;
  }
  return { unattended: policy.unattended, approvalExpiryMs };
}

export async function loadPolicy(file: string): Promise<Policy> {
  return parsePolicy(await readConfigText(file, 'execution policy file'), file);
}

/** What the policy judges a run by: its workflow, the services and severity of its incident, or the service of its change. */
export interface PolicySubject {
  workflow?: string | undefined;
  services: string[];
  severity: string | undefined;
}

export function policySubject(context: Pick<RunContext, 'incident' | 'change'> & Partial<Pick<RunContext, 'run'>>): PolicySubject {
  const services = new Set<string>();
  for (const subject of [context.incident, context.change]) {
    const listed: unknown = subject?.services;
    if (Array.isArray(listed)) {
      for (const service of listed) {
        if (typeof service === 'string') {
          services.add(service);
        }
      }
    }
    if (typeof subject?.service === 'string') {
      services.add(subject.service);
    }
  }
  const severity = context.incident?.severity;
  return {
    ...(context.run === undefined ? {} : { workflow: context.run.workflow }),
    services: [...services],
    severity: typeof severity === 'string' ? severity : undefined,
  };
}

export interface PolicyDecision {
  /** Whether a person must approve before the step runs. */
  approval: boolean;
  /** Why, for the audit trail. */
  reason: string;
}

/** Whether a step needs a person's approval. */
export function decideStep(policy: Policy, step: { action: string; sideEffect: boolean; approval: 'auto' | 'required' }, subject: PolicySubject): PolicyDecision {
  if (step.approval === 'required') {
    return { approval: true, reason: 'the step says approval: required' };
  }
  if (!step.sideEffect) {
    return { approval: false, reason: `${step.action} has no side effects` };
  }
  const index = policy.unattended.findIndex((rule) => ruleAllows(rule, step.action, subject));
  return index >= 0
    ? { approval: false, reason: `unattended rule ${index + 1} allows ${step.action}` }
    : { approval: true, reason: `no unattended rule allows ${step.action}${describeSubject(subject)}` };
}

function ruleAllows(rule: UnattendedRule, action: string, subject: PolicySubject): boolean {
  if (!rule.actions.includes(action)) {
    return false;
  }
  if (rule.workflows !== undefined && (subject.workflow === undefined || !rule.workflows.includes(subject.workflow))) {
    return false;
  }
  // A rule naming services allows only runs whose every service it names; a run without services is not one of them.
  if (rule.services !== undefined && (subject.services.length === 0 || !subject.services.every((service) => rule.services?.includes(service)))) {
    return false;
  }
  return rule.severities === undefined || (subject.severity !== undefined && rule.severities.includes(subject.severity));
}

function describeSubject(subject: PolicySubject): string {
  const parts = [subject.workflow !== undefined ? `workflow ${subject.workflow}` : '', subject.services.length > 0 ? `services ${subject.services.join(', ')}` : '', subject.severity !== undefined ? `severity ${subject.severity}` : ''].filter(Boolean);
  return parts.length > 0 ? ` for ${parts.join(' and ')}` : '';
}
