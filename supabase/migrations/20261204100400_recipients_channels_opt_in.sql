-- Recipients: who is alerted, on which channel, with their routing (minimum priority, categories,
-- quiet hours, digest), language and consent; the opt-in codes that prove consent.
--
-- Delivery channels sit behind one interface (lib/channels/channel.ts): a recipient is reached on
-- one channel (WhatsApp or e-mail) at one address, and an alert remembers the channel it went out on.
create table recipients (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  -- The WhatsApp number (E.164); null on the e-mail channel.
  phone_e164 text check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  role text not null default 'owner' check (role in ('owner', 'manager', 'member')),
  escalation_target boolean not null default false,
  status text not null default 'pending'
    check (status in ('pending', 'opted_in', 'opted_out', 'undeliverable')),
  opted_in_at timestamptz,
  opted_out_at timestamptz,
  -- Last message received from this number: opens Meta's 24-hour customer-service window.
  last_inbound_at timestamptz,
  min_priority text not null default 'important'
    check (min_priority in ('critical', 'important', 'informational', 'spam')),
  categories text[],
  quiet_start_minute smallint check (quiet_start_minute between 0 and 1439),
  quiet_end_minute smallint check (quiet_end_minute between 0 and 1439),
  critical_bypasses_quiet boolean not null default true,
  timezone text not null default 'Africa/Abidjan',
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  escalation_delay_minutes integer not null default 15 check (escalation_delay_minutes between 1 and 1440),
  digest_enabled boolean not null default true,
  digest_hour smallint not null default 18 check (digest_hour between 0 and 23),
  last_digest_on date,
  created_at timestamptz not null default now(),
  -- WhatsApp business-scoped user id (BSUID). Meta identifies users who adopted a username by a
  -- per-business id (two-letter country code, a dot, up to 128 alphanumerics, or the parent form
  -- "CC.ENT.…") and may withhold their number from webhooks. A recipient keeps its number (what we
  -- send to) and, once Meta has told us, its user id, learned whenever one webhook names both;
  -- inbound messages and STOP/START match either.
  wa_user_id text check (wa_user_id ~ '^[A-Za-z]{2}\.[A-Za-z0-9.]{1,140}$'),
  channel text not null default 'whatsapp' check (channel in ('whatsapp', 'email')),
  -- The address on the e-mail channel, lower-case; null on WhatsApp.
  email text check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
  -- What the channel sends to, whichever it is: E.164 for WhatsApp, the lower-case address for e-mail.
  address text generated always as (coalesce(phone_e164, email)) stored,
  -- Who may answer an email from WhatsApp; null = the role's default (the owner may, managers and
  -- members may not until allowed).
  may_reply boolean,
  unique (organization_id, phone_e164),
  constraint recipients_organization_email_key unique (organization_id, email),
  constraint recipients_channel_address_check check (
    (channel = 'whatsapp' and phone_e164 is not null and email is null)
    or (channel = 'email' and email is not null and phone_e164 is null))
);

create index recipients_wa_user_id on recipients (wa_user_id) where wa_user_id is not null;

-- Opt-in consent: a number is opted in only by its owner.
--
-- A code shown in the app must not be accepted typed back in the app (whoever saw it could opt in
-- any number), so each code has a kind:
--   'inbound'  — shown in the app (wa.me link, QR code); accepted only in a WhatsApp message
--                that arrives from the recipient's own number;
--   'template' — sent to the number by the verification template; accepted only typed in the app.
-- Each code has its own attempt counter that never resets while the code lives (issuance has its
-- own hourly limit, opt_in_code_issue), and the hash is an HMAC keyed by the app
-- (lib/security/keyed-hash.ts), so a 6-digit code cannot be recovered from a dump.
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

/* Rows a sender matches: by number, by user id, or both. */
create or replace function recipient_matches(r recipients, p_phone text, p_user_id text) returns boolean
language sql immutable as $$
  select (p_phone is not null and r.phone_e164 = p_phone)
      or (p_user_id is not null and r.wa_user_id = p_user_id)
$$;

/* An inbound message opens the 24 h window of every recipient it matches, and teaches the user id
   to the rows matched by number. */
create or replace function recipient_touch_inbound_by(p_phone text, p_user_id text, p_at timestamptz)
returns jsonb
language sql as $$
  with touched as (
    update recipients r set last_inbound_at = greatest(coalesce(r.last_inbound_at, p_at), p_at),
           wa_user_id = case when p_user_id is not null and p_phone is not null and r.phone_e164 = p_phone
                             then p_user_id else r.wa_user_id end
     where recipient_matches(r, p_phone, p_user_id)
    returning recipient_to_json(r.*) as j)
  select coalesce(jsonb_agg(j), '[]') from touched
$$;

/* STOP / START from WhatsApp by either identifier (the number-only form stays for 131026). */
create or replace function recipient_set_status_by(p_phone text, p_user_id text, p_status text, p_actor text)
returns jsonb
language plpgsql as $$
declare
  v_changed jsonb;
begin
  with changed as (
    update recipients r set status = p_status,
           opted_out_at = case when p_status = 'opted_out' then now() else r.opted_out_at end,
           opted_in_at = case when p_status = 'opted_in' then now() else r.opted_in_at end
     where recipient_matches(r, p_phone, p_user_id) and r.status <> p_status
       and (p_status <> 'opted_in' or r.status in ('opted_out', 'undeliverable'))
    returning r.*)
  select coalesce(jsonb_agg(recipient_to_json(c)), '[]') into v_changed from changed c;
  insert into audit_log (organization_id, actor, action, target)
  select (x->>'organizationId')::uuid, p_actor, 'recipient.' || p_status, x->>'id'
    from jsonb_array_elements(v_changed) x;
  return v_changed;
end
$$;

/* A status webhook naming both the number we sent to and its user id. */
create or replace function recipient_learn_user_id(p_phone text, p_user_id text) returns jsonb
language sql as $$
  with learned as (
    update recipients set wa_user_id = p_user_id
     where phone_e164 = p_phone and wa_user_id is distinct from p_user_id
    returning 1)
  select jsonb_build_object('learned', count(*)) from learned
$$;

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
