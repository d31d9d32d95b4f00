-- Opt-in consent (issue #13): a number is opted in only by its owner.
--
-- The old design kept one code per recipient for both ways of opting in, so the code the app
-- displays for the wa.me link could be typed back in the app by whoever saw it: anyone signed in
-- could opt in any number. Codes now live in their own table with a kind:
--   'inbound'  — shown in the app (wa.me link, QR code); accepted only in a WhatsApp message
--                that arrives from the recipient's own number;
--   'template' — sent to the number by the verification template; accepted only typed in the app.
-- Each code has its own attempt counter that never resets while the code lives (the old counter
-- was shared with the hourly issuance window and reset with it), and the hash is an HMAC keyed by
-- the app (lib/security/keyed-hash.ts), so a 6-digit code cannot be recovered from a dump.

create table opt_in_codes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  recipient_id uuid not null references recipients (id) on delete cascade,
  kind text not null check (kind in ('inbound', 'template')),
  code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz not null,
  attempts integer not null default 0 check (attempts >= 0),
  created_at timestamptz not null default now(),
  -- Set when the code verified, was replaced by a newer one, or ran out of attempts.
  ended_at timestamptz,
  ended_reason text check (ended_reason in ('verified', 'replaced', 'locked'))
);
create index opt_in_codes_recipient_idx on opt_in_codes (recipient_id, kind, created_at desc);
alter table opt_in_codes enable row level security;

-- The shared code columns are gone with the flow that misused them.
create or replace function recipient_to_json(r recipients) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', r.id, 'organizationId', r.organization_id, 'name', r.name,
    'phone', r.phone_e164, 'role', r.role, 'escalationTarget', r.escalation_target, 'status', r.status,
    'optedInAt', r.opted_in_at, 'optedOutAt', r.opted_out_at, 'lastInboundAt', r.last_inbound_at,
    'minPriority', r.min_priority, 'categories', to_jsonb(r.categories),
    'quietStartMinute', r.quiet_start_minute, 'quietEndMinute', r.quiet_end_minute,
    'criticalBypassesQuiet', r.critical_bypasses_quiet, 'timezone', r.timezone, 'locale', r.locale,
    'escalationDelayMinutes', r.escalation_delay_minutes, 'digestEnabled', r.digest_enabled,
    'digestHour', r.digest_hour, 'lastDigestOn', r.last_digest_on, 'createdAt', r.created_at)
$$;

drop function recipient_issue_code(uuid, uuid, text, timestamptz);
drop function recipient_verify_code(text, uuid, uuid, text);
alter table recipients
  drop column opt_in_code_hash,
  drop column opt_in_code_expires_at,
  drop column verify_attempts,
  drop column verify_window_started_at;

/*
 * A new code of one kind for a recipient. At most 5 codes of a kind an hour per recipient (the
 * template ones reach a phone, so this is also what keeps the verification template from being
 * used to spam a number). A new code replaces the live one of its kind.
 */
create or replace function opt_in_code_issue(
  p_organization_id uuid,
  p_recipient_id uuid,
  p_kind text,
  p_code_hash text,
  p_expires_at timestamptz
) returns jsonb
language plpgsql as $$
declare
  r recipients;
  c opt_in_codes;
begin
  select * into r from recipients where id = p_recipient_id and organization_id = p_organization_id for update;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  if (select count(*) from opt_in_codes
       where recipient_id = r.id and kind = p_kind and created_at > now() - interval '1 hour') >= 5 then
    raise exception 'Too many codes requested: wait an hour before asking for another.' using errcode = 'PT429';
  end if;
  update opt_in_codes set ended_at = now(), ended_reason = 'replaced'
   where recipient_id = r.id and kind = p_kind and ended_at is null;
  insert into opt_in_codes (organization_id, recipient_id, kind, code_hash, expires_at)
  values (r.organization_id, r.id, p_kind, p_code_hash, p_expires_at)
  returning * into c;
  return jsonb_build_object('id', c.id, 'kind', c.kind, 'expiresAt', c.expires_at);
end
$$;

-- Wrong tries a code survives; the next wrong one ends it (and the right one after that fails).
create or replace function opt_in_code_max_attempts() returns integer
language sql immutable as $$ select 10 $$;

