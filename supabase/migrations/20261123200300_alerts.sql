-- Alert delivery: one alert per (message, recipient, kind), a send state machine that never sends
-- twice when the first outcome is known, statuses that never move backwards, escalation, digests.

create or replace function status_rank(p_status text) returns integer
language sql immutable as $$
  select case p_status when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 0 end
$$;

-- Everything alert.send needs: the alert, its recipient, its message and the mailbox it came from.
create or replace function alert_context(p_alert_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('alert', alert_to_json(a), 'recipient', recipient_to_json(r),
    'message', case when m.id is null then null else message_to_json(m) end,
    'mailbox', case when mb.id is null then null else jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address) end)
    from alerts a
    join recipients r on r.id = a.recipient_id
    left join messages m on m.id = a.message_id
    left join mailboxes mb on mb.id = m.mailbox_id
   where a.id = p_alert_id
$$;

/*
 * Queues an alert of any kind and its send job together. Reminders, escalations, digests and
 * notices reuse this; the unique (message, recipient, kind) or dedupe key makes a repeat a no-op.
 */
create or replace function alert_queue(
  p_recipient_id uuid,
  p_kind text,
  p_message_id uuid default null,
  p_dedupe_key text default null,
  p_run_at timestamptz default null,
  p_rendered jsonb default null
) returns jsonb
language plpgsql as $$
declare
  a alerts;
  r recipients;
begin
  select * into r from recipients where id = p_recipient_id;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  insert into alerts (organization_id, message_id, recipient_id, kind, dedupe_key, rendered, hold_until)
  values (r.organization_id, p_message_id, r.id, p_kind, p_dedupe_key, p_rendered, p_run_at)
  on conflict do nothing
  returning * into a;
  if not found then
    return jsonb_build_object('created', false);
  end if;
  insert into jobs (kind, key, payload, run_at)
  values ('alert.send', 'alert:' || a.id, jsonb_build_object('alertId', a.id), coalesce(p_run_at, now()))
  on conflict (key) do nothing;
  return jsonb_build_object('created', true, 'alert', alert_to_json(a));
end
$$;

/*
 * Claims an alert for sending. Returns what the job should do:
 * - send: it was pending/held, or an earlier attempt failed in a retryable way;
 * - done: it was already sent (or further), or was skipped: never send twice;
 * - wait: an earlier attempt's outcome is unknown (timeout, or the process died between the request
 *   and recording it). Meta echoes our alert id in status webhooks, so we wait for one before resending;
 *   after p_wait_seconds without news we send again.
 */
create or replace function alert_begin_send(p_alert_id uuid, p_wait_seconds integer default 600) returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  select * into a from alerts where id = p_alert_id for update;
  if not found then
    return jsonb_build_object('action', 'done', 'reason', 'gone');
  end if;
  if a.status in ('sent', 'delivered', 'read', 'skipped', 'failed') then
    return jsonb_build_object('action', 'done', 'reason', a.status);
  end if;
  if a.status in ('sending', 'unknown') and a.send_started_at > now() - make_interval(secs => p_wait_seconds) then
    return jsonb_build_object('action', 'wait', 'until', a.send_started_at + make_interval(secs => p_wait_seconds));
  end if;
  update alerts set status = 'sending', attempts = attempts + 1, send_started_at = now(), hold_until = null
   where id = a.id returning * into a;
  return jsonb_build_object('action', 'send', 'attempt', a.attempts);
end
$$;

create or replace function alert_record_sent(p_alert_id uuid, p_wa_message_id text, p_delivery text, p_rendered jsonb)
returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  update alerts set
    wa_message_id = coalesce(wa_message_id, p_wa_message_id),
    delivery = p_delivery,
    rendered = coalesce(p_rendered, rendered),
    status = case when status_rank(status) >= 1 then status else 'sent' end,
    sent_at = coalesce(sent_at, now()),
    error_code = null, error_message = null,
    status_history = status_history || jsonb_build_array(jsonb_build_object('status', 'sent', 'at', now()))
   where id = p_alert_id returning * into a;
  return jsonb_build_object('ok', found);
end
$$;

-- The send's outcome is unknown (timeout): keep waiting for a status webhook before any resend.
create or replace function alert_record_unknown(p_alert_id uuid, p_error text) returns jsonb
language sql as $$
  update alerts set status = 'unknown', error_message = left(p_error, 300)
   where id = p_alert_id and status = 'sending'
  returning jsonb_build_object('ok', true)
