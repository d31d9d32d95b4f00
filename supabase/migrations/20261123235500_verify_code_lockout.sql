-- Wrong app-typed opt-in codes were not really capped: the old function cleared the code and then
-- raised PT429, and the raise rolled the clearing back, so the right code still verified after the
-- limit. The lockout is now checked first, before any matching, so nothing has to survive a raise.
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
  if p_recipient_id is not null and exists (
       select 1 from recipients where id = p_recipient_id and organization_id = p_organization_id
          and verify_attempts >= 10 and verify_window_started_at > now() - interval '1 hour') then
    raise exception 'Too many wrong codes: wait an hour before asking for another.' using errcode = 'PT429';
  end if;
  select * into r from recipients
   where opt_in_code_hash = p_code_hash and opt_in_code_expires_at > now()
     and (p_recipient_id is null or (id = p_recipient_id and organization_id = p_organization_id))
     and (p_phone is null or phone_e164 = p_phone)
   for update;
  if not found then
    if p_recipient_id is not null then
      update recipients set verify_attempts = verify_attempts + 1
       where id = p_recipient_id and organization_id = p_organization_id;
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

select app_lockdown();
