-- Corrections that teach, and the signals each analysis was decided with.

-- A sender rule may now set a priority exactly ("apply to future emails"): the rule's kind is the
-- priority itself, besides vip (trusted, at least important), muted and blocked.
alter table sender_rules drop constraint sender_rules_kind_check;
alter table sender_rules add constraint sender_rules_kind_check
  check (kind in ('vip', 'muted', 'blocked', 'critical', 'important', 'informational', 'spam'));

-- `priority` is what the app shows and routes on; after a correction it is the user's, and the
-- analysis's own verdict stays in analyzed_priority (stats compare the two).
alter table messages add column analyzed_priority text
  check (analyzed_priority in ('critical', 'important', 'informational', 'spam'));
-- Enums and flags of the judgement (relationship, authentication, addressing, tier…): no address,
-- no name, no text. Shown in the email page's "why" and exported with corrections.
alter table messages add column signals jsonb;

create or replace function message_set_signals(p_message_id uuid, p_signals jsonb) returns jsonb
language sql as $$
  update messages set signals = p_signals where id = p_message_id
  returning jsonb_build_object('ok', true)
$$;

create or replace function message_signals(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('signals', m.signals, 'analyzedPriority', m.analyzed_priority,
                            'feedbackPriority', m.feedback_priority)
    from messages m where m.id = p_message_id and m.organization_id = p_organization_id
$$;

drop function if exists message_feedback(uuid, uuid, text, boolean, text);

/*
 * "Priorité incorrecte": the email shows the corrected priority at once (list, filters, stats);
 * p_scope 'sender' or 'domain' also makes a rule that SETS that priority for future emails of
 * the sender or its domain (free-mail domains are refused: a rule for all of gmail.com is not what
 * anyone means). Returns the message and what was done, for the audit trail and the relationship
 * store (a correction to critical makes the sender trusted: the caller hashes and records it).
 */
create or replace function message_feedback(
  p_organization_id uuid,
  p_message_id uuid,
  p_priority text,
  p_scope text,
  p_actor text,
  p_free_mail boolean default false
) returns jsonb
language plpgsql as $$
declare
  m messages;
  v_pattern text := null;
begin
  if p_priority not in ('critical', 'important', 'informational', 'spam') then
    raise exception 'unknown priority' using errcode = 'PT400';
  end if;
  if p_scope not in ('none', 'sender', 'domain') then
    raise exception 'unknown scope' using errcode = 'PT400';
  end if;
  update messages
     set analyzed_priority = coalesce(analyzed_priority, priority),
         priority = p_priority, feedback_priority = p_priority
   where id = p_message_id and organization_id = p_organization_id and status = 'analyzed'
  returning * into m;
  if not found then
    raise exception 'message not found' using errcode = 'PT404';
  end if;
  if p_scope <> 'none' and coalesce(m.from_address, '') like '%@%' then
    if p_scope = 'domain' and p_free_mail then
      raise exception 'a rule for a whole free-mail domain is refused' using errcode = 'PT400';
    end if;
    v_pattern := case when p_scope = 'sender' then lower(m.from_address)
                      else '@' || split_part(lower(m.from_address), '@', 2) end;
    insert into sender_rules (organization_id, pattern, kind, source)
    values (p_organization_id, v_pattern, p_priority, 'feedback')
    on conflict (organization_id, pattern) do update set kind = excluded.kind, source = 'feedback';
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'message.feedback', m.id::text,
          jsonb_build_object('priority', p_priority, 'was', m.analyzed_priority, 'rule', v_pattern));
  return message_to_json(m) || jsonb_build_object('rulePattern', v_pattern, 'mailboxId', m.mailbox_id);
end
$$;

-- An organization's corrections, for `npm run eval -- --corrections`: metadata and signals only.
create or replace function message_corrections(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'from', coalesce(m.from_address, ''), 'fromName', m.from_name,
           'subject', coalesce(m.subject, ''), 'date', coalesce(m.received_at, m.created_at),
           'signals', m.signals, 'predicted', m.analyzed_priority, 'analyzer', m.analyzer,
           'label', m.feedback_priority) order by m.received_at desc nulls last), '[]')
    from messages m
   where m.organization_id = p_organization_id and m.feedback_priority is not null
     and m.analyzed_priority is not null and m.signals is not null
$$;

select app_lockdown();