$$;

create or replace function alert_record_failure(p_alert_id uuid, p_code integer, p_error text, p_final boolean)
returns jsonb
language sql as $$
  update alerts set
    status = case when p_final then 'failed' else 'pending' end,
    error_code = p_code, error_message = left(p_error, 300),
    failed_at = case when p_final then now() else failed_at end,
    status_history = status_history || jsonb_build_array(jsonb_build_object('status', 'failed', 'at', now(), 'code', p_code))
   where id = p_alert_id and status_rank(status) = 0
  returning jsonb_build_object('ok', true, 'status', status)
$$;

create or replace function alert_set_status(p_alert_id uuid, p_status text, p_hold_until timestamptz default null)
returns jsonb
language sql as $$
  update alerts set status = p_status, hold_until = p_hold_until
   where id = p_alert_id and status_rank(status) = 0
  returning jsonb_build_object('ok', true)
$$;

/*
 * A status webhook. Deduplicated (the same status twice is recorded once) and monotonic
 * (sent < delivered < read: a late "delivered" after "read" changes nothing). A failure counts
 * only before delivery. Finds the alert by WhatsApp id, or by our id echoed in
 * biz_opaque_callback_data when the send's answer was lost.
 */
create or replace function alert_apply_status(
  p_wa_message_id text,
  p_alert_id uuid,
  p_status text,
  p_at timestamptz,
  p_error_code integer default null,
  p_error_message text default null
) returns jsonb
language plpgsql as $$
declare
  a alerts;
  v_entry jsonb := jsonb_build_object('status', p_status, 'at', p_at);
begin
  select * into a from alerts where wa_message_id = p_wa_message_id for update;
  if not found and p_alert_id is not null then
    select * into a from alerts where id = p_alert_id for update;
  end if;
  if not found then
    return jsonb_build_object('applied', false, 'reason', 'unknown_message');
  end if;
  if a.status_history @> jsonb_build_array(jsonb_build_object('status', p_status, 'at', p_at)) then
    return jsonb_build_object('applied', false, 'reason', 'duplicate', 'alertId', a.id);
  end if;
  if p_error_code is not null then
    v_entry := v_entry || jsonb_build_object('code', p_error_code);
  end if;
  update alerts set
    wa_message_id = coalesce(wa_message_id, p_wa_message_id),
    status_history = status_history || jsonb_build_array(v_entry),
    status = case
      when p_status = 'failed' and status_rank(status) < 2 then 'failed'
      when p_status <> 'failed' and status_rank(p_status) > status_rank(status) then p_status
      else status end,
    sent_at = case when p_status in ('sent', 'delivered', 'read') then coalesce(sent_at, p_at) else sent_at end,
    delivered_at = case when p_status in ('delivered', 'read') then coalesce(delivered_at, p_at) else delivered_at end,
    read_at = case when p_status = 'read' then coalesce(read_at, p_at) else read_at end,
    failed_at = case when p_status = 'failed' and status_rank(status) < 2 then p_at else failed_at end,
    error_code = case when p_status = 'failed' then p_error_code else error_code end,
    error_message = case when p_status = 'failed' then left(p_error_message, 300) else error_message end
   where id = a.id returning * into a;
  return jsonb_build_object('applied', true, 'alertId', a.id, 'status', a.status,
                            'organizationId', a.organization_id, 'recipientId', a.recipient_id);
end
$$;

-- The local outbox: what would have gone to WhatsApp, newest first, for one organization.
create or replace function alert_outbox(p_organization_id uuid, p_limit integer default 50) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(alert_to_json(a) || jsonb_build_object('recipientName', r.name, 'phone', r.phone_e164)
                            order by a.sent_at desc nulls last, a.created_at desc), '[]')
    from (select * from alerts where organization_id = p_organization_id and delivery = 'outbox'
           order by sent_at desc nulls last, created_at desc limit least(p_limit, 200)) a
    join recipients r on r.id = a.recipient_id
$$;

/*
 * A critical alert not read within the recipient's escalation delay goes to the organization's
 * escalation targets, once per message (the unique (message, recipient, kind) guarantees it).
 */
create or replace function alert_schedule_escalations() returns jsonb
language plpgsql as $$
declare
  v_count integer;
