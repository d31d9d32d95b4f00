-- WhatsApp recipients, sender rules and alerts: opt-in, the 24-hour window, delivery tracking,
-- escalation and digests.

alter table alerts add column send_started_at timestamptz;
-- A failed interactive send (window closed, 131047) is resent as the approved template.
alter table alerts add column force_template boolean not null default false;

create or replace function recipient_to_json(r recipients) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', r.id, 'organizationId', r.organization_id, 'name', r.name,
    'phone', r.phone_e164, 'role', r.role, 'escalationTarget', r.escalation_target, 'status', r.status,
    'optedInAt', r.opted_in_at, 'optedOutAt', r.opted_out_at, 'lastInboundAt', r.last_inbound_at,
    'minPriority', r.min_priority, 'categories', to_jsonb(r.categories),
    'quietStartMinute', r.quiet_start_minute, 'quietEndMinute', r.quiet_end_minute,
    'criticalBypassesQuiet', r.critical_bypasses_quiet, 'timezone', r.timezone, 'locale', r.locale,
    'escalationDelayMinutes', r.escalation_delay_minutes, 'digestEnabled', r.digest_enabled,
    'digestHour', r.digest_hour, 'lastDigestOn', r.last_digest_on,
    'codeExpiresAt', r.opt_in_code_expires_at, 'createdAt', r.created_at)
$$;

create or replace function recipient_upsert(p_organization_id uuid, p_actor text, p_recipient jsonb) returns jsonb
language plpgsql as $$
declare
  r recipients;
  v_id uuid := (p_recipient->>'id')::uuid;
begin
  if v_id is null then
    insert into recipients (organization_id, name, phone_e164, role, escalation_target, min_priority, categories,
      quiet_start_minute, quiet_end_minute, critical_bypasses_quiet, timezone, locale, escalation_delay_minutes,
      digest_enabled, digest_hour)
    values (p_organization_id, p_recipient->>'name', p_recipient->>'phone',
      coalesce(p_recipient->>'role', 'owner'), coalesce((p_recipient->>'escalationTarget')::boolean, false),
      coalesce(p_recipient->>'minPriority', 'important'),
      (select array_agg(x) from jsonb_array_elements_text(p_recipient->'categories') x),
      (p_recipient->>'quietStartMinute')::smallint, (p_recipient->>'quietEndMinute')::smallint,
      coalesce((p_recipient->>'criticalBypassesQuiet')::boolean, true),
      coalesce(p_recipient->>'timezone', 'Africa/Abidjan'), coalesce(p_recipient->>'locale', 'fr'),
      coalesce((p_recipient->>'escalationDelayMinutes')::integer, 15),
      coalesce((p_recipient->>'digestEnabled')::boolean, true), coalesce((p_recipient->>'digestHour')::smallint, 18))
    returning * into r;
    insert into audit_log (organization_id, actor, action, target)
    values (p_organization_id, p_actor, 'recipient.added', r.id::text);
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
    values (p_organization_id, p_actor, 'recipient.updated', r.id::text, p_recipient - 'phone' - 'name');
  end if;
  return recipient_to_json(r);
end
$$;

create or replace function recipient_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(recipient_to_json(r) order by r.created_at), '[]')
    from recipients r where r.organization_id = p_organization_id
$$;

create or replace function recipient_get(p_recipient_id uuid) returns jsonb
language sql stable as $$
  select recipient_to_json(r) from recipients r where r.id = p_recipient_id
$$;

create or replace function recipient_delete(p_organization_id uuid, p_recipient_id uuid, p_actor text) returns jsonb
language plpgsql as $$
begin
  delete from recipients where id = p_recipient_id and organization_id = p_organization_id;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'recipient.removed', p_recipient_id::text);
  return jsonb_build_object('deleted', true);
end
$$;

/*
 * A new opt-in code (its hash; the code is shown once). At most 5 codes an hour per recipient,
 * so the verification template cannot be used to spam a number.
 */
create or replace function recipient_issue_code(
  p_organization_id uuid,
  p_recipient_id uuid,
  p_code_hash text,
  p_expires_at timestamptz
) returns jsonb
language plpgsql as $$
declare
  r recipients;
begin
  select * into r from recipients where id = p_recipient_id and organization_id = p_organization_id for update;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  if r.verify_window_started_at is null or r.verify_window_started_at < now() - interval '1 hour' then
    r.verify_window_started_at := now();
    r.verify_attempts := 0;
  end if;
  if r.verify_attempts >= 5 then
    raise exception 'Too many codes requested: wait an hour before asking for another.' using errcode = 'PT429';
  end if;
  update recipients set opt_in_code_hash = p_code_hash, opt_in_code_expires_at = p_expires_at,
         verify_attempts = r.verify_attempts + 1, verify_window_started_at = r.verify_window_started_at
   where id = r.id returning * into r;
  return recipient_to_json(r);
