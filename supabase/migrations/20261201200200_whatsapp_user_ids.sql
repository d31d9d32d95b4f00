-- WhatsApp business-scoped user ids (BSUID). Meta identifies users who adopted a username by a
-- per-business id ("user_id": two-letter country code, a dot, up to 128 alphanumerics, or the
-- parent form "CC.ENT.…") and may withhold their phone number from webhooks. A recipient keeps its
-- number (what we send to) and, once Meta has told us, its user id; inbound messages and STOP/START
-- match either. The id is learned whenever one webhook names both (a status of a message we sent
-- to the number, or an inbound message that still carries it).
alter table recipients add column if not exists wa_user_id text
  check (wa_user_id ~ '^[A-Za-z]{2}\.[A-Za-z0-9.]{1,140}$');
create index if not exists recipients_wa_user_id on recipients (wa_user_id) where wa_user_id is not null;

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

drop function if exists recipient_touch_inbound(text, timestamptz);

select app_lockdown();
