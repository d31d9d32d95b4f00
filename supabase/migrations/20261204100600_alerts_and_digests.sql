-- Alerts: one per (message, recipient, kind), delivered on the recipient's channel by a send state
-- machine that never sends twice when the first outcome is known, with statuses that never move
-- backwards; escalations, reminders, digests and notices; the local outbox.
create table alerts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  message_id uuid references messages (id) on delete cascade,
  recipient_id uuid not null references recipients (id) on delete cascade,
  kind text not null check (kind in ('alert', 'escalation', 'reminder', 'digest', 'notice')),
  -- pending → sending → sent → delivered → read; unknown = sent but no answer (timeout): wait for a status
  status text not null default 'pending'
    check (status in ('pending', 'held', 'sending', 'unknown', 'sent', 'delivered', 'read', 'failed', 'skipped')),
  delivery text check (delivery in ('interactive', 'template', 'text', 'email', 'outbox')),
  -- The provider's id for what was sent (a WhatsApp wamid, an e-mail Message-ID), unique per channel.
  provider_message_id text,
  -- digests and notices have no message: their own key keeps them single
  dedupe_key text unique,
  attempts integer not null default 0,
  error_code integer,
  error_message text,
  status_history jsonb not null default '[]',
  rendered jsonb,
  hold_until timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  handled_at timestamptz,
  created_at timestamptz not null default now(),
  send_started_at timestamptz,
  -- A failed interactive send (window closed, 131047) is resent as the approved template.
  force_template boolean not null default false,
  -- The channel it goes out on: the recipient's, set on insert (alerts_channel).
  channel text not null default 'whatsapp' check (channel in ('whatsapp', 'email')),
  unique (message_id, recipient_id, kind),
  check (message_id is not null or dedupe_key is not null),
  constraint alerts_channel_provider_message_id_key unique (channel, provider_message_id)
);

create index alerts_recipient_idx on alerts (recipient_id, created_at desc);

create or replace function alert_to_json(a alerts) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', a.id, 'messageId', a.message_id, 'recipientId', a.recipient_id,
    'kind', a.kind, 'status', a.status, 'delivery', a.delivery, 'channel', a.channel,
    'providerMessageId', a.provider_message_id,
    'attempts', a.attempts, 'errorCode', a.error_code, 'errorMessage', a.error_message,
    'statusHistory', a.status_history, 'rendered', a.rendered, 'holdUntil', a.hold_until,
    'sentAt', a.sent_at, 'deliveredAt', a.delivered_at, 'readAt', a.read_at, 'failedAt', a.failed_at,
    'handledAt', a.handled_at, 'createdAt', a.created_at)
$$;

create or replace function status_rank(p_status text) returns integer
language sql immutable as $$
  select case p_status when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 0 end
$$;

/*
 * Queues an alert of any kind and its send job together. Reminders, escalations, digests and
 * notices use this; the unique (message, recipient, kind) or dedupe key makes a repeat a no-op.
 * The app chooses the alert's id, so it can build the send job (keyed by that id) beforehand.
 */
