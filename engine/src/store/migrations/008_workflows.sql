-- Workflows saved with PUT /api/v1/workflows/{name}, kept as the text sent (YAML or JSON) so GET gives back its comments.
create table workflows (
  name text primary key,
  source text not null,
  updated_at timestamptz not null default now()
);
