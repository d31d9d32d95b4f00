-- Mailboxes: the connected Gmail, Outlook and sandbox inboxes, their encrypted tokens, cursors,
-- push registrations and per-mailbox provider state; webhook payloads that could not be read.

create table mailboxes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  user_id uuid references users (id) on delete set null,
  provider text not null check (provider in ('gmail', 'outlook', 'sandbox')),
  address text not null,
  status text not null default 'active'
    check (status in ('active', 'reconnect_required', 'disconnected')),
  -- JWE (dir + A256GCM) of {accessToken, refreshToken, expiresAt, scope}; never plaintext.
  token_ciphertext text,
  -- Bumped on every token write: a refresh that started from an older version cannot win.
  token_version integer not null default 0,
  token_expires_at timestamptz,
  -- Gmail historyId or Graph deltaLink; advanced only after what it covers is recorded.
  cursor text,
  cursor_updated_at timestamptz,
  last_synced_at timestamptz,
  watch jsonb,
  watch_expires_at timestamptz,
  subscription_id text unique,
  -- sha256 of the Graph clientState: compared in constant time, the secret itself is not kept.
  client_state_hash text,
  last_error text,
  last_error_at timestamptz,
  created_at timestamptz not null default now(),
  check (provider <> 'sandbox' or token_ciphertext is null),
  -- Progress of the Sent-folder reading (20261204100800_relationships.sql): the provider's opaque
  -- cursor (page token, delta link, history id), the phase, how many sent emails were read, the
  -- last error.
  relationship_cursor text,
  relationship_state text not null default 'pending'
    check (relationship_state in ('pending', 'backfilling', 'current', 'failed')),
  relationship_sent_read integer not null default 0,
  relationship_updated_at timestamptz,
  relationship_error text,
  -- When pushes arrive and their usual gap, so the 5-minute fallback poll takes only what needs
  -- polling (mailbox_poll_due): mailboxes with no healthy push (none heard yet, or no watch or
  -- subscription in force); those whose push has been silent longer than its usual gap (three
  -- times the average gap, at least 15 minutes), at most every 15 minutes; every other mailbox at
  -- least hourly. A push is recorded by job_enqueue itself when it enqueues the sync the push asks
  -- for (p_push_mailbox_id), and the poll enqueues all its syncs in one call (job_enqueue_batch).
  last_push_at timestamptz,
  push_gap_seconds double precision,
  last_polled_at timestamptz
);

create unique index mailboxes_live_address_idx on mailboxes (provider, lower(address))
  where status <> 'disconnected';

create index mailboxes_organization_idx on mailboxes (organization_id);

-- Webhook payloads that passed verification (or need none) but could not be read. They are
-- acknowledged so the sender stops redelivering (Pub/Sub retries for up to 7 days, Graph for
-- 4 hours); what we keep is a count per source, reason and day with the last payload's hash, so an
-- operator can see it on /api/health and match it against logs. Counting, not a row per request:
-- an unauthenticated sender (Graph notifications carry no signature) cannot grow this table.
create table webhook_rejections (
  source text not null check (source in ('gmail', 'outlook', 'whatsapp')),
  day date not null default (now() at time zone 'utc')::date,
  reason text not null check (char_length(reason) <= 64),
  count bigint not null default 0,
  last_payload_sha256 text not null check (last_payload_sha256 ~ '^[0-9a-f]{64}$'),
  last_at timestamptz not null default now(),
  primary key (source, day, reason)
);

-- Per-mailbox provider state every job of the mailbox consults before calling the provider:
-- * the per-user quota window (Gmail counts units per user per minute): units spent in the
--   current window, so the jobs of one mailbox together stay under its budget instead of each
--   discovering the 429 on its own;
-- * throttled_until: the provider said "not before" (Retry-After): no job of the mailbox calls it
--   again before then;
-- * catch_up: a bounded full sync in progress (cursor expired), resumable by the next run.
create table mailbox_sync_state (
  mailbox_id uuid primary key references mailboxes (id) on delete cascade,
  window_started_at timestamptz not null default now(),
  units_used integer not null default 0 check (units_used >= 0),
  throttled_until timestamptz,
  catch_up jsonb,
  updated_at timestamptz not null default now()
);

