-- Analysis ends in one event. message_save_analysis stores the analysis and enqueues the
-- `message.analyzed` job it is given, in the same transaction; routing (who hears about it, on
-- which channel, and what else runs after analysis) is TypeScript, in lib/pipeline. The router
-- reads message_routing_context and writes everything it decided with one route_apply call.

drop function if exists message_save_analysis(uuid, jsonb, jsonb, jsonb);
-- The auto-actions are stored with the analysis now.
drop function if exists message_set_auto_actions(uuid, jsonb);

/*
 * Stores the analysis, the metadata it came with and the auto-actions applied, then enqueues
 * p_next_job (the message.analyzed job) — all in one transaction, so an analysed message always
 * has its routing queued. A rerun finds the message analysed and changes nothing.
 */
create function message_save_analysis(
  p_message_id uuid,
  p_meta jsonb,
  p_analysis jsonb,
  p_usage jsonb,
  p_next_job jsonb,
  p_auto_actions jsonb default null
) returns jsonb
language plpgsql as $$
declare
  m messages;
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
    auto_actions = coalesce(p_auto_actions, auto_actions),
    analyzed_at = now()
  where id = p_message_id and status in ('pending', 'failed')
  returning * into m;
  if not found then
    -- Already analysed by an earlier run of the same job: nothing to redo.
    select * into m from messages where id = p_message_id;
    return jsonb_build_object('message', message_to_json(m), 'alreadyAnalyzed', true);
  end if;
  perform job_enqueue_spec(p_next_job);
  return jsonb_build_object('message', message_to_json(m), 'alreadyAnalyzed', false);
end
$$;

-- What the analysis job needs: its message, mailbox (with the encrypted tokens, so opening the
-- mailbox needs no second read), organization settings and sender rules.
create or replace function message_context(p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'mailbox', mailbox_to_json(mb),
    'tokens', mailbox_token_get(mb.id),
    'organization', organization_to_json(o),
    'senderRules', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind))
                               from sender_rules r where r.organization_id = m.organization_id), '[]'))
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    join organizations o on o.id = m.organization_id
   where m.id = p_message_id
$$;

-- What the router decides from: the analysed message as stored, its organization and recipients.
create or replace function message_routing_context(p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'organization', organization_to_json(o),
    'recipients', coalesce((select jsonb_agg(recipient_to_json(r) order by r.created_at)
                              from recipients r where r.organization_id = m.organization_id), '[]'))
    from messages m join organizations o on o.id = m.organization_id
   where m.id = p_message_id
$$;

/*
 * Everything the router decided, in one transaction: alerts (each with its id and send job, as
 * alert_queue takes them; a repeat is a no-op) and the other consumers' jobs.
 * p_alerts: [{id, recipientId, kind, messageId, job}]; p_jobs: [job spec].
 */
create or replace function route_apply(p_alerts jsonb, p_jobs jsonb) returns jsonb
language plpgsql as $$
declare
  v_item jsonb;
  v_alerts integer := 0;
  v_jobs integer := 0;
begin
  for v_item in select * from jsonb_array_elements(coalesce(p_alerts, '[]')) loop
    if (alert_queue(p_alert_id => (v_item->>'id')::uuid, p_recipient_id => (v_item->>'recipientId')::uuid,
                    p_kind => v_item->>'kind', p_job => v_item->'job',
                    p_message_id => (v_item->>'messageId')::uuid)->>'created')::boolean then
      v_alerts := v_alerts + 1;
    end if;
  end loop;
  for v_item in select * from jsonb_array_elements(coalesce(p_jobs, '[]')) loop
    if (job_enqueue_spec(v_item)->>'created')::boolean then
      v_jobs := v_jobs + 1;
    end if;
  end loop;
  return jsonb_build_object('alerts', v_alerts, 'jobs', v_jobs);
end
$$;

drop function if exists job_complete(bigint, uuid);

/*
 * Completes a claimed job (false when the lease was lost: another drainer took it over) and, when
 * p_claim_limit > 0, claims the next due jobs in the same round trip, so a busy drainer spends one
 * database call per job instead of two.
 */
create function job_complete(
  p_id bigint,
  p_lease_token uuid,
  p_claim_limit integer default 0,
  p_kinds text[] default null,
  p_lease_seconds integer default 60
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_ok boolean;
begin
  update jobs
     set status = case when rearm then 'pending' else 'done' end,
         run_at = case when rearm then now() else run_at end,
         attempts = case when rearm then 0 else attempts end,
         completed_at = case when rearm then null else now() end,
         rearm = false, leased_until = null, lease_token = null, last_error = null, updated_at = now()
   where id = p_id and lease_token = p_lease_token and status = 'running'
  returning * into j;
  v_ok := found;
  return jsonb_build_object('ok', v_ok, 'status', j.status,
    'claimed', case when coalesce(p_claim_limit, 0) > 0 then job_claim(p_claim_limit, p_lease_seconds, p_kinds)
                    else '[]'::jsonb end);
end
$$;

select app_lockdown();
