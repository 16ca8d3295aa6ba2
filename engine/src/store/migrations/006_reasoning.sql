-- The latest root-cause analysis of each incident, as the API returns it.
create table incident_rca (
  incident_id text primary key references incidents (id) on delete cascade,
  analyzed_at timestamptz not null,
  result jsonb not null
);

-- What SREs said of the causes: confirmed ones feed the knowledge base, both feed accuracy metrics.
create table rca_feedback (
  id bigserial primary key,
  incident_id text not null references incidents (id) on delete cascade,
  service text not null,
  verdict text not null check (verdict in ('confirm', 'reject')),
  by_user text,
  comment text,
  remediation text,
  at timestamptz not null
);
create index rca_feedback_incident_idx on rca_feedback (incident_id, at);

-- The incident as the LLM and workflows read it (owner, change window, business tags, evidence ids).
alter table incident_rca add column payload jsonb;

-- Tags from the tag rules, set by each analysis; the intake owns `tags` and rewrites them with every alert.
alter table incidents add column context_tags jsonb not null default '{}';
