-- Per-mailbox provider state every job of the mailbox consults before calling the provider:
-- * the per-user quota window (Gmail counts units per user per minute): units spent in the
--   current window, so the jobs of one mailbox together stay under its budget instead of each
--   discovering the 429 on its own;
-- * throttled_until: the provider said "not before" (Retry-After): no job of the mailbox calls it
--   again before then;
-- * catch_up: a bounded full sync in progress (cursor expired), resumable by the next run.
create table if not exists mailbox_sync_state (
  mailbox_id uuid primary key references mailboxes (id) on delete cascade,
  window_started_at timestamptz not null default now(),
  units_used integer not null default 0 check (units_used >= 0),
  throttled_until timestamptz,
  catch_up jsonb,
  updated_at timestamptz not null default now()
);
alter table mailbox_sync_state enable row level security;

create or replace function mailbox_sync_state_to_json(s mailbox_sync_state, p_window_seconds integer)
returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'windowStartedAt', s.window_started_at,
    'windowEndsAt', s.window_started_at + make_interval(secs => p_window_seconds),
    'unitsUsed', case when s.window_started_at + make_interval(secs => p_window_seconds) <= now()
                      then 0 else s.units_used end,
    'throttledUntil', case when s.throttled_until > now() then s.throttled_until end,
    'catchUp', s.catch_up)
$$;

/* The state of a mailbox (a fresh one when none is stored yet). */
create or replace function mailbox_sync_state_get(p_mailbox_id uuid, p_window_seconds integer)
returns jsonb
language plpgsql as $$
declare
  s mailbox_sync_state;
begin
  insert into mailbox_sync_state (mailbox_id) values (p_mailbox_id) on conflict (mailbox_id) do nothing;
  select * into s from mailbox_sync_state where mailbox_id = p_mailbox_id;
  return mailbox_sync_state_to_json(s, p_window_seconds);
end
$$;

/* Units a job spent: added to the current window, or starting a new one when it has ended. */
create or replace function mailbox_quota_spend(p_mailbox_id uuid, p_units integer, p_window_seconds integer)
returns jsonb
language plpgsql as $$
declare
  s mailbox_sync_state;
begin
  insert into mailbox_sync_state as m (mailbox_id, units_used) values (p_mailbox_id, greatest(p_units, 0))
  on conflict (mailbox_id) do update
     set units_used = case when m.window_started_at + make_interval(secs => p_window_seconds) <= now()
                           then greatest(p_units, 0) else m.units_used + greatest(p_units, 0) end,
         window_started_at = case when m.window_started_at + make_interval(secs => p_window_seconds) <= now()
                                  then now() else m.window_started_at end,
         updated_at = now()
  returning * into s;
  return mailbox_sync_state_to_json(s, p_window_seconds);
end
$$;

/* The provider answered 429 / Retry-After: nobody calls it for this mailbox before p_until. */
create or replace function mailbox_throttle(p_mailbox_id uuid, p_until timestamptz) returns jsonb
language sql as $$
  insert into mailbox_sync_state as m (mailbox_id, throttled_until) values (p_mailbox_id, p_until)
  on conflict (mailbox_id) do update
     set throttled_until = greatest(coalesce(m.throttled_until, p_until), p_until), updated_at = now()
  returning jsonb_build_object('throttledUntil', throttled_until)
$$;

/* Saves (or, with null, ends) the catch-up in progress. */
create or replace function mailbox_set_catch_up(p_mailbox_id uuid, p_catch_up jsonb) returns jsonb
language sql as $$
  insert into mailbox_sync_state as m (mailbox_id, catch_up) values (p_mailbox_id, p_catch_up)
  on conflict (mailbox_id) do update set catch_up = p_catch_up, updated_at = now()
  returning jsonb_build_object('catchUp', catch_up)
$$;

select app_lockdown();
