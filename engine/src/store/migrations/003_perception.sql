-- Log templates the miner learned (ids stay the same across restarts), and the evidence collected per incident.
create table log_templates (
  id text primary key,
  tokens jsonb not null,
  count bigint not null,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  sample text not null
);
create index log_templates_last_seen_idx on log_templates (last_seen desc);

create table incident_evidence (
  incident_id text primary key references incidents (id) on delete cascade,
  collected_at timestamptz not null,
  sources jsonb not null,
  evidence jsonb not null
);
