-- Tag rules saved with PUT /api/v1/tag-rules, kept as the text sent (YAML or JSON) so GET gives back its comments.
create table tag_rules (
  id integer primary key default 1 check (id = 1),
  source text not null,
  updated_at timestamptz not null default now()
);
