import { MAX_CAUSES } from '../rootCause.ts';
import type { RootCause } from '../rootCause.ts';
import type { LlmCause } from './answer.ts';
import type { LlmRcaInput } from './types.ts';

export interface GuardResult {
  causes: RootCause[];
  /** Causes dropped for citing evidence or naming a service that does not exist. */
  hallucinationsDropped: number;
  /** Why each dropped cause was dropped, for logs and tests. */
  dropped: Array<{ service: string; reason: string }>;
}

/** The ids a cause may cite: the evidence gathered and the changes around the incident. */
export function knownEvidenceIds(input: Pick<LlmRcaInput, 'evidence' | 'changes'>): Set<string> {
  return new Set([...input.evidence.map((item) => item.id), ...input.changes.map((change) => change.id)]);
}

/** The services a cause may name: the candidates, the incident's, the CMDB's and those the evidence concerns. */
export function knownServices(input: LlmRcaInput): Set<string> {
  const services = new Set<string>([
    ...input.candidates.map((cause) => cause.service),
    ...input.payload.services,
    ...Object.keys(input.services),
  ]);
  if (input.payload.service !== undefined) {
    services.add(input.payload.service);
  }
  for (const item of input.evidence) {
    if (item.service !== undefined) {
      services.add(item.service);
    }
  }
  for (const change of input.changes) {
    services.add(change.service);
  }
  return services;
}

/**
 * Checks every cause against what the engine knows. A cause citing one unknown id is dropped whole, not just
 * stripped of that id: a cited claim we cannot check is not shown. Confidences are clamped to [0, 1], duplicate
 * causes (same service and indicator) keep the first, and at most three are kept, strongest first.
 */
export function guardCauses(causes: readonly LlmCause[], input: LlmRcaInput): GuardResult {
  const ids = knownEvidenceIds(input);
  const services = knownServices(input);
  const kept: RootCause[] = [];
  const dropped: GuardResult['dropped'] = [];
  const seen = new Set<string>();
  for (const cause of causes) {
    const service = cause.service.trim();
    if (!services.has(service)) {
      dropped.push({ service, reason: `unknown service "${service}"` });
      continue;
    }
    const evidence = [...new Set(cause.evidence.map((id) => id.trim()))];
    const unknown = evidence.filter((id) => !ids.has(id));
    if (unknown.length > 0) {
      dropped.push({ service, reason: `unknown evidence ${unknown.join(', ')}` });
      continue;
    }
    const key = `${service}\u0000${cause.indicator}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    kept.push({
      service,
      indicator: cause.indicator,
      confidence: clamp(cause.confidence),
      evidence,
      explanation: cause.explanation.trim(),
      actions: cause.actions.map((action) => action.trim()).filter((action) => action !== ''),
    });
  }
  // A stable sort: among equal confidences the model's order stands.
  kept.sort((a, b) => b.confidence - a.confidence);
  return { causes: kept.slice(0, MAX_CAUSES), hallucinationsDropped: dropped.length, dropped };
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
