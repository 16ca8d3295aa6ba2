-- When each schedule trigger fires next: one row per workflow and trigger (its index in triggers), shared by every
-- engine. A due row is claimed with for update skip locked and advanced in the transaction that starts its run, so
-- a tick fires once however many engines poll. cron and timezone are kept to notice when a trigger was edited.
create table workflow_schedules (
  workflow text not null,
  trigger_index integer not null,
  cron text not null,
  timezone text not null,
  next_at timestamptz not null,
  last_fired_at timestamptz,
  primary key (workflow, trigger_index)
);
create index workflow_schedules_due_idx on workflow_schedules (next_at);
