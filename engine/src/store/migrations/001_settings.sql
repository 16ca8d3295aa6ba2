-- The engine's non-secret settings: one JSON document in a single row (id is always 1).
create table settings (
  id integer primary key default 1 check (id = 1),
  document jsonb not null,
  updated_at timestamptz not null default now()
);