create function alert_queue(
  p_alert_id uuid,
  p_recipient_id uuid,
  p_kind text,
  p_job jsonb,
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
  insert into alerts (id, organization_id, message_id, recipient_id, kind, dedupe_key, rendered, hold_until)
  values (p_alert_id, r.organization_id, p_message_id, r.id, p_kind, p_dedupe_key, p_rendered, p_run_at)
  on conflict do nothing
  returning * into a;
  if not found then
    return jsonb_build_object('created', false);
  end if;
  perform job_enqueue_spec(p_job, p_run_at);
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

create function alert_record_sent(p_alert_id uuid, p_provider_message_id text, p_delivery text, p_rendered jsonb)
returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  update alerts set
    provider_message_id = coalesce(provider_message_id, p_provider_message_id),
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
 * A status from a channel's webhook. Deduplicated (the same status twice is recorded once) and
 * monotonic (sent < delivered < read: a late "delivered" after "read" changes nothing). A failure
 * counts only before delivery. Finds the alert by the channel's message id, or by our id echoed
 * back (WhatsApp's biz_opaque_callback_data) when the send's answer was lost.
 */
create function alert_apply_status(
  p_provider_message_id text,
  p_alert_id uuid,
  p_status text,
  p_at timestamptz,
  p_error_code integer default null,
  p_error_message text default null,
  p_channel text default 'whatsapp'
) returns jsonb
language plpgsql as $$
declare
  a alerts;
  v_entry jsonb := jsonb_build_object('status', p_status, 'at', p_at);
begin
  select * into a from alerts
   where channel = p_channel and provider_message_id = p_provider_message_id for update;
  if not found and p_alert_id is not null then
    select * into a from alerts where id = p_alert_id and channel = p_channel for update;
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
    provider_message_id = coalesce(provider_message_id, p_provider_message_id),
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

-- The local outbox: what would have gone out on any channel, newest first, for one organization.
create or replace function alert_outbox(p_organization_id uuid, p_limit integer default 50) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(alert_to_json(a) || jsonb_build_object('recipientName', r.name,
                              'phone', r.phone_e164, 'address', r.address)
                            order by a.sent_at desc nulls last, a.created_at desc), '[]')
    from (select * from alerts where organization_id = p_organization_id and delivery = 'outbox'
           order by sent_at desc nulls last, created_at desc limit least(p_limit, 200)) a
    join recipients r on r.id = a.recipient_id
$$;

/*
 * The digest's content: counts per priority over the last day, up to 10 informational items, and
 * awaitingSignature: the attachments that need a signature on emails of the organization analysed
 * in the last 7 days and not marked handled (a contract sent on Monday is still waiting on
 * Thursday's digest; "Traité" takes it off).
 */
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
              and m.priority = 'informational' order by m.received_at desc limit 10) x), '[]'),
    'awaitingSignature', (select count(*)
      from messages m cross join lateral jsonb_array_elements(coalesce(m.attachments, '[]'::jsonb)) a
     where m.organization_id = r.organization_id and m.status = 'analyzed' and m.handled_at is null
       and m.analyzed_at >= p_since - interval '6 days'
       and a->>'status' = 'read' and a->'findings'->>'needsSignature' = 'true'))
    from recipients r where r.id = p_recipient_id
$$;

/*
 * A `failed` status webhook for a message the provider had accepted. 131047 (window closed): resend
 * as the approved template, once. Rate limits: resend at p_run_at. Bounded by the alert's attempts
 * so a vendor that keeps failing cannot loop. The send job (p_job) is re-armed in the same
 * transaction.
 */
create or replace function alert_reopen(
  p_alert_id uuid,
  p_force_template boolean,
  p_job jsonb,
  p_run_at timestamptz default null,
  p_max_attempts integer default 5
) returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  update alerts set status = 'pending', provider_message_id = null, failed_at = null, hold_until = p_run_at,
         force_template = force_template or p_force_template
   where id = p_alert_id and status = 'failed' and attempts < p_max_attempts
     and (not p_force_template or not force_template)
  returning * into a;
  if not found then
    return jsonb_build_object('reopened', false);
  end if;
  perform job_enqueue_spec(p_job, p_run_at);
  insert into audit_log (organization_id, actor, action, target, details)
  values (a.organization_id, a.channel, 'alert.resend', a.id::text,
          jsonb_build_object('forceTemplate', p_force_template, 'code', a.error_code));
  return jsonb_build_object('reopened', true, 'alert', alert_to_json(a));
end
$$;

/*
 * Critical alerts not read within their recipient's escalation delay, paired with each escalation
 * target who has no escalation for that message yet. The app queues one escalation alert per pair
 * (alert_queue; the unique (message, recipient, kind) makes a repeat a no-op).
 */
create function alert_escalations_due() returns jsonb
language sql stable as $$
  with due as (
    select distinct a.message_id, a.organization_id
      from alerts a
      join recipients r on r.id = a.recipient_id
      join messages m on m.id = a.message_id
     where a.kind = 'alert' and m.priority = 'critical' and m.handled_at is null
       and a.status in ('sent', 'delivered') and a.read_at is null
       and a.sent_at < now() - make_interval(mins => r.escalation_delay_minutes)
       and a.sent_at > now() - interval '2 days'
  )
  select coalesce(jsonb_agg(jsonb_build_object('messageId', d.message_id, 'recipientId', t.id)
                            order by d.message_id, t.id), '[]')
    from due d join recipients t on t.organization_id = d.organization_id
   where t.escalation_target and t.status = 'opted_in'
     and not exists (select 1 from alerts x where x.message_id = d.message_id and x.recipient_id = t.id
                        and (x.status = 'read' or x.kind = 'escalation'))
$$;

/*
 * Daily digests: the opted-in recipients whose local time has reached their digest hour and who
 * have not had today's digest queued, with their local date. The app enqueues each digest job
 * (keyed by recipient and date), then marks them with digest_mark_queued: a crash in between only
 * means the next minute enqueues the same key again, a no-op.
 */
