import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import {
  type AnalysisStep,
  analyzeIncident,
  fetchAnalysisSteps,
  fetchRca,
  isRcaMissing,
  postFeedback,
  type RcaResult,
  type Verdict,
} from '../datasource/rootCauses';
import type { DatasourceLookup, EngineDatasource } from './engineConnection';
import type { EngineReaderWriter } from './evidence';
import { type EngineRead, readFromEngine } from './incidents';

function canPost(client: object): client is EngineReaderWriter {
  return typeof Reflect.get(client, 'post') === 'function';
}

/** Runs `read` with a client that can POST; an old datasource without post says to update the plugin. */
export function withPost<T>(read: (client: EngineReaderWriter) => Promise<T>) {
  return (client: object) => {
    if (!canPost(client)) {
      throw new Error('this IntelOps datasource cannot send POST requests: update the IntelOps plugin');
    }
    return read(client);
  };
}

function engineName(datasource: EngineDatasource): string {
  return datasource.engineUrl ?? 'the configured URL';
}

/** GET …/rca: the last analysis, or null when the incident was not analysed yet. */
export function loadRca(lookup: DatasourceLookup, incidentId: string): Promise<EngineRead<RcaResult | null>> {
  return readFromEngine(lookup, async (client) => {
    const rca = await fetchRca(client, incidentId);
    return isRcaMissing(rca) ? null : rca;
  });
}

/** GET …/analysis: the steps of the analysis in flight, for the progress line. */
export function loadAnalysisSteps(lookup: DatasourceLookup, incidentId: string): Promise<EngineRead<AnalysisStep[]>> {
  return readFromEngine(lookup, (client) => fetchAnalysisSteps(client, incidentId));
}

/** POST …/analyze, synchronously: the engine answers when perception, context and reasoning are done. */
export function runAnalysis(lookup: DatasourceLookup, incidentId: string): Promise<EngineRead<RcaResult>> {
  return readFromEngine(
    lookup,
    withPost((client) => analyzeIncident(client, incidentId)),
    (error, datasource) =>
      isEngineRequestError(error) && error.kind === 'not-found'
        ? `The engine at ${engineName(datasource)} cannot analyse incidents yet (${error.detail ?? 'no analyze route'}): update the engine.`
        : describeEngineFailure(error, engineName(datasource))
  );
}

/** POST …/feedback with the user's verdict on one cause; undefined when saved, else the reason it was not. */
export async function giveFeedback(
  lookup: DatasourceLookup,
  incidentId: string,
  feedback: { service: string; verdict: Verdict; by: string | undefined }
): Promise<string | undefined> {
  const result = await readFromEngine(
    lookup,
    withPost((client) =>
      postFeedback(client, incidentId, {
        service: feedback.service,
        verdict: feedback.verdict,
        ...(feedback.by ? { by: feedback.by } : {}),
      })
    )
  );
  switch (result.state) {
    case 'ok':
      return undefined;
    case 'no-datasource':
      return 'No IntelOps datasource to send it to.';
    case 'failed':
      return result.message;
  }
}
