-- Agent runs: every analysis, follow-up question, workflow draft, LLM-as-judge call and workflow run the engine
-- makes, as the OpenTelemetry trace it was recorded as (the run id is its trace id), with the figures the evals read.
create table agent_runs (
  id text primary key,
  kind text not null check (kind in ('analyze', 'ask', 'draft', 'judge', 'workflow')),
  -- The investigation it belongs to: the incident id for analyses and questions.
  session_id text,
  incident_id text,
  workflow_run_id text,
  started_at timestamptz not null,
  duration_ms double precision,
  status text not null check (status in ('running', 'ok', 'error')),
  error text,
  -- The LLM it used, if any, with its usage summed over the run's calls.
  model text,
  llm_calls integer not null default 0,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  cost_usd double precision,
  -- The first LLM call's time to first token (streamed calls only).
  ttft_ms double precision,
  -- Retrieval: the query, the hits with scores, and whether any hit cleared the relevance floor.
  retrieval jsonb,
  retrieval_hit boolean,
  -- Citations in the answer and those the hallucination guard dropped.
  citations integer not null default 0,
  citations_dropped integer not null default 0,
  -- graph | llm, for analyses.
  method text,
  -- LLM-as-judge: {faithfulness, verdict, reasons, model, at}; a person's verdict: {verdict, rank, by, at}.
  judge jsonb,
  human jsonb
);
create index agent_runs_started_idx on agent_runs (started_at desc);
create index agent_runs_incident_idx on agent_runs (incident_id, started_at desc) where incident_id is not null;

-- The run's spans as they were exported, for the agent trace panel (Tempo keeps them too when OTLP is set).
create table agent_spans (
  run_id text not null references agent_runs (id) on delete cascade,
  span_id text not null,
  parent_span_id text,
  name text not null,
  -- perception | retrieval | llm | tool | action | other: what the panel colours by.
  kind text not null,
  start_time timestamptz not null,
  duration_ms double precision not null,
  status text not null check (status in ('unset', 'ok', 'error')),
  attributes jsonb not null default '{}',
  events jsonb not null default '[]',
  primary key (run_id, span_id)
);
