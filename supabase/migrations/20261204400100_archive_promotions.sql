-- « Promotions » (issue 15): a mass-mailed promotion from a sender the owner deals with is
-- informational, filed as « Promotions », and stays in the inbox unless the organization asks to
-- archive promotions (off by default). Spam keeps its own settings (auto_archive_spam).

alter table organizations add column if not exists auto_archive_promotions boolean not null default false;

/* Redeclared from the current definition (supabase/schema.sql), one change: autoArchivePromotions. */
create or replace function organization_to_json(o organizations) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', o.id, 'name', o.name, 'locale', o.locale, 'timezone', o.timezone,
    'autoLabel', o.auto_label, 'autoMarkSpamRead', o.auto_mark_spam_read, 'autoArchiveSpam', o.auto_archive_spam,
    'autoArchivePromotions', o.auto_archive_promotions,
    'escalationCopy', o.escalation_copy,
    'onboardedAt', o.onboarded_at, 'createdAt', o.created_at)
$$;

/* Redeclared from the current definition (supabase/schema.sql), one change: autoArchivePromotions. */
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
    auto_archive_promotions = coalesce((p_settings->>'autoArchivePromotions')::boolean, auto_archive_promotions),
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

select app_lockdown();