end
$$;

/*
 * Opt-in by code: typed in the app (p_recipient_id given) or sent by the recipient on WhatsApp
 * (p_phone given). A wrong code in the app counts against the same hourly budget.
 */
create or replace function recipient_verify_code(
  p_code_hash text,
  p_recipient_id uuid default null,
  p_organization_id uuid default null,
  p_phone text default null
) returns jsonb
language plpgsql as $$
declare
  r recipients;
begin
  select * into r from recipients
   where opt_in_code_hash = p_code_hash and opt_in_code_expires_at > now()
     and (p_recipient_id is null or (id = p_recipient_id and organization_id = p_organization_id))
     and (p_phone is null or phone_e164 = p_phone)
   for update;
  if not found then
    if p_recipient_id is not null then
      update recipients set verify_attempts = verify_attempts + 1
       where id = p_recipient_id and organization_id = p_organization_id
      returning * into r;
      if found and r.verify_attempts > 10 then
        update recipients set opt_in_code_hash = null where id = r.id;
        raise exception 'Too many wrong codes: request a new one.' using errcode = 'PT429';
      end if;
    end if;
    return jsonb_build_object('verified', false);
  end if;
  update recipients set status = 'opted_in', opted_in_at = now(), opted_out_at = null,
         opt_in_code_hash = null, opt_in_code_expires_at = null, verify_attempts = 0,
         last_inbound_at = case when p_phone is not null then now() else last_inbound_at end
   where id = r.id returning * into r;
  insert into audit_log (organization_id, actor, action, target, details)
  values (r.organization_id, case when p_phone is null then 'user' else 'whatsapp' end, 'recipient.opted_in', r.id::text,
          jsonb_build_object('via', case when p_phone is null then 'app' else 'whatsapp' end));
  return jsonb_build_object('verified', true, 'recipient', recipient_to_json(r));
end
$$;

-- Any message from a number opens Meta's 24-hour window for it, in every organization it serves.
create or replace function recipient_touch_inbound(p_phone text, p_at timestamptz) returns jsonb
language sql as $$
  with touched as (
    update recipients set last_inbound_at = greatest(coalesce(last_inbound_at, p_at), p_at)
     where phone_e164 = p_phone returning recipient_to_json(recipients.*) as r)
  select coalesce(jsonb_agg(r), '[]') from touched
$$;

-- STOP / START from WhatsApp, or an undeliverable number (131026).
create or replace function recipient_set_status(p_phone text, p_status text, p_actor text) returns jsonb
language plpgsql as $$
declare
  v_changed jsonb;
begin
  with changed as (
    update recipients set status = p_status,
           opted_out_at = case when p_status = 'opted_out' then now() else opted_out_at end,
           opted_in_at = case when p_status = 'opted_in' then now() else opted_in_at end
     where phone_e164 = p_phone and status <> p_status
       and (p_status <> 'opted_in' or status in ('opted_out', 'undeliverable'))
    returning *)
  select coalesce(jsonb_agg(recipient_to_json(c)), '[]') into v_changed from changed c;
  insert into audit_log (organization_id, actor, action, target)
  select (x->>'organizationId')::uuid, p_actor, 'recipient.' || p_status, x->>'id'
    from jsonb_array_elements(v_changed) x;
  return v_changed;
end
$$;

create or replace function sender_rule_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind,
                                               'source', r.source, 'createdAt', r.created_at) order by r.created_at), '[]')
    from sender_rules r where r.organization_id = p_organization_id
$$;

create or replace function sender_rule_upsert(p_organization_id uuid, p_pattern text, p_kind text, p_source text, p_actor text)
returns jsonb
language plpgsql as $$
declare
  r sender_rules;
begin
  insert into sender_rules (organization_id, pattern, kind, source)
  values (p_organization_id, lower(trim(p_pattern)), p_kind, p_source)
  on conflict (organization_id, pattern) do update set kind = excluded.kind, source = excluded.source
  returning * into r;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'sender_rule.saved', r.id::text, jsonb_build_object('kind', p_kind, 'source', p_source));
  return jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind, 'source', r.source);
end
$$;

create or replace function sender_rule_delete(p_organization_id uuid, p_rule_id uuid, p_actor text) returns jsonb
language plpgsql as $$
declare
  r sender_rules;
begin
  delete from sender_rules where id = p_rule_id and organization_id = p_organization_id returning * into r;
  if not found then
    raise exception 'rule not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'sender_rule.deleted', p_rule_id::text);
  return jsonb_build_object('deleted', true, 'pattern', r.pattern);
end
$$;

select app_lockdown();
