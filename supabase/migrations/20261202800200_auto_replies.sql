-- Pre-approved automatic replies (issue 17): a rule = which emails (sender or domain, VIP, category,
-- minimum priority) and which hours (always, or outside working hours) → an approved template.
-- The RFC 3834 safeguards are code (lib/replies/auto-reply-guard.ts) and these limits, which no
-- rule can lift: one automatic reply per sender and thread every N days, a daily cap per mailbox.

alter table organizations
  add column auto_reply_interval_days smallint not null default 4 check (auto_reply_interval_days between 1 and 30),
  add column auto_reply_daily_cap smallint not null default 20 check (auto_reply_daily_cap between 1 and 200);

create table auto_reply_rules (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  template_id uuid not null references reply_templates (id) on delete cascade,
  enabled boolean not null default true,
  -- a lower-case address or @domain; null: any sender
  sender_pattern text check (sender_pattern = lower(sender_pattern) and sender_pattern ~ '^[^@\s]*@[^@\s]+$'),
  vip_only boolean not null default false,
  category text check (length(category) <= 40),
  min_priority text not null default 'important' check (min_priority in ('critical', 'important', 'informational')),
  hours text not null default 'outside_work' check (hours in ('always', 'outside_work')),
  work_start_minute smallint not null default 480 check (work_start_minute between 0 and 1439),
  work_end_minute smallint not null default 1080 check (work_end_minute between 0 and 1439),
  created_by text,
  created_at timestamptz not null default now()
);
create index auto_reply_rules_org_idx on auto_reply_rules (organization_id);
alter table auto_reply_rules enable row level security;

create index reply_drafts_auto_idx on reply_drafts (organization_id, created_at) where origin = 'auto';

create or replace function auto_reply_rule_to_json(r auto_reply_rules) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', r.id, 'templateId', r.template_id, 'enabled', r.enabled,
    'senderPattern', r.sender_pattern, 'vipOnly', r.vip_only, 'category', r.category,
    'minPriority', r.min_priority, 'hours', r.hours, 'workStartMinute', r.work_start_minute,
    'workEndMinute', r.work_end_minute, 'createdAt', r.created_at)
$$;

create or replace function auto_reply_rule_save(p_organization_id uuid, p_actor text, p_rule jsonb) returns jsonb
language plpgsql as $$
declare
  r auto_reply_rules;
begin
  if not exists (select 1 from reply_templates where id = (p_rule->>'templateId')::uuid
                   and organization_id = p_organization_id) then
    raise exception 'reply template not found' using errcode = 'PT404';
  end if;
  insert into auto_reply_rules (organization_id, template_id, enabled, sender_pattern, vip_only, category,
                                min_priority, hours, work_start_minute, work_end_minute, created_by)
  values (p_organization_id, (p_rule->>'templateId')::uuid, coalesce((p_rule->>'enabled')::boolean, true),
          nullif(lower(p_rule->>'senderPattern'), ''), coalesce((p_rule->>'vipOnly')::boolean, false),
          nullif(p_rule->>'category', ''), coalesce(p_rule->>'minPriority', 'important'),
          coalesce(p_rule->>'hours', 'outside_work'), coalesce((p_rule->>'workStartMinute')::smallint, 480),
          coalesce((p_rule->>'workEndMinute')::smallint, 1080), p_actor)
  returning * into r;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'auto_reply.rule_saved', r.id::text, auto_reply_rule_to_json(r));
  return auto_reply_rule_to_json(r);
end
$$;

create or replace function auto_reply_rule_delete(p_organization_id uuid, p_rule_id uuid, p_actor text) returns jsonb
language plpgsql as $$
begin
  delete from auto_reply_rules where id = p_rule_id and organization_id = p_organization_id;
  if not found then
    raise exception 'rule not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'auto_reply.rule_deleted', p_rule_id::text);
  return jsonb_build_object('deleted', true);
end
$$;

create or replace function auto_reply_rule_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(auto_reply_rule_to_json(r) order by r.created_at), '[]')
    from auto_reply_rules r where r.organization_id = p_organization_id
$$;

/*
 * The router's context, extended with what the automatic-reply consumer decides from: the
 * organization's enabled rules whose template is approved, its time zone, and the stored signals
 * (null when there is no such rule: most organizations pay nothing for the feature).
 */
