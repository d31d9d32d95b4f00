-- Webhook payloads that passed verification (or need none) but could not be read. They are
-- acknowledged so the sender stops redelivering (Pub/Sub retries for up to 7 days, Graph for
-- 4 hours); what we keep is a count per source, reason and day with the last payload's hash, so an
-- operator can see it on /api/health and match it against logs. Counting, not a row per request:
-- an unauthenticated sender (Graph notifications carry no signature) cannot grow this table.
create table if not exists webhook_rejections (
  source text not null check (source in ('gmail', 'outlook', 'whatsapp')),
  day date not null default (now() at time zone 'utc')::date,
  reason text not null check (char_length(reason) <= 64),
  count bigint not null default 0,
  last_payload_sha256 text not null check (last_payload_sha256 ~ '^[0-9a-f]{64}$'),
  last_at timestamptz not null default now(),
  primary key (source, day, reason)
);
alter table webhook_rejections enable row level security;

create or replace function webhook_rejection_record(p_source text, p_reason text, p_payload_sha256 text)
returns jsonb
language sql as $$
  with upserted as (
    insert into webhook_rejections as w (source, reason, count, last_payload_sha256)
    values (p_source, left(p_reason, 64), 1, p_payload_sha256)
    on conflict (source, day, reason) do update
       set count = w.count + 1, last_payload_sha256 = excluded.last_payload_sha256, last_at = now()
    returning w.count
  ), pruned as (
    delete from webhook_rejections where day < (now() at time zone 'utc')::date - 30
  )
  select jsonb_build_object('count', count) from upserted
$$;

/* Counts per source over the UTC days from p_since on: { "gmail": 2, "outlook": 0, "whatsapp": 0 }. */
create or replace function webhook_rejection_counts(p_since timestamptz) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'gmail', coalesce(sum(count) filter (where source = 'gmail'), 0),
    'outlook', coalesce(sum(count) filter (where source = 'outlook'), 0),
    'whatsapp', coalesce(sum(count) filter (where source = 'whatsapp'), 0))
    from webhook_rejections where day >= (p_since at time zone 'utc')::date
$$;

select app_lockdown();
