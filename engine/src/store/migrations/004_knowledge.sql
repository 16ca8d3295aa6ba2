-- Knowledge documents kept in the database: resolved incidents with their confirmed cause and remediation
-- (runbooks are markdown files, but uploaded ones can live here too).
create table knowledge_documents (
  id text primary key,
  kind text not null check (kind in ('runbook', 'incident')),
  title text not null,
  body text not null,
  services jsonb not null,
  tags jsonb not null,
  signals jsonb not null,
  source text not null,
  incident jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index knowledge_documents_kind_idx on knowledge_documents (kind, updated_at desc);