begin
  with due as (
    select distinct a.message_id, a.organization_id
      from alerts a
      join recipients r on r.id = a.recipient_id
      join messages m on m.id = a.message_id
     where a.kind = 'alert' and m.priority = 'critical' and m.handled_at is null
       and a.status in ('sent', 'delivered') and a.read_at is null
       and a.sent_at < now() - make_interval(mins => r.escalation_delay_minutes)
       and a.sent_at > now() - interval '2 days'
  ), targets as (
    select d.message_id, t.id as recipient_id, d.organization_id
      from due d join recipients t on t.organization_id = d.organization_id
     where t.escalation_target and t.status = 'opted_in'
       and not exists (select 1 from alerts x where x.message_id = d.message_id and x.recipient_id = t.id and x.status = 'read')
  ), ins as (
    insert into alerts (organization_id, message_id, recipient_id, kind)
    select organization_id, message_id, recipient_id, 'escalation' from targets
    on conflict do nothing
    returning id
  ), queued as (
    insert into jobs (kind, key, payload)
    select 'alert.send', 'alert:' || ins.id, jsonb_build_object('alertId', ins.id) from ins
    on conflict (key) do nothing
    returning 1
  )
  select count(*) into v_count from queued;
  return jsonb_build_object('escalations', v_count);
end
$$;

/*
 * Daily digests: for each opted-in recipient whose local time has reached its digest hour and who
 * has not had today's digest, queue one (key digest:<recipient>:<local date>).
 */
create or replace function digest_schedule() returns jsonb
language plpgsql as $$
declare
  v_count integer;
begin
  with due as (
    update recipients r set last_digest_on = (now() at time zone r.timezone)::date
     where r.status = 'opted_in' and r.digest_enabled
       and extract(hour from (now() at time zone r.timezone)) >= r.digest_hour
       and (r.last_digest_on is null or r.last_digest_on < (now() at time zone r.timezone)::date)
    returning r.id, r.last_digest_on
  ), queued as (
    insert into jobs (kind, key, payload)
    select 'digest.send', 'digest:' || d.id || ':' || d.last_digest_on, jsonb_build_object('recipientId', d.id, 'date', d.last_digest_on)
      from due d
    on conflict (key) do nothing
    returning 1
  )
  select count(*) into v_count from queued;
  return jsonb_build_object('digests', v_count);
end
$$;

-- The digest's content: counts per priority over the last day and up to 10 informational items.
create or replace function digest_collect(p_recipient_id uuid, p_since timestamptz) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'counts', (select jsonb_build_object(
        'critical', count(*) filter (where m.priority = 'critical'),
        'important', count(*) filter (where m.priority = 'important'),
        'informational', count(*) filter (where m.priority = 'informational'),
        'spam', count(*) filter (where m.priority = 'spam'))
      from messages m where m.organization_id = r.organization_id and m.analyzed_at >= p_since),
    'items', coalesce((select jsonb_agg(jsonb_build_object('priority', x.priority, 'subject', x.subject,
                                                           'from', coalesce(x.from_name, x.from_address)))
      from (select * from messages m where m.organization_id = r.organization_id and m.analyzed_at >= p_since
              and m.priority = 'informational' order by m.received_at desc limit 10) x), '[]'))
    from recipients r where r.id = p_recipient_id
$$;

create or replace function stats_get(p_organization_id uuid, p_days integer) returns jsonb
language sql stable as $$
  with msgs as (
    select * from messages where organization_id = p_organization_id and status = 'analyzed'
       and analyzed_at >= now() - make_interval(days => p_days)
  ), al as (
    select a.*, m.received_at from alerts a join messages m on m.id = a.message_id
     where a.organization_id = p_organization_id and a.kind = 'alert'
       and a.created_at >= now() - make_interval(days => p_days)
  )
  select jsonb_build_object(
    'days', p_days,
    'analyzed', (select count(*) from msgs),
    'byPriority', jsonb_build_object(
      'critical', (select count(*) from msgs where priority = 'critical'),
      'important', (select count(*) from msgs where priority = 'important'),
      'informational', (select count(*) from msgs where priority = 'informational'),
      'spam', (select count(*) from msgs where priority = 'spam')),
    'withoutLlm', (select count(*) from msgs where analyzer in ('prefilter', 'fallback')),
    'alertsSent', (select count(*) from al where sent_at is not null),
    'alertsRead', (select count(*) from al where read_at is not null),
    'alertsFailed', (select count(*) from al where status = 'failed'),
    'medianSecondsToDelivered', (select percentile_cont(0.5) within group (
        order by extract(epoch from (delivered_at - received_at))) from al where delivered_at is not null and received_at is not null))
$$;

select app_lockdown();
