-- Delivery channels behind one interface (lib/channels/channel.ts): a recipient is reached on one
-- channel (WhatsApp or e-mail) at one address, and an alert remembers the channel it went out on
-- and the provider's id for it (a WhatsApp wamid, an e-mail Message-ID).

-- Recipients: a channel, an e-mail address for the e-mail channel, and one generic address.
alter table recipients
  add column channel text not null default 'whatsapp' check (channel in ('whatsapp', 'email')),
  add column email text check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
  alter column phone_e164 drop not null,
  add constraint recipients_channel_address_check check (
    (channel = 'whatsapp' and phone_e164 is not null and email is null)
    or (channel = 'email' and email is not null and phone_e164 is null));
-- What the channel sends to, whichever it is: E.164 for WhatsApp, the lower-case address for e-mail.
alter table recipients add column address text generated always as (coalesce(phone_e164, email)) stored;
alter table recipients add constraint recipients_organization_email_key unique (organization_id, email);

-- Alerts: the channel they go out on (the recipient's, set on insert) and the provider's message id.
alter table alerts add column channel text not null default 'whatsapp' check (channel in ('whatsapp', 'email'));
alter table alerts rename column wa_message_id to provider_message_id;
alter table alerts drop constraint alerts_delivery_check;
alter table alerts add constraint alerts_delivery_check
  check (delivery in ('interactive', 'template', 'text', 'email', 'outbox'));
alter table alerts drop constraint alerts_wa_message_id_key;
alter table alerts add constraint alerts_channel_provider_message_id_key unique (channel, provider_message_id);

create or replace function alert_set_channel() returns trigger
language plpgsql as $$
begin
  select r.channel into new.channel from recipients r where r.id = new.recipient_id;
  return new;
end
$$;
create trigger alerts_channel before insert on alerts for each row execute function alert_set_channel();

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

create or replace function recipient_to_json(r recipients) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', r.id, 'organizationId', r.organization_id, 'name', r.name,
    'channel', r.channel, 'address', r.address, 'phone', r.phone_e164,
    'role', r.role, 'escalationTarget', r.escalation_target, 'status', r.status,
    'optedInAt', r.opted_in_at, 'optedOutAt', r.opted_out_at, 'lastInboundAt', r.last_inbound_at,
    'minPriority', r.min_priority, 'categories', to_jsonb(r.categories),
    'quietStartMinute', r.quiet_start_minute, 'quietEndMinute', r.quiet_end_minute,
    'criticalBypassesQuiet', r.critical_bypasses_quiet, 'timezone', r.timezone, 'locale', r.locale,
    'escalationDelayMinutes', r.escalation_delay_minutes, 'digestEnabled', r.digest_enabled,
    'digestHour', r.digest_hour, 'lastDigestOn', r.last_digest_on, 'createdAt', r.created_at)
$$;

/*
 * Adds or updates a recipient. A new one names its channel ('whatsapp' by default) and its address
 * for it (`phone` for WhatsApp, `email` for e-mail); neither changes afterwards.
 */
create or replace function recipient_upsert(p_organization_id uuid, p_actor text, p_recipient jsonb) returns jsonb
language plpgsql as $$
declare
  r recipients;
  v_id uuid := (p_recipient->>'id')::uuid;
  v_channel text := coalesce(p_recipient->>'channel', 'whatsapp');
