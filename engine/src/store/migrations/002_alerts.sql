-- Alerts as received (one row per fingerprint and start: a redelivery updates the row), the incidents
-- they are grouped into, and the CMDB (one JSON document, like settings).
create table alerts (
  fingerprint text not null,
  starts_at timestamptz not null,
  status text not null check (status in ('firing', 'resolved')),
  ends_at timestamptz,
  source text not null,
  labels jsonb not null,
  annotations jsonb not null,
  title text not null,
  severity text not null,
  service text,
  generator_url text,
  incident_id text,
  join_reason jsonb,
  first_received timestamptz not null,
  last_received timestamptz not null,
  -- When the engine first learned that the alert resolved: the quiet period counts from here.
  resolved_received timestamptz,
  deliveries integer not null default 1,
  primary key (fingerprint, starts_at)
);
create index alerts_incident_idx on alerts (incident_id, starts_at);
create index alerts_starts_at_idx on alerts (starts_at);

create table incidents (
  id text primary key,
  title text not null,
  severity text not null,
  status text not null check (status in ('open', 'resolving', 'resolved')),
  services text[] not null default '{}',
  starts_at timestamptz not null,
  ends_at timestamptz,
  -- The last time a new alert arrived or an alert resolved: resolving becomes resolved a quiet period later.
  quiet_since timestamptz not null,
  tags jsonb not null default '{}',
  grouping_reasons jsonb not null default '[]',
  alert_count integer not null,
  flaps integer not null default 0,
  updated_at timestamptz not null
);
create index incidents_starts_at_idx on incidents (starts_at desc, id);
create index incidents_ends_at_idx on incidents (ends_at);
create index incidents_resolving_idx on incidents (quiet_since) where status = 'resolving';
create index incidents_services_idx on incidents using gin (services);

create table cmdb (
  id integer primary key default 1 check (id = 1),
  document jsonb not null,
  updated_at timestamptz not null default now()
);
