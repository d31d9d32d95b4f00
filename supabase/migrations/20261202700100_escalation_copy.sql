-- Escalation that escalates (issue 15): an organization chooses whether its escalation targets (the
-- designated managers) get a critical alert only once it stays unread and unhandled past the delay
-- ('delayed', the default), or a copy at once ('immediate'); and an escalation says since when the
-- original was left unread.

alter table organizations add column escalation_copy text not null default 'delayed'
  check (escalation_copy in ('delayed', 'immediate'));

-- From 20261123200000_accounts_mailboxes.sql, with escalationCopy.
create or replace function organization_to_json(o organizations) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', o.id, 'name', o.name, 'locale', o.locale, 'timezone', o.timezone,
    'autoLabel', o.auto_label, 'autoMarkSpamRead', o.auto_mark_spam_read, 'autoArchiveSpam', o.auto_archive_spam,
    'escalationCopy', o.escalation_copy,
    'onboardedAt', o.onboarded_at, 'createdAt', o.created_at)
$$;

-- From 20261123200000_accounts_mailboxes.sql, with escalationCopy.
create or replace function organization_update(p_organization_id uuid, p_actor text, p_settings jsonb)
returns jsonb
language plpgsql as $$
declare
  o organizations;
begin
  update organizations set
    name = coalesce(p_settings->>'name', name),
    locale = coalesce(p_settings->>'locale', locale),
    timezone = coalesce(p_settings->>'timezone', timezone),
    auto_label = coalesce((p_settings->>'autoLabel')::boolean, auto_label),
    auto_mark_spam_read = coalesce((p_settings->>'autoMarkSpamRead')::boolean, auto_mark_spam_read),
    auto_archive_spam = coalesce((p_settings->>'autoArchiveSpam')::boolean, auto_archive_spam),
    escalation_copy = coalesce(p_settings->>'escalationCopy', escalation_copy),
    onboarded_at = case when (p_settings->>'onboarded')::boolean then coalesce(onboarded_at, now()) else onboarded_at end
  where id = p_organization_id
  returning * into o;
  if not found then
    raise exception 'organization not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, details)
  values (p_organization_id, p_actor, 'settings.updated', p_settings - 'name');
  return organization_to_json(o);
end
$$;

-- From 20261123210000_whatsapp_pipeline.sql (renamed alert_send_context_core by 20261201600000_crm.sql):
-- an escalation also carries when the original it escalates was sent (escalatedSince).
create or replace function alert_send_context_core(p_alert_id uuid) returns jsonb
language sql stable as $$
  select alert_context(a.id) || jsonb_build_object('send', jsonb_build_object(
      'organizationId', a.organization_id,
      'dedupeKey', a.dedupe_key,
      'forceTemplate', a.force_template,
      'rendered', a.rendered,
      'escalatedFrom', original.name,
      'escalatedSince', original.sent_at))
    from alerts a
    left join lateral (
      select r.name, o.sent_at from alerts o join recipients r on r.id = o.recipient_id
       where a.kind = 'escalation' and o.message_id = a.message_id and o.kind = 'alert'
         and o.recipient_id <> a.recipient_id
       order by (o.read_at is null) desc, o.sent_at nulls last
       limit 1) original on true
   where a.id = p_alert_id
$$;

select app_lockdown();
