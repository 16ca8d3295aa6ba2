-- Workflow runs: the definition as it was when the run started, so that editing a workflow never changes a run in
-- flight. A run is runnable when its status is open, wake_at has come and no live lease holds it.
create table workflow_runs (
  id text primary key,
  workflow text not null,
  definition jsonb not null,
  trigger text not null,
  context jsonb not null,
  dry_run boolean not null default false,
  status text not null check (status in ('queued', 'running', 'waiting_approval', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz,
  -- The runner (engine replica) working on it, until lease_until; a lapsed lease lets another take it over.
  claimed_by text,
  lease_until timestamptz,
  -- When it next has something to do: now, a retry's next attempt, or an approval's expiry.
  wake_at timestamptz not null
);
create index workflow_runs_runnable_idx on workflow_runs (wake_at) where status in ('queued', 'running', 'waiting_approval');
create index workflow_runs_workflow_idx on workflow_runs (workflow, created_at desc);
create index workflow_runs_created_idx on workflow_runs (created_at desc);

-- One row per step of a run. The idempotency key is stable across attempts and restarts: actions pass it on, so a
-- step re-run after a crash is deduplicated by the receiver.
create table workflow_steps (
  run_id text not null references workflow_runs (id) on delete cascade,
  step_id text not null,
  index integer not null,
  action text not null,
  status text not null check (status in ('pending', 'running', 'waiting_approval', 'succeeded', 'failed', 'skipped', 'rejected', 'expired')),
  attempt integer not null default 0,
  -- Attempts cut short by a crash or shutdown; they do not count against retries, but a step cannot loop forever.
  interruptions integer not null default 0,
  idempotency_key text not null,
  -- The rendered input, kept so that what was approved is what runs, also after a restart.
  input jsonb,
  output jsonb,
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  next_attempt_at timestamptz,
  primary key (run_id, step_id),
  unique (run_id, index)
);

create table workflow_approvals (
  id text primary key,
  run_id text not null references workflow_runs (id) on delete cascade,
  step_id text not null,
  what text not null,
  requested_at timestamptz not null,
  expires_at timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  decision text check (decision in ('approved', 'rejected', 'expired')),
  reason text,
  unique (run_id, step_id)
);
create index workflow_approvals_pending_idx on workflow_approvals (requested_at) where decision is null;

create table workflow_audit (
  id bigserial primary key,
  run_id text not null references workflow_runs (id) on delete cascade,
  step_id text,
  at timestamptz not null,
  actor text not null,
  event text not null,
  detail jsonb not null default '{}'
);
create index workflow_audit_run_idx on workflow_audit (run_id, id);