create function digest_due() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('recipientId', r.id,
                                               'date', (now() at time zone r.timezone)::date) order by r.id), '[]')
    from recipients r
   where r.status = 'opted_in' and r.digest_enabled
     and extract(hour from (now() at time zone r.timezone)) >= r.digest_hour
     and (r.last_digest_on is null or r.last_digest_on < (now() at time zone r.timezone)::date)
$$;

create or replace function digest_mark_queued(p_recipient_id uuid, p_date date) returns jsonb
language sql as $$
  update recipients set last_digest_on = greatest(coalesce(last_digest_on, p_date), p_date)
   where id = p_recipient_id
  returning jsonb_build_object('ok', true)
$$;

-- An alert goes out on its recipient's channel, whatever the caller passed.
create or replace function alert_set_channel() returns trigger
language plpgsql as $$
begin
  select r.channel into new.channel from recipients r where r.id = new.recipient_id;
  return new;
end
$$;

/*
 * Everything alert.send needs: the alert, its recipient, its message and the mailbox it came from;
 * then the send-only fields: the dedupe key (replies are `reply:<wamid>`), whether the template is
 * forced (a 131047 status), the rendered message as queued (digests, notices and replies carry
 * their own text and template parameters), for an escalation the name of the recipient who left
 * the original unread and when it was sent (escalatedSince); and the key-client line's facts, from
 * the signals the analysis stored (messages.signals: crm, crmDealXof).
 */
create or replace function alert_send_context(p_alert_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
      'alert', alert_to_json(a), 'recipient', recipient_to_json(r),
      'message', case when m.id is null then null else message_to_json(m) end,
      'mailbox', case when mb.id is null then null
                      else jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address) end,
      'send', jsonb_build_object(
        'organizationId', a.organization_id,
        'dedupeKey', a.dedupe_key,
        'forceTemplate', a.force_template,
        'rendered', a.rendered,
        'escalatedFrom', original.name,
        'escalatedSince', original.sent_at),
      'crm', case when m.signals->>'crm' = 'key_client'
                  then jsonb_build_object('keyClientDealXof', (m.signals->>'crmDealXof')::bigint) end)
    from alerts a
    join recipients r on r.id = a.recipient_id
    left join messages m on m.id = a.message_id
    left join mailboxes mb on mb.id = m.mailbox_id
    left join lateral (
      select r2.name, o.sent_at from alerts o join recipients r2 on r2.id = o.recipient_id
       where a.kind = 'escalation' and o.message_id = a.message_id and o.kind = 'alert'
         and o.recipient_id <> a.recipient_id
       order by (o.read_at is null) desc, o.sent_at nulls last
       limit 1) original on true
   where a.id = p_alert_id
$$;

-- The local outbox, paged: one page of it, newest first, for the whole organization or one recipient's conversation, continued from a
-- (time, id) cursor; and the conversations, the most recent first. The cursor is the timestamp's
-- full text (microseconds): a JavaScript Date would round it and skip or repeat a message.
create or replace function alert_outbox_page(
  p_organization_id uuid,
  p_recipient_id uuid default null,
  p_before_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 20
) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(alert_to_json(p.a) || jsonb_build_object('recipientName', r.name,
                              'phone', r.phone_e164, 'address', r.address, 'pageAt', p.page_at)
                            order by p.page_at desc, (p.a).id desc), '[]')
    from (select a, coalesce(a.sent_at, a.created_at) as page_at
            from alerts a
           where a.organization_id = p_organization_id and a.delivery = 'outbox'
             and (p_recipient_id is null or a.recipient_id = p_recipient_id)
             and (p_before_at is null
                  or (coalesce(a.sent_at, a.created_at), a.id) < (p_before_at, p_before_id))
           order by coalesce(a.sent_at, a.created_at) desc, a.id desc
           limit least(greatest(p_limit, 1), 200)) p
    join recipients r on r.id = (p.a).recipient_id
$$;

create or replace function alert_outbox_conversations(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('recipientId', c.recipient_id, 'name', r.name,
                              'messages', c.messages, 'lastAt', c.last_at)
                            order by c.last_at desc, r.name), '[]')
    from (select recipient_id, count(*)::int as messages, max(coalesce(sent_at, created_at)) as last_at
            from alerts
           where organization_id = p_organization_id and delivery = 'outbox'
           group by recipient_id) c
    join recipients r on r.id = c.recipient_id and r.organization_id = p_organization_id
$$;

create trigger alerts_channel before insert on alerts for each row execute function alert_set_channel();
