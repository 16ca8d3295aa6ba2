import type { AgentRun } from '../../datasource/agentRuns';

const numbers = new Intl.NumberFormat('en-US');

function plural(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`;
}

/** "$0.00071": small costs keep their significant digits. */
export function formatCost(usd: number): string {
  return `$${usd >= 0.01 ? usd.toFixed(2) : usd.toPrecision(2)}`;
}

function retrievalText(run: AgentRun): string | undefined {
  if (run.retrievalHit === null && !run.retrieval) {
    return undefined;
  }
  const hit =
    run.retrievalHit === null ? '' : run.retrievalHit ? 'hit' : 'miss (no document cleared the relevance floor)';
  if (!run.retrieval) {
    return hit;
  }
  const best = Math.max(...run.retrieval.hits.map((h) => h.score));
  const documents =
    run.retrieval.hits.length > 0
      ? `${plural(run.retrieval.hits.length, 'document')}, best score ${best.toFixed(2)}`
      : 'no documents';
  return `${hit ? `${hit}: ` : ''}“${run.retrieval.query}”, ${documents}`;
}

/** The run's figures as [term, value] rows, leaving out what the run did not have. */
export function runFacts(
  run: AgentRun,
  formatTime: (ms: number) => string,
  formatDuration: (ms: number) => string
): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    ['Started', formatTime(Date.parse(run.startedAt))],
    ['Duration', run.durationMs === null ? 'still running' : formatDuration(run.durationMs)],
    ['Method', run.method === 'llm' ? 'LLM' : run.method === 'graph' ? 'dependency graph ranking' : undefined],
    ['Model', run.model ?? undefined],
    ['LLM calls', run.llmCalls > 0 ? String(run.llmCalls) : undefined],
    [
      'Tokens',
      run.llmCalls > 0 ? `${numbers.format(run.inputTokens)} in · ${numbers.format(run.outputTokens)} out` : undefined,
    ],
    ['Estimated cost', run.costUsd === null ? undefined : formatCost(run.costUsd)],
    ['Time to first token', run.ttftMs === null ? undefined : formatDuration(run.ttftMs)],
    ['Retrieval', retrievalText(run)],
    [
      'Citations',
      run.citations > 0 || run.citationsDropped > 0
        ? `${numbers.format(run.citations)}${run.citationsDropped > 0 ? `, ${plural(run.citationsDropped, 'dropped as hallucination', 'dropped as hallucinations')}` : ''}`
        : undefined,
    ],
    [
      'Judge',
      run.judge
        ? `${run.judge.verdict.replace('_', ' ')}: ${Math.round(run.judge.faithfulness * 100)}% of its claims supported (${run.judge.model})`
        : undefined,
    ],
    [
      'Person',
      run.human
        ? `${run.human.verdict === 'confirm' ? 'confirmed' : 'rejected'} ${run.human.service}${run.human.rank === null ? '' : ` (cause ${run.human.rank})`}${run.human.by ? ` by ${run.human.by}` : ''}`
        : undefined,
    ],
    ['Run ID', run.id],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}