begin
  if v_id is null then
    insert into recipients (organization_id, name, channel, phone_e164, email, role, escalation_target,
      min_priority, categories, quiet_start_minute, quiet_end_minute, critical_bypasses_quiet, timezone,
      locale, escalation_delay_minutes, digest_enabled, digest_hour)
    values (p_organization_id, p_recipient->>'name', v_channel,
      case when v_channel = 'whatsapp' then p_recipient->>'phone' end,
      case when v_channel = 'email' then lower(p_recipient->>'email') end,
      coalesce(p_recipient->>'role', 'owner'), coalesce((p_recipient->>'escalationTarget')::boolean, false),
      coalesce(p_recipient->>'minPriority', 'important'),
      (select array_agg(x) from jsonb_array_elements_text(p_recipient->'categories') x),
      (p_recipient->>'quietStartMinute')::smallint, (p_recipient->>'quietEndMinute')::smallint,
      coalesce((p_recipient->>'criticalBypassesQuiet')::boolean, true),
      coalesce(p_recipient->>'timezone', 'Africa/Abidjan'), coalesce(p_recipient->>'locale', 'fr'),
      coalesce((p_recipient->>'escalationDelayMinutes')::integer, 15),
      coalesce((p_recipient->>'digestEnabled')::boolean, true), coalesce((p_recipient->>'digestHour')::smallint, 18))
    returning * into r;
    insert into audit_log (organization_id, actor, action, target, details)
    values (p_organization_id, p_actor, 'recipient.added', r.id::text, jsonb_build_object('channel', r.channel));
  else
    update recipients set
      name = coalesce(p_recipient->>'name', name),
      role = coalesce(p_recipient->>'role', role),
      escalation_target = coalesce((p_recipient->>'escalationTarget')::boolean, escalation_target),
      min_priority = coalesce(p_recipient->>'minPriority', min_priority),
      categories = case when p_recipient ? 'categories'
                        then (select array_agg(x) from jsonb_array_elements_text(p_recipient->'categories') x)
                        else categories end,
      quiet_start_minute = case when p_recipient ? 'quietStartMinute' then (p_recipient->>'quietStartMinute')::smallint else quiet_start_minute end,
      quiet_end_minute = case when p_recipient ? 'quietEndMinute' then (p_recipient->>'quietEndMinute')::smallint else quiet_end_minute end,
      critical_bypasses_quiet = coalesce((p_recipient->>'criticalBypassesQuiet')::boolean, critical_bypasses_quiet),
      timezone = coalesce(p_recipient->>'timezone', timezone),
      locale = coalesce(p_recipient->>'locale', locale),
      escalation_delay_minutes = coalesce((p_recipient->>'escalationDelayMinutes')::integer, escalation_delay_minutes),
      digest_enabled = coalesce((p_recipient->>'digestEnabled')::boolean, digest_enabled),
      digest_hour = coalesce((p_recipient->>'digestHour')::smallint, digest_hour)
    where id = v_id and organization_id = p_organization_id
    returning * into r;
    if not found then
      raise exception 'recipient not found' using errcode = 'PT404';
    end if;
    insert into audit_log (organization_id, actor, action, target, details)
    values (p_organization_id, p_actor, 'recipient.updated', r.id::text,
            p_recipient - 'phone' - 'email' - 'name');
  end if;
  return recipient_to_json(r);
end
$$;

/*
 * A channel's verdict on an address (undeliverable: a dead WhatsApp number, an e-mail address its
 * server refuses), applied to every recipient at that address on that channel, in every organization.
 */
create or replace function recipient_flag_address(p_channel text, p_address text, p_status text, p_actor text)
returns jsonb
language plpgsql as $$
declare
  v_changed jsonb;
begin
  with changed as (
    update recipients set status = p_status,
           opted_out_at = case when p_status = 'opted_out' then now() else opted_out_at end
     where channel = p_channel and address = p_address and status <> p_status
    returning *)
  select coalesce(jsonb_agg(recipient_to_json(c)), '[]') into v_changed from changed c;
  insert into audit_log (organization_id, actor, action, target)
  select (x->>'organizationId')::uuid, p_actor, 'recipient.' || p_status, x->>'id'
    from jsonb_array_elements(v_changed) x;
  return v_changed;
end
$$;

/*
 * One recipient's consent, given or withdrawn through its own channel (the e-mail confirmation and
 * unsubscribe links), checked against its organization. An undeliverable address stays flagged.
 */
create or replace function recipient_consent(p_organization_id uuid, p_recipient_id uuid, p_status text, p_actor text)
returns jsonb
language plpgsql as $$
declare
  r recipients;
begin
  if p_status not in ('opted_in', 'opted_out') then
    raise exception 'consent is opted_in or opted_out' using errcode = '22023';
  end if;
  update recipients set status = p_status,
         opted_in_at = case when p_status = 'opted_in' then now() else opted_in_at end,
         opted_out_at = case when p_status = 'opted_out' then now() else opted_out_at end
   where id = p_recipient_id and organization_id = p_organization_id and status not in (p_status, 'undeliverable')
  returning * into r;
  if not found then
    select * into r from recipients where id = p_recipient_id and organization_id = p_organization_id;
    if not found then
      raise exception 'recipient not found' using errcode = 'PT404';
    end if;
    return jsonb_build_object('changed', false, 'recipient', recipient_to_json(r));
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'recipient.' || p_status, r.id::text);
  return jsonb_build_object('changed', true, 'recipient', recipient_to_json(r));
end
$$;

drop function alert_record_sent(uuid, text, text, jsonb);
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

/*
 * A status from a channel's webhook. Deduplicated (the same status twice is recorded once) and
 * monotonic (sent < delivered < read: a late "delivered" after "read" changes nothing). A failure
 * counts only before delivery. Finds the alert by the channel's message id, or by our id echoed
 * back (WhatsApp's biz_opaque_callback_data) when the send's answer was lost.
 */
drop function alert_apply_status(text, uuid, text, timestamptz, integer, text);
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

select app_lockdown();