-- Encrypted OAuth tokens on mailboxes. The app encrypts (lib/security/vault.ts); the database only
-- ever sees JWE ciphertext. Writes are compare-and-set on token_version so that of two concurrent
-- refreshes the one that started from an older token cannot overwrite the newer one.
create or replace function mailbox_token_get(p_mailbox_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('mailboxId', id, 'ciphertext', token_ciphertext, 'version', token_version,
                            'expiresAt', token_expires_at, 'status', status)
    from mailboxes where id = p_mailbox_id
$$;

create or replace function mailbox_token_store(
  p_mailbox_id uuid,
  p_ciphertext text,
  p_expires_at timestamptz,
  p_expected_version integer
) returns jsonb
language plpgsql as $$
declare
  v_version integer;
begin
  if p_ciphertext is null or p_ciphertext !~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' then
    raise exception 'token must be stored as compact JWE' using errcode = 'PT422';
  end if;
  update mailboxes
     set token_ciphertext = p_ciphertext, token_expires_at = p_expires_at,
         token_version = token_version + 1
   where id = p_mailbox_id and token_version = p_expected_version
  returning token_version into v_version;
  if found then
    return jsonb_build_object('stored', true, 'version', v_version);
  end if;
  return jsonb_build_object('stored', false,
    'version', (select token_version from mailboxes where id = p_mailbox_id));
end
$$;

-- Every stored ciphertext, for key rotation.
create or replace function mailbox_token_list(p_after uuid default null, p_limit integer default 200) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('mailboxId', id, 'ciphertext', token_ciphertext,
                                               'version', token_version) order by id), '[]')
    from (select id, token_ciphertext, token_version from mailboxes
           where token_ciphertext is not null and (p_after is null or id > p_after)
           order by id limit p_limit) m
$$;

create or replace function mailbox_to_json(m mailboxes) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', m.id, 'organizationId', m.organization_id, 'userId', m.user_id,
    'provider', m.provider, 'address', m.address, 'status', m.status, 'cursor', m.cursor,
    'cursorUpdatedAt', m.cursor_updated_at, 'lastSyncedAt', m.last_synced_at, 'watch', m.watch,
    'watchExpiresAt', m.watch_expires_at, 'subscriptionId', m.subscription_id,
    'clientStateHash', m.client_state_hash, 'tokenExpiresAt', m.token_expires_at,
    'lastError', m.last_error, 'lastErrorAt', m.last_error_at, 'createdAt', m.created_at)
$$;

/*
 * Connects (or reconnects) a mailbox. One live mailbox per provider address across all
 * organizations: push notifications name only the address, so it must map to one mailbox.
 */
create or replace function mailbox_connect(
  p_organization_id uuid,
  p_user_id uuid,
  p_provider text,
  p_address text,
  p_ciphertext text default null,
  p_token_expires_at timestamptz default null
) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  select * into m from mailboxes
   where provider = p_provider and lower(address) = lower(p_address) and status <> 'disconnected'
   for update;
  if found and m.organization_id <> p_organization_id then
    raise exception 'This mailbox is already connected to another FluxAsync account.' using errcode = 'PT409';
  end if;
  if found then
    update mailboxes set status = 'active', user_id = coalesce(p_user_id, user_id),
           token_ciphertext = coalesce(p_ciphertext, token_ciphertext),
           token_expires_at = coalesce(p_token_expires_at, token_expires_at),
           token_version = token_version + 1, last_error = null, last_error_at = null
     where id = m.id returning * into m;
  else
    insert into mailboxes (organization_id, user_id, provider, address, token_ciphertext, token_expires_at)
    values (p_organization_id, p_user_id, p_provider, lower(p_address), p_ciphertext, p_token_expires_at)
    returning * into m;
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, coalesce('user:' || p_user_id, 'system'), 'mailbox.connected', m.id::text);
  return mailbox_to_json(m);
end
$$;

create or replace function mailbox_get(p_mailbox_id uuid) returns jsonb
language sql stable as $$
  select mailbox_to_json(m) from mailboxes m where m.id = p_mailbox_id
$$;

create or replace function mailbox_find_by_address(p_provider text, p_address text) returns jsonb
language sql stable as $$
  select mailbox_to_json(m) from mailboxes m
   where m.provider = p_provider and lower(m.address) = lower(p_address) and m.status <> 'disconnected'
$$;

create or replace function mailbox_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m) order by m.created_at), '[]')
    from mailboxes m where m.organization_id = p_organization_id and m.status <> 'disconnected'
$$;

-- Mailboxes the crons look after (poll, renew).
create or replace function mailbox_list_active(p_provider text default null) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m) order by m.id), '[]')
    from mailboxes m where m.status = 'active' and (p_provider is null or m.provider = p_provider)
$$;

-- Records the push registration; the first one also gives the start cursor.
create or replace function mailbox_set_watch(
  p_mailbox_id uuid,
  p_watch jsonb,
  p_expires_at timestamptz,
  p_subscription_id text default null,
  p_client_state_hash text default null,
  p_start_cursor text default null
) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  update mailboxes set watch = p_watch, watch_expires_at = p_expires_at,
         subscription_id = coalesce(p_subscription_id, subscription_id),
         client_state_hash = coalesce(p_client_state_hash, client_state_hash),
         cursor = coalesce(cursor, p_start_cursor),
         cursor_updated_at = case when cursor is null and p_start_cursor is not null then now() else cursor_updated_at end
   where id = p_mailbox_id returning * into m;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  return mailbox_to_json(m);
end
$$;

