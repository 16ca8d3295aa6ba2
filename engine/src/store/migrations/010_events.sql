-- What happened, written in the same transaction as the change it reports (an outbox): workflow triggers read it,
-- so an event is never lost between a commit and a crash, and several engines share one list.
create table engine_events (
  id bigserial primary key,
  kind text not null check (kind in ('incident.created', 'incident.updated', 'incident.resolved', 'rca.ready', 'change.created')),
  subject text not null,
  at timestamptz not null,
  dispatched_at timestamptz
);
create index engine_events_pending_idx on engine_events (id) where dispatched_at is null;
create index engine_events_dispatched_idx on engine_events (dispatched_at) where dispatched_at is not null;
