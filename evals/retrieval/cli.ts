// npm run eval -- retrieval [--data DIR] [--k K] [--json FILE] [--min-hit-rate X]
// Runs the labelled queries of <data>/eval/queries.yaml through the knowledge base's search over <data>/runbooks and
// prints hit rate @1/@3/@5 and MRR, and the queries missed at k; --min-hit-rate gates hit rate @k (exit 1 below it).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_KNOWLEDGE } from '../defaults.ts';
import { evalRetrieval, RANKING_DEPTH } from './evalRetrieval.ts';
import type { RetrievalReport } from './evalRetrieval.ts';

/** Runs the retrieval eval on command-line arguments (after `retrieval`); returns the exit code. */
export async function runRetrievalEval(argv: string[]): Promise<number> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: DEFAULT_KNOWLEDGE },
      k: { type: 'string', default: '3' },
      json: { type: 'string' },
      'min-hit-rate': { type: 'string' },
    },
  });
  const k = Number(args.k);
  if (!Number.isInteger(k) || k < 1 || k > RANKING_DEPTH) {
    console.error(`--k takes a whole number from 1 to ${RANKING_DEPTH}; got "${args.k}"`);
    return 2;
  }
  let minHitRate: number | undefined;
  if (args['min-hit-rate'] !== undefined) {
    minHitRate = Number(args['min-hit-rate']);
    if (!Number.isFinite(minHitRate) || minHitRate < 0 || minHitRate > 1) {
      console.error(`--min-hit-rate takes a number between 0 and 1; got "${args['min-hit-rate']}"`);
      return 2;
    }
  }
  let report: RetrievalReport;
  try {
    report = await evalRetrieval(args.data, { ks: [k] });
  } catch (error) {
    console.error(`retrieval: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  printReport(args.data, report, k);
  if (args.json !== undefined) {
    const { queries, runbooks, hybrid, hitRate, mrr, results } = report;
    writeFileSync(args.json, `${JSON.stringify({ queries, runbooks, hybrid, k, hitRate, mrr, results }, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
  const atK = report.hitRate[k] ?? 0;
  if (minHitRate !== undefined && atK < minHitRate) {
    console.error(`FAIL hit rate @${k} ${atK.toFixed(3)} is below the floor ${minHitRate}`);
    return 1;
  }
  return 0;
}

function printReport(data: string, report: RetrievalReport, k: number): void {
  console.log(
    `Retrieval over ${report.runbooks} runbooks, ${report.queries} labelled queries (${report.hybrid ? 'BM25 + embeddings' : 'BM25'}), ${data}`
  );
  const ks = Object.keys(report.hitRate).map(Number);
  console.log(ks.map((n) => `hit@${n}`.padStart(7)).join(' ') + `${'MRR'.padStart(7)}`);
  console.log(
    ks.map((n) => (report.hitRate[n] ?? 0).toFixed(3).padStart(7)).join(' ') + report.mrr.toFixed(3).padStart(7)
  );
  const misses = report.results.filter((result) => result.rank === null || result.rank > k);
  if (misses.length > 0) {
    console.log(`missed at k=${k} (rank of the first expected runbook; - when not in the top ${RANKING_DEPTH}):`);
    for (const miss of misses) {
      const services = miss.services.length > 0 ? ` [${miss.services.join(',')}]` : '';
      console.log(
        `  ${String(miss.rank ?? '-').padStart(2)}  ${miss.text}${services}  expected ${miss.expect.join('|')}, got ${miss.ranking.slice(0, k).join(', ')}`
      );
    }
  }
}
