-- Messages: metadata and analysis only (never the body), and the history the web app shows.

create or replace function alert_to_json(a alerts) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', a.id, 'messageId', a.message_id, 'recipientId', a.recipient_id,
    'kind', a.kind, 'status', a.status, 'delivery', a.delivery, 'waMessageId', a.wa_message_id,
    'attempts', a.attempts, 'errorCode', a.error_code, 'errorMessage', a.error_message,
    'statusHistory', a.status_history, 'rendered', a.rendered, 'holdUntil', a.hold_until,
    'sentAt', a.sent_at, 'deliveredAt', a.delivered_at, 'readAt', a.read_at, 'failedAt', a.failed_at,
    'handledAt', a.handled_at, 'createdAt', a.created_at)
$$;

create or replace function message_to_json(m messages) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', m.id, 'organizationId', m.organization_id, 'mailboxId', m.mailbox_id,
    'providerMessageId', m.provider_message_id, 'threadId', m.thread_id,
    'internetMessageId', m.internet_message_id, 'fromAddress', m.from_address, 'fromName', m.from_name,
    'subject', m.subject, 'receivedAt', m.received_at, 'webLink', m.web_link, 'status', m.status,
    'priority', m.priority, 'category', m.category, 'summary', m.summary,
    'suggestedAction', m.suggested_action, 'suggestedActionPhrase', m.suggested_action_phrase,
    'deadline', m.deadline, 'amounts', m.amounts, 'fraudWarning', m.fraud_warning,
    'confidence', m.confidence, 'reasons', m.reasons, 'analyzer', m.analyzer, 'llmModel', m.llm_model,
    'llmInputTokens', m.llm_input_tokens, 'llmOutputTokens', m.llm_output_tokens,
    'analysisMs', m.analysis_ms, 'autoActions', m.auto_actions, 'handledAt', m.handled_at,
    'feedbackPriority', m.feedback_priority, 'createdAt', m.created_at, 'analyzedAt', m.analyzed_at)
$$;

-- What the analysis job needs about a message: its mailbox, organization settings and sender rules.
create or replace function message_context(p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'mailbox', mailbox_to_json(mb),
    'organization', organization_to_json(o),
    'senderRules', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind))
                               from sender_rules r where r.organization_id = m.organization_id), '[]'))
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    join organizations o on o.id = m.organization_id
   where m.id = p_message_id
$$;

/*
 * Stores the analysis and the metadata it came with, then queues one alert per opted-in recipient
 * whose routing accepts it — all in one transaction, so an analysed message always has its alerts
 * queued. Informational mail goes to the digest instead (no alert row); spam alerts no one.
 */
create or replace function message_save_analysis(p_message_id uuid, p_meta jsonb, p_analysis jsonb, p_usage jsonb)
returns jsonb
language plpgsql as $$
declare
  m messages;
  v_alerts integer := 0;
  v_rank_msg integer;
begin
  update messages set
    thread_id = p_meta->>'threadId',
    internet_message_id = p_meta->>'internetMessageId',
    from_address = lower(p_meta->>'fromAddress'),
    from_name = p_meta->>'fromName',
    subject = left(p_meta->>'subject', 500),
    received_at = (p_meta->>'receivedAt')::timestamptz,
    web_link = p_meta->>'webLink',
    status = 'analyzed',
    priority = p_analysis->>'priority',
    category = left(p_analysis->>'category', 60),
    summary = left(p_analysis->>'summary', 400),
    suggested_action = p_analysis->'suggestedAction'->>'kind',
    suggested_action_phrase = left(p_analysis->'suggestedAction'->>'phrase', 160),
    deadline = (p_analysis->>'deadline')::timestamptz,
    amounts = coalesce(p_analysis->'amounts', '[]'),
    fraud_warning = left(p_analysis->>'fraudWarning', 300),
    confidence = (p_analysis->>'confidence')::real,
    reasons = coalesce(p_analysis->'reasons', '[]'),
    analyzer = p_analysis->>'analyzer',
    llm_model = p_usage->>'model',
    llm_input_tokens = (p_usage->>'inputTokens')::integer,
    llm_output_tokens = (p_usage->>'outputTokens')::integer,
    analysis_ms = (p_usage->>'latencyMs')::integer,
    analyzed_at = now()
  where id = p_message_id and status in ('pending', 'failed')
  returning * into m;
  if not found then
    -- Already analysed by an earlier run of the same job: nothing to redo.
    select * into m from messages where id = p_message_id;
    return jsonb_build_object('message', message_to_json(m), 'alertsQueued', 0, 'alreadyAnalyzed', true);
  end if;

  v_rank_msg := priority_rank(m.priority);
  if m.priority in ('critical', 'important') then
    with targets as (
      select r.id from recipients r
       where r.organization_id = m.organization_id and r.status = 'opted_in'
         and v_rank_msg >= priority_rank(r.min_priority)
         and (r.categories is null or cardinality(r.categories) = 0 or m.category = any (r.categories))
    ), ins as (
      insert into alerts (organization_id, message_id, recipient_id, kind)
      select m.organization_id, m.id, t.id, 'alert' from targets t
      on conflict (message_id, recipient_id, kind) do nothing
      returning id
    ), queued as (
      insert into jobs (kind, key, payload)
      select 'alert.send', 'alert:' || ins.id, jsonb_build_object('alertId', ins.id) from ins
      on conflict (key) do nothing
      returning 1
    )
    select count(*) into v_alerts from queued;
  end if;
  return jsonb_build_object('message', message_to_json(m), 'alertsQueued', v_alerts, 'alreadyAnalyzed', false);