alter function message_routing_context(uuid) rename to message_routing_context_before_replies;
create function message_routing_context(p_message_id uuid) returns jsonb
language sql stable as $$
  select message_routing_context_before_replies(p_message_id) || jsonb_build_object('autoReply', (
    select jsonb_build_object(
             'timezone', o.timezone,
             'signals', m.signals,
             'rules', jsonb_agg(auto_reply_rule_to_json(r) order by r.created_at))
      from messages m
      join organizations o on o.id = m.organization_id
      join auto_reply_rules r on r.organization_id = m.organization_id and r.enabled
      join reply_templates t on t.id = r.template_id and t.approved
     where m.id = p_message_id
     group by o.timezone, m.signals))
$$;

/* What reply.auto needs: the email, its mailbox, the rule and its template, the user's own addresses. */
create or replace function auto_reply_context(p_message_id uuid, p_rule_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
      'message', message_to_json(m),
      'signals', m.signals,
      'mailbox', jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address, 'status', mb.status),
      'rule', auto_reply_rule_to_json(r),
      'template', reply_template_to_json(t),
      'timezone', o.timezone,
      'ownAddresses', (select coalesce(jsonb_agg(a), '[]') from (
          select lower(address) a from mailboxes where organization_id = m.organization_id
          union select lower(email) from users where organization_id = m.organization_id) x))
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    join organizations o on o.id = m.organization_id
    join auto_reply_rules r on r.id = p_rule_id and r.organization_id = m.organization_id and r.enabled
    join reply_templates t on t.id = r.template_id and t.approved
   where m.id = p_message_id
$$;

/*
 * Claims the automatic reply of one email under the limits no rule can lift, and queues its send
 * in the same transaction. The mailbox row is locked so two emails from one sender arriving
 * together cannot both pass the once-per-N-days check. Outcomes: queued, duplicate (this email
 * was already answered automatically), recent (this sender and thread got one within N days),
 * cap (the mailbox's daily cap is reached).
 */
create or replace function auto_reply_claim(p_draft jsonb, p_job jsonb, p_now timestamptz) returns jsonb
language plpgsql as $$
declare
  m messages;
  o organizations;
  v_thread text;
  d reply_drafts;
begin
  select * into m from messages where id = (p_draft->>'messageId')::uuid;
  if not found then
    return jsonb_build_object('outcome', 'gone');
  end if;
  perform 1 from mailboxes where id = m.mailbox_id for update;
  select * into o from organizations where id = m.organization_id;
  if exists (select 1 from reply_drafts where message_id = m.id and origin = 'auto') then
    return jsonb_build_object('outcome', 'duplicate');
  end if;
  v_thread := coalesce(m.thread_id, m.id::text);
  if exists (select 1 from reply_drafts d2 join messages m2 on m2.id = d2.message_id
              where d2.origin = 'auto' and d2.status in ('sending', 'sent') and m2.mailbox_id = m.mailbox_id
                and lower(d2.to_address) = lower(p_draft->>'toAddress')
                and coalesce(m2.thread_id, m2.id::text) = v_thread
                and d2.created_at > p_now - make_interval(days => o.auto_reply_interval_days)) then
    return jsonb_build_object('outcome', 'recent');
  end if;
  if (select count(*) from reply_drafts d2 join messages m2 on m2.id = d2.message_id
       where d2.origin = 'auto' and d2.status in ('sending', 'sent') and m2.mailbox_id = m.mailbox_id
         and d2.created_at > p_now - interval '1 day') >= o.auto_reply_daily_cap then
    return jsonb_build_object('outcome', 'cap');
  end if;
  insert into reply_drafts (id, organization_id, message_id, origin, template_id, body_sealed, body_sha256,
                            to_address, to_name, status, decided_by, expires_at, created_at)
  values ((p_draft->>'id')::uuid, m.organization_id, m.id, 'auto', (p_draft->>'templateId')::uuid,
          p_draft->>'bodySealed', p_draft->>'bodySha256', p_draft->>'toAddress', left(p_draft->>'toName', 200),
          'sending', 'auto:' || (p_draft->>'ruleId'), p_now + interval '1 day', p_now)
  returning * into d;
  perform job_enqueue_spec(p_job);
  return jsonb_build_object('outcome', 'queued', 'draft', reply_draft_to_json(d));
end
$$;

/* Once an automatic reply is sent, the email's automatic actions say so (the alert's 🤖 line). */
create or replace function auto_reply_note(p_message_id uuid, p_action text) returns jsonb
language sql as $$
  update messages set auto_actions = auto_actions || to_jsonb(p_action)
   where id = p_message_id and not auto_actions ? p_action
  returning jsonb_build_object('id', id)
$$;

select app_lockdown();
