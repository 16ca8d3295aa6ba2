import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import { loadAgentRunsByIds } from './agentRuns.ts';
import type { Queryable } from './store.ts';

/** The evals' figures over a set of agent runs (nulls when there is nothing to compute one from). */
export interface RunFigures {
  /** Analyses (kind analyze). */
  analyses: number;
  /** Runs of every kind that ended. */
  runs: number;
  errors: number;
  p95LatencyMs: number | null;
  /** Median time to first token. */
  ttftMs: number | null;
  retrievals: number;
  retrievalHits: number;
  /** Citations the hallucination guard checked, and those it dropped. */
  citations: number;
  citationsDropped: number;
  judged: number;
  faithfulness: number | null;
  verdicts: number;
  /** Verdicts confirming a cause the run listed. */
  confirmedListed: number;
}

interface FiguresRow {
  analyses: number;
  runs: number;
  errors: number;
  p95: number | null;
  ttft: number | null;
  retrievals: number;
  hits: number;
  citations: number;
  dropped: number;
  judged: number;
  faithfulness: number | null;
  verdicts: number;
  confirmed: number;
}

// Runs still running have no outcome yet; the figures count runs that ended. Latency is the analyses'.
const FIGURES = `
  count(*) filter (where kind = 'analyze')::int as analyses,
  count(*)::int as runs,
  count(*) filter (where status = 'error')::int as errors,
  percentile_cont(0.95) within group (order by duration_ms) filter (where kind = 'analyze') as p95,
  percentile_cont(0.5) within group (order by ttft_ms) as ttft,
  count(retrieval_hit)::int as retrievals,
  count(*) filter (where retrieval_hit)::int as hits,
  coalesce(sum(citations), 0)::int as citations,
  coalesce(sum(citations_dropped), 0)::int as dropped,
  count(*) filter (where jsonb_typeof(judge -> 'faithfulness') = 'number')::int as judged,
  avg((judge ->> 'faithfulness')::float8) filter (where jsonb_typeof(judge -> 'faithfulness') = 'number') as faithfulness,
  count(human)::int as verdicts,
  count(*) filter (where human ->> 'verdict' = 'confirm' and jsonb_typeof(human -> 'rank') = 'number')::int as confirmed`;

function figures(row: FiguresRow | undefined): RunFigures {
  return {
    analyses: row?.analyses ?? 0,
    runs: row?.runs ?? 0,
    errors: row?.errors ?? 0,
    p95LatencyMs: row?.p95 ?? null,
    ttftMs: row?.ttft ?? null,
    retrievals: row?.retrievals ?? 0,
    retrievalHits: row?.hits ?? 0,
    citations: row?.citations ?? 0,
    citationsDropped: row?.dropped ?? 0,
    judged: row?.judged ?? 0,
    faithfulness: row?.faithfulness ?? null,
    verdicts: row?.verdicts ?? 0,
    confirmedListed: row?.confirmed ?? 0,
  };
}

/** The figures of the runs started in [from, to). */
export async function runFigures(db: Queryable, from: Date, to: Date): Promise<RunFigures> {
  const { rows } = await db.query<FiguresRow>(
    `select ${FIGURES} from agent_runs where started_at >= $1 and started_at < $2 and status <> 'running'`,
    [from, to]
  );
  return figures(rows[0]);
}

/** The figures per bucket of `stepMs` (buckets aligned to multiples of the step since the epoch), by bucket start. */
export async function runFiguresByBucket(
  db: Queryable,
  from: Date,
  to: Date,
  stepMs: number
): Promise<Map<number, RunFigures>> {
  const { rows } = await db.query<FiguresRow & { bucket: number }>(
    `select (floor(extract(epoch from started_at) * 1000 / $3::float8) * $3::float8)::float8 as bucket, ${FIGURES}
       from agent_runs where started_at >= $1 and started_at < $2 and status <> 'running'
      group by 1 order by 1`,
    [from, to, stepMs]
  );
  return new Map(rows.map((row) => [row.bucket, figures(row)]));
}

export const MAX_WORST_RUNS = 10;

/**
 * The runs most worth a look in [from, to): failures (newest first), then analyses the judge found less faithful
 * than `faithfulnessBelow` (least faithful first), then the slowest analyses.
 */
export async function worstRuns(
  db: Queryable,
  from: Date,
  to: Date,
  options: { faithfulnessBelow: number; limit?: number }
): Promise<AgentRunRecord[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from agent_runs, lateral (select case when jsonb_typeof(judge -> 'faithfulness') = 'number'
                                                  then (judge ->> 'faithfulness')::float8 end as faithfulness) judged
      where started_at >= $1 and started_at < $2 and status <> 'running' and (status = 'error' or kind = 'analyze')
      order by case when status = 'error' then 0 when judged.faithfulness < $3 then 1 else 2 end,
               case when status = 'error' then started_at end desc nulls last,
               judged.faithfulness asc nulls last,
               duration_ms desc nulls last,
               id
      limit $4`,
    [from, to, options.faithfulnessBelow, options.limit ?? MAX_WORST_RUNS]
  );
  return loadAgentRunsByIds(db, rows.map((row) => row.id));
}

/** Alerts received (deliveries included) and incidents opened since `since`, for the alert compression ratio. */
export async function alertCompression(db: Queryable, since: Date): Promise<{ alerts: number; incidents: number }> {
  const { rows } = await db.query<{ alerts: number; incidents: number }>(
    `select (select coalesce(sum(deliveries), 0) from alerts where starts_at >= $1)::bigint as alerts,
            (select count(*) from incidents where starts_at >= $1)::int as incidents`,
    [since]
  );
  return { alerts: rows[0]?.alerts ?? 0, incidents: rows[0]?.incidents ?? 0 };
}