end
$$;

create or replace function priority_rank(p_priority text) returns integer
language sql immutable as $$
  select case p_priority when 'critical' then 4 when 'important' then 3 when 'informational' then 2
                         when 'spam' then 1 else 0 end
$$;

create or replace function message_set_auto_actions(p_message_id uuid, p_actions jsonb) returns jsonb
language sql as $$
  update messages set auto_actions = coalesce(p_actions, '[]') where id = p_message_id
  returning jsonb_build_object('ok', true)
$$;

-- The provider no longer has the message (deleted before we fetched it).
create or replace function message_mark_skipped(p_message_id uuid, p_reason text) returns jsonb
language sql as $$
  update messages set status = 'skipped', reasons = jsonb_build_array(left(p_reason, 200))
   where id = p_message_id and status = 'pending'
  returning jsonb_build_object('ok', true)
$$;

/*
 * The dashboard list, newest first, keyset-paginated on (received_at, id), always scoped to the
 * caller's organization. Alerts per recipient come along for the status chips.
 */
create or replace function message_list(
  p_organization_id uuid,
  p_priority text default null,
  p_status text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_query text default null,
  p_limit integer default 25,
  p_before_received timestamptz default null,
  p_before_id uuid default null
) returns jsonb
language sql stable as $$
  with page as (
    select m.* from messages m
     where m.organization_id = p_organization_id
       and (p_priority is null or m.priority = p_priority)
       and (p_status is null
            or (p_status = 'handled' and m.handled_at is not null)
            or (p_status = 'open' and m.handled_at is null and m.status = 'analyzed')
            or (p_status = 'pending' and m.status = 'pending')
            or (p_status = 'failed' and m.status = 'failed'))
       and (p_from is null or coalesce(m.received_at, m.created_at) >= p_from)
       and (p_to is null or coalesce(m.received_at, m.created_at) < p_to)
       and (p_query is null or m.subject ilike '%' || p_query || '%' or m.from_address ilike '%' || p_query || '%'
            or m.from_name ilike '%' || p_query || '%')
       and (p_before_received is null
            or (coalesce(m.received_at, m.created_at), m.id) < (p_before_received, p_before_id))
     order by coalesce(m.received_at, m.created_at) desc, m.id desc
     limit least(greatest(p_limit, 1), 100)
  )
  select coalesce(jsonb_agg(message_to_json(p) || jsonb_build_object(
           'sortKey', coalesce(p.received_at, p.created_at),
           'alerts', coalesce((select jsonb_agg(alert_to_json(a) - 'rendered' || jsonb_build_object('recipientName', r.name)
                                                order by a.created_at)
                                 from alerts a join recipients r on r.id = a.recipient_id
                                where a.message_id = p.id), '[]'))
         order by coalesce(p.received_at, p.created_at) desc, p.id desc), '[]')
    from page p
$$;

create or replace function message_get(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select message_to_json(m) || jsonb_build_object(
      'mailbox', jsonb_build_object('provider', mb.provider, 'address', mb.address),
      'alerts', coalesce((select jsonb_agg(alert_to_json(a) || jsonb_build_object('recipientName', r.name)
                                           order by a.created_at)
                            from alerts a join recipients r on r.id = a.recipient_id
                           where a.message_id = m.id), '[]'))
    from messages m join mailboxes mb on mb.id = m.mailbox_id
   where m.id = p_message_id and m.organization_id = p_organization_id
$$;

-- "Traité": from the web app or a WhatsApp button. Stops escalation and reminders.
create or replace function message_mark_handled(p_organization_id uuid, p_message_id uuid, p_actor text)
returns jsonb
language plpgsql as $$
declare
  m messages;
begin
  update messages set handled_at = coalesce(handled_at, now())
   where id = p_message_id and organization_id = p_organization_id returning * into m;
  if not found then
    raise exception 'message not found' using errcode = 'PT404';
  end if;
  update alerts set handled_at = coalesce(handled_at, now()) where message_id = m.id;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'message.handled', m.id::text);
  return message_to_json(m);
end
$$;

-- "Priorité incorrecte": stored, and turned into a sender rule when the user agrees.
create or replace function message_feedback(
  p_organization_id uuid,
  p_message_id uuid,
  p_priority text,
  p_make_rule boolean,
  p_actor text
) returns jsonb
language plpgsql as $$
declare
  m messages;
  v_rule text := null;
begin
  update messages set feedback_priority = p_priority
   where id = p_message_id and organization_id = p_organization_id returning * into m;
  if not found then
    raise exception 'message not found' using errcode = 'PT404';
  end if;
  if p_make_rule and m.from_address is not null then
    v_rule := case when p_priority in ('critical', 'important') then 'vip'
                   when p_priority = 'spam' then 'blocked' else 'muted' end;
    insert into sender_rules (organization_id, pattern, kind, source)
    values (p_organization_id, lower(m.from_address), v_rule, 'feedback')
    on conflict (organization_id, pattern) do update set kind = excluded.kind, source = 'feedback';
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'message.feedback', m.id::text,
          jsonb_build_object('priority', p_priority, 'was', m.priority, 'rule', v_rule));
  return message_to_json(m) || jsonb_build_object('ruleCreated', v_rule);
end
$$;

select app_lockdown();