/*
 * Records the messages a sync found and enqueues their analysis in the same transaction, so a
 * message is never recorded without its job. Idempotent on (mailbox, provider message id).
 * p_messages: [{id, providerMessageId, job}] — the id the row takes if it is new, and the analysis
 * job for it (built by the app from the job's definition).
 */
create function mailbox_record_messages(p_mailbox_id uuid, p_messages jsonb)
returns jsonb
language plpgsql as $$
declare
  m mailboxes;
  v_item jsonb;
  v_new text[] := '{}';
begin
  select * into m from mailboxes where id = p_mailbox_id;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  for v_item in select * from jsonb_array_elements(coalesce(p_messages, '[]')) loop
    insert into messages (id, organization_id, mailbox_id, provider_message_id)
    values ((v_item->>'id')::uuid, m.organization_id, m.id, v_item->>'providerMessageId')
    on conflict (mailbox_id, provider_message_id) do nothing;
    if found then
      perform job_enqueue_spec(v_item->'job');
      v_new := v_new || (v_item->>'providerMessageId');
    end if;
  end loop;
  return jsonb_build_object('recorded', cardinality(v_new), 'newIds', to_jsonb(v_new));
end
$$;

/*
 * Moves the cursor forward only from the value the sync started with: a slower, older sync can
 * never move it back over messages a newer one already covered.
 */
create or replace function mailbox_advance_cursor(p_mailbox_id uuid, p_cursor text, p_expected text)
returns jsonb
language plpgsql as $$
begin
  update mailboxes set cursor = p_cursor, cursor_updated_at = now(), last_synced_at = now(),
         last_error = null, last_error_at = null
   where id = p_mailbox_id and cursor is not distinct from p_expected;
  if found then
    return jsonb_build_object('advanced', true);
  end if;
  update mailboxes set last_synced_at = now() where id = p_mailbox_id;
  return jsonb_build_object('advanced', false);
end
$$;

-- Access revoked or expired: stop working on the mailbox until the owner reconnects it.
create or replace function mailbox_require_reconnect(p_mailbox_id uuid, p_reason text) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
  v_changed boolean;
begin
  update mailboxes set status = 'reconnect_required', last_error = left(p_reason, 500), last_error_at = now()
   where id = p_mailbox_id and status = 'active' returning * into m;
  v_changed := found;
  if v_changed then
    insert into audit_log (organization_id, actor, action, target, details)
    values (m.organization_id, 'system', 'mailbox.reconnect_required', m.id::text,
            jsonb_build_object('reason', left(p_reason, 200)));
  end if;
  return jsonb_build_object('changed', v_changed);
end
$$;

create or replace function mailbox_disconnect(p_organization_id uuid, p_mailbox_id uuid, p_actor text) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  update mailboxes set status = 'disconnected', token_ciphertext = null, watch = null,
         watch_expires_at = null, subscription_id = null, client_state_hash = null
   where id = p_mailbox_id and organization_id = p_organization_id
  returning * into m;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'mailbox.disconnected', m.id::text);
  return mailbox_to_json(m);
end
$$;

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

-- The mailboxes of a batch of Graph subscription ids in one query: a notification POST with many
-- items (or many forged ids) costs one round trip, not one per item. Unknown ids are simply absent.
create or replace function mailbox_find_by_subscriptions(p_subscription_ids text[]) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m)), '[]')
    from mailboxes m
   where m.subscription_id = any(p_subscription_ids[1:1000]) and m.status <> 'disconnected'
$$;

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

/*
 * A push arrived for this mailbox: remember when, and fold the gap since the previous one into its
 * usual gap (an exponential average; a gap longer than a day — a weekend — counts as a day).
 * Called by job_enqueue for the sync the push asks for, so it costs no round trip of its own.
 */
create or replace function mailbox_record_push(p_mailbox_id uuid) returns void
language sql as $$
  update mailboxes
     set push_gap_seconds = case
           when last_push_at is null then push_gap_seconds
           when push_gap_seconds is null then least(extract(epoch from now() - last_push_at), 86400)
           else 0.8 * push_gap_seconds + 0.2 * least(extract(epoch from now() - last_push_at), 86400)
         end,
         last_push_at = now()
   where id = p_mailbox_id
$$;

/* The active mailboxes the fallback poll should sync now (the rule is above mailboxes.last_push_at). */
create or replace function mailbox_poll_due(p_provider text default null) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(m.id order by m.id), '[]')
    from mailboxes m
   where m.status = 'active'
     and (p_provider is null or m.provider = p_provider)
     and (
       m.last_push_at is null
       or m.watch_expires_at is null or m.watch_expires_at <= now()
       or m.last_polled_at is null
       or m.last_polled_at <= now() - interval '55 minutes'
       or (now() - m.last_push_at > greatest(interval '15 minutes', make_interval(secs => 3 * coalesce(m.push_gap_seconds, 0)))
           and m.last_polled_at <= now() - interval '15 minutes')
     )
$$;
