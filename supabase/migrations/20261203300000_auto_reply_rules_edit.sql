-- Settings › Réponses › Réponses automatiques (issue 17): rules are edited, switched off and on,
-- and may answer during the owner's quiet hours. Redeclares auto_reply_rule_save from
-- 20261202800200_auto_replies.sql (same insert, same template check, same audit) and adds the edit.

alter table auto_reply_rules drop constraint auto_reply_rules_hours_check;
alter table auto_reply_rules add constraint auto_reply_rules_hours_check
  check (hours in ('always', 'outside_work', 'quiet_hours'));

/*
 * Creates a rule, or (with "id") edits one of the organization's: only the fields given change, so
 * switching a rule off sends {id, enabled: false}. A template or rule of another organization is
 * "not found" (PT404), never touched.
 */
create or replace function auto_reply_rule_save(p_organization_id uuid, p_actor text, p_rule jsonb) returns jsonb
language plpgsql as $$
declare
  r auto_reply_rules;
begin
  if p_rule ? 'templateId' and not exists (select 1 from reply_templates where id = (p_rule->>'templateId')::uuid
                   and organization_id = p_organization_id) then
    raise exception 'reply template not found' using errcode = 'PT404';
  end if;
  if p_rule ? 'id' then
    update auto_reply_rules set
      template_id = coalesce((p_rule->>'templateId')::uuid, template_id),
      enabled = coalesce((p_rule->>'enabled')::boolean, enabled),
      sender_pattern = case when p_rule ? 'senderPattern' then nullif(lower(p_rule->>'senderPattern'), '') else sender_pattern end,
      vip_only = coalesce((p_rule->>'vipOnly')::boolean, vip_only),
      category = case when p_rule ? 'category' then nullif(p_rule->>'category', '') else category end,
      min_priority = coalesce(p_rule->>'minPriority', min_priority),
      hours = coalesce(p_rule->>'hours', hours),
      work_start_minute = coalesce((p_rule->>'workStartMinute')::smallint, work_start_minute),
      work_end_minute = coalesce((p_rule->>'workEndMinute')::smallint, work_end_minute)
    where id = (p_rule->>'id')::uuid and organization_id = p_organization_id
    returning * into r;
    if not found then
      raise exception 'rule not found' using errcode = 'PT404';
    end if;
  else
    if not p_rule ? 'templateId' then
      raise exception 'reply template required' using errcode = 'PT400';
    end if;
    insert into auto_reply_rules (organization_id, template_id, enabled, sender_pattern, vip_only, category,
                                  min_priority, hours, work_start_minute, work_end_minute, created_by)
    values (p_organization_id, (p_rule->>'templateId')::uuid, coalesce((p_rule->>'enabled')::boolean, true),
            nullif(lower(p_rule->>'senderPattern'), ''), coalesce((p_rule->>'vipOnly')::boolean, false),
            nullif(p_rule->>'category', ''), coalesce(p_rule->>'minPriority', 'important'),
            coalesce(p_rule->>'hours', 'outside_work'), coalesce((p_rule->>'workStartMinute')::smallint, 480),
            coalesce((p_rule->>'workEndMinute')::smallint, 1080), p_actor)
    returning * into r;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'auto_reply.rule_saved', r.id::text, auto_reply_rule_to_json(r));
  return auto_reply_rule_to_json(r);
end
$$;

/*
 * What Settings shows next to the rules: the limits no rule lifts (one reply per sender and thread
 * every N days, a daily cap per mailbox) and how many automatic replies each mailbox sent in the
 * last 24 hours.
 */
create or replace function auto_reply_overview(p_organization_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'intervalDays', o.auto_reply_interval_days,
    'dailyCap', o.auto_reply_daily_cap,
    'rules', auto_reply_rule_list(o.id),
    'sentToday', coalesce((
      select jsonb_agg(jsonb_build_object('mailboxId', x.mailbox_id, 'count', x.n))
        from (select m.mailbox_id, count(*) n from reply_drafts d join messages m on m.id = d.message_id
               where d.organization_id = o.id and d.origin = 'auto' and d.status in ('sending', 'sent')
                 and d.created_at > now() - interval '1 day'
               group by m.mailbox_id) x), '[]'))
    from organizations o where o.id = p_organization_id
$$;

select app_lockdown();
