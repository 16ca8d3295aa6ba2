import type { EngineClient } from '../datasource/engineClient';
import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import { INCIDENTS_PATH } from '../datasource/incidents';
import { finiteOr, invalidBody, isRecord, stringOr } from '../datasource/jsonBody';
import type { Upstream } from '../datasource/upstreams';
import type { DatasourceLookup } from './engineConnection';
import type { EvidenceItem } from './evidence';
import { readFromEngine } from './incidents';
import { withPost } from './rootCauseAnalysis';
import { chipFromRef, type EvidenceChip, resolveEvidence } from './rootCauseCards';

/** The engine's limits (engine/src/reasoning/llm/answerQuestion.ts): longer questions and histories get a 400. */
export const MAX_QUESTION_CHARS = 2000;
export const MAX_HISTORY_TURNS = 6;

/** POST /api/v1/incidents/{id}/ask answers this. */
export interface IncidentAnswer {
  answer: string;
  /** Ids of the incident's evidence and changes the answer rests on. */
  evidence: string[];
  /** Data-catalog tools the LLM called (search_runbooks, query_metrics…), in order. */
  toolCalls: string[];
  model: string;
  usage: { promptTokens: number; completionTokens: number } | undefined;
  /** Cited ids that were not the incident's, dropped by the engine. */
  hallucinationsDropped: number;
}

export interface QuestionTurn {
  question: string;
  answer: IncidentAnswer;
}

/** What asking came to, in the words the page shows. */
export type AskResult =
  | { state: 'answered'; answer: IncidentAnswer }
  /** No LLM configured: informational, with how to set one. */
  | { state: 'no-llm'; message: string }
  | { state: 'not-analysed'; message: string }
  | { state: 'failed'; message: string };

export function askPath(incidentId: string) {
  return `${INCIDENTS_PATH}/${encodeURIComponent(incidentId)}/ask` as const;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

export function parseIncidentAnswer(body: unknown, path: string): IncidentAnswer {
  if (!isRecord(body) || typeof body.answer !== 'string') {
    throw invalidBody(path, 'the body has no answer');
  }
  const usage = body.usage;
  return {
    answer: body.answer,
    evidence: stringList(body.evidence),
    toolCalls: stringList(body.toolCalls),
    model: stringOr(body.model, ''),
    usage:
      isRecord(usage) && typeof usage.promptTokens === 'number' && typeof usage.completionTokens === 'number'
        ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens }
        : undefined,
    hallucinationsDropped: finiteOr(body.hallucinationsDropped, 0),
  };
}

/** POST …/ask with the question and the last turns of the conversation. */
export async function postQuestion(
  client: Pick<EngineClient, 'post'>,
  incidentId: string,
  question: string,
  history: readonly QuestionTurn[]
): Promise<IncidentAnswer> {
  const path = askPath(incidentId);
  const body = await client.post(path, {
    question,
    history: history.slice(-MAX_HISTORY_TURNS).map((turn) => ({ question: turn.question, answer: turn.answer.answer })),
  });
  return parseIncidentAnswer(body, path);
}

const NO_LLM_HELP =
  'Set the LLM base URL and model on the IntelOps Settings page (or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL for the engine).';

/** Asks the engine; its 409s (no LLM, not analysed) and the LLM's failures (502) come back as sentences. */
export async function askIncidentQuestion(
  lookup: DatasourceLookup,
  incidentId: string,
  question: string,
  history: readonly QuestionTurn[]
): Promise<AskResult> {
  let conflict: AskResult | undefined;
  const result = await readFromEngine(
    lookup,
    withPost((client) => postQuestion(client, incidentId, question, history)),
    (error, datasource) => {
      if (isEngineRequestError(error) && error.status === 409) {
        const detail = error.detail ?? '';
        conflict = /not been analysed/i.test(detail)
          ? { state: 'not-analysed', message: 'Analyze the incident first: questions are answered from its analysis.' }
          : { state: 'no-llm', message: `${detail || 'No LLM is configured.'} ${NO_LLM_HELP}`.trim() };
        return detail;
      }
      if (isEngineRequestError(error) && error.kind === 'upstream' && error.detail) {
        return error.detail;
      }
      return describeEngineFailure(error, datasource.engineUrl ?? 'the configured URL');
    }
  );
  switch (result.state) {
    case 'ok':
      return { state: 'answered', answer: result.value };
    case 'no-datasource':
      return { state: 'failed', message: 'No IntelOps datasource to ask: add one first.' };
    case 'failed':
      return conflict ?? { state: 'failed', message: result.message };
  }
}

/** The answer's cited ids as the root-cause cards show them: kind, summary, a link to Explore. */
export function answerChips(ids: string[], evidence: EvidenceItem[], uids: Record<Upstream, string>): EvidenceChip[] {
  return resolveEvidence(ids, evidence, uids).map(chipFromRef);
}

/** The conversation after a new turn: the last MAX_HISTORY_TURNS kept (what the engine takes as history). */
export function addTurn(turns: readonly QuestionTurn[], turn: QuestionTurn): QuestionTurn[] {
  return [...turns, turn].slice(-MAX_HISTORY_TURNS);
}
