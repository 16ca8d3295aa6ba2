-- Deploys, configuration changes and feature flags: incidents that overlap one get it as a candidate cause.
create table changes (
  id text primary key,
  kind text not null check (kind in ('deploy', 'config', 'feature_flag', 'infrastructure', 'other')),
  service text not null,
  title text not null,
  description text,
  starts_at timestamptz not null,
  ends_at timestamptz,
  author text,
  version text,
  url text,
  labels jsonb not null default '{}',
  received_at timestamptz not null
);
create index changes_starts_at_idx on changes (starts_at desc);
create index changes_service_idx on changes (service, starts_at desc);