create or replace function opt_in_code_accept(c opt_in_codes, p_via text) returns recipients
language plpgsql as $$
declare
  r recipients;
begin
  update opt_in_codes set ended_at = now(), ended_reason = 'verified' where id = c.id;
  update recipients set status = 'opted_in', opted_in_at = now(), opted_out_at = null,
         last_inbound_at = case when p_via = 'whatsapp' then now() else last_inbound_at end
   where id = c.recipient_id returning * into r;
  insert into audit_log (organization_id, actor, action, target, details)
  values (r.organization_id, case when p_via = 'whatsapp' then 'whatsapp' else 'user' end,
          'recipient.opted_in', r.id::text, jsonb_build_object('via', p_via));
  return r;
end
$$;

/*
 * A code typed in the app for one of the organization's recipients: only the live template code,
 * the one WhatsApp delivered to that number. Never raises on a wrong code, so the attempt it
 * spends is committed: {verified, reason: 'wrong' | 'locked' | 'none', attemptsLeft}.
 */
create or replace function opt_in_code_verify_typed(
  p_organization_id uuid,
  p_recipient_id uuid,
  p_code_hash text
) returns jsonb
language plpgsql as $$
declare
  c opt_in_codes;
  r recipients;
begin
  select * into c from opt_in_codes
   where recipient_id = p_recipient_id and organization_id = p_organization_id and kind = 'template'
   order by created_at desc limit 1
   for update;
  if not found then
    if not exists (select 1 from recipients where id = p_recipient_id and organization_id = p_organization_id) then
      raise exception 'recipient not found' using errcode = 'PT404';
    end if;
    return jsonb_build_object('verified', false, 'reason', 'none');
  end if;
  if c.ended_reason = 'locked' or (c.ended_at is null and c.attempts >= opt_in_code_max_attempts()) then
    return jsonb_build_object('verified', false, 'reason', 'locked');
  end if;
  if c.ended_at is not null or c.expires_at <= now() then
    return jsonb_build_object('verified', false, 'reason', 'none');
  end if;
  if c.code_hash <> p_code_hash then
    update opt_in_codes set attempts = attempts + 1,
           ended_at = case when attempts + 1 >= opt_in_code_max_attempts() then now() end,
           ended_reason = case when attempts + 1 >= opt_in_code_max_attempts() then 'locked' end
     where id = c.id returning * into c;
    return jsonb_build_object('verified', false,
      'reason', case when c.ended_reason = 'locked' then 'locked' else 'wrong' end,
      'attemptsLeft', opt_in_code_max_attempts() - c.attempts);
  end if;
  r := opt_in_code_accept(c, 'app');
  return jsonb_build_object('verified', true, 'recipient', recipient_to_json(r));
end
$$;

/*
 * A code in a WhatsApp message from p_phone: only a live inbound (wa.me) code of a recipient
 * with that very number. A wrong code spends an attempt of each live inbound code of the number.
 */
create or replace function opt_in_code_verify_inbound(p_phone text, p_code_hash text) returns jsonb
language plpgsql as $$
declare
  c opt_in_codes;
  r recipients;
begin
  select oc.* into c from opt_in_codes oc join recipients rc on rc.id = oc.recipient_id
   where rc.phone_e164 = p_phone and oc.kind = 'inbound' and oc.code_hash = p_code_hash
     and oc.ended_at is null and oc.expires_at > now() and oc.attempts < opt_in_code_max_attempts()
   for update of oc;
  if not found then
    update opt_in_codes oc set attempts = attempts + 1,
           ended_at = case when attempts + 1 >= opt_in_code_max_attempts() then now() end,
           ended_reason = case when attempts + 1 >= opt_in_code_max_attempts() then 'locked' end
      from recipients rc
     where rc.id = oc.recipient_id and rc.phone_e164 = p_phone and oc.kind = 'inbound'
       and oc.ended_at is null and oc.expires_at > now();
    return jsonb_build_object('verified', false);
  end if;
  r := opt_in_code_accept(c, 'whatsapp');
  return jsonb_build_object('verified', true, 'recipient', recipient_to_json(r));
end
$$;

select app_lockdown();
