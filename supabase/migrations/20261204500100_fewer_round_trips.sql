-- Database round trips per email (issue 14 item 2): the calls each email's jobs made one by one are
-- folded into the functions that already run:
--   - the analysis's signals and attachment findings are stored by message_save_analysis, in its
--     transaction (message_set_signals / message_set_attachments stay for other callers);
--   - message_context and the new mailbox_sync_context carry the mailbox's rate-limit state, so the
--     quota gate of an analysis, a housekeeping and a sync reads nothing more;
--   - a sync's context is one read (mailbox, encrypted tokens, rate-limit state);
--   - the quota units a job's provider calls cost are charged by job_complete (p_charges), in the
--     round trip that ends the job (a job that fails or defers charges them on its own, as before).

/* The rate-limit state of a mailbox as mailbox_sync_state_to_json shows it, without creating a row. */
create or replace function mailbox_sync_state_peek(p_mailbox_id uuid, p_window_seconds integer)
returns jsonb
language sql stable as $$
  select coalesce(
    (select mailbox_sync_state_to_json(s, p_window_seconds) from mailbox_sync_state s where s.mailbox_id = p_mailbox_id),
    jsonb_build_object('windowStartedAt', now(), 'windowEndsAt', now() + make_interval(secs => p_window_seconds),
                       'unitsUsed', 0, 'throttledUntil', null, 'catchUp', null))
$$;

drop function if exists message_context(uuid);

/*
 * What a job about one message needs, in one read (body of 20261204500000_mailbox_labels.sql, plus
 * the mailbox's rate-limit state over p_window_seconds).
 */
create function message_context(p_message_id uuid, p_window_seconds integer default 60)
returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'mailbox', mailbox_to_json(mb),
    'tokens', mailbox_token_get(mb.id),
    'organization', organization_to_json(o),
    'senderRules', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind))
                               from sender_rules r where r.organization_id = m.organization_id), '[]'),
    'labels', coalesce((select jsonb_object_agg(l.name, l.label_id)
                          from mailbox_labels l where l.mailbox_id = mb.id), '{}'),
    'syncState', mailbox_sync_state_peek(mb.id, p_window_seconds))
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    join organizations o on o.id = m.organization_id
   where m.id = p_message_id
$$;

/* What a mailbox.sync run reads first, in one round trip: the mailbox, its encrypted tokens, its rate-limit state. */
create or replace function mailbox_sync_context(p_mailbox_id uuid, p_window_seconds integer default 60)
returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'mailbox', mailbox_to_json(m),
    'tokens', mailbox_token_get(m.id),
    'syncState', mailbox_sync_state_peek(m.id, p_window_seconds))
    from mailboxes m where m.id = p_mailbox_id
$$;

drop function if exists message_save_analysis(uuid, jsonb, jsonb, jsonb, jsonb, jsonb);

/*
 * Body of 20261204100500_messages_and_analysis.sql, plus the signals (p_signals) and the
 * attachment findings (p_attachments, a JSON array) stored in the same update.
 */
create function message_save_analysis(
  p_message_id uuid,
  p_meta jsonb,
  p_analysis jsonb,
  p_usage jsonb,
  p_next_job jsonb,
  p_auto_actions jsonb default null,
  p_signals jsonb default null,
  p_attachments jsonb default null
) returns jsonb
language plpgsql as $$
declare
  m messages;
begin
  if p_attachments is not null and jsonb_typeof(p_attachments) <> 'array' then
    raise exception 'attachments must be a JSON array' using errcode = 'PT400';
  end if;
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
    summary = localized_text(p_analysis->'summary', 400),
    suggested_action = p_analysis->'suggestedAction'->>'kind',
    suggested_action_phrase = localized_text(p_analysis->'suggestedAction'->'phrase', 160),
    deadline = (p_analysis->>'deadline')::timestamptz,
    amounts = coalesce(p_analysis->'amounts', '[]'),
    fraud_warning = case when jsonb_typeof(p_analysis->'fraudWarning') = 'object'
                         then p_analysis->'fraudWarning' else null end,
    confidence = (p_analysis->>'confidence')::real,
    reasons = coalesce(p_analysis->'reasons', '[]'),
    analyzer = p_analysis->>'analyzer',
    llm_model = p_usage->>'model',
    llm_input_tokens = (p_usage->>'inputTokens')::integer,
    llm_output_tokens = (p_usage->>'outputTokens')::integer,
    analysis_ms = (p_usage->>'latencyMs')::integer,
    auto_actions = coalesce(p_auto_actions, auto_actions),
    signals = coalesce(p_signals, signals),
    attachments = coalesce(p_attachments, attachments),
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

drop function if exists job_complete(bigint, uuid, integer, text[], integer);

/*
 * Body of job_complete from 20261204100200_jobs.sql, plus p_charges: the
 * quota units the job's provider calls cost, [{mailboxId, units, windowSeconds}], charged to each
 * mailbox (mailbox_quota_spend) in the same round trip — whether or not the lease was still held:
 * the calls were made.
 */
create function job_complete(
  p_id bigint,
  p_lease_token uuid,
  p_claim_limit integer default 0,
  p_kinds text[] default null,
  p_lease_seconds integer default 60,
  p_charges jsonb default null
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_ok boolean;
  v_charge jsonb;
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
  if jsonb_typeof(p_charges) = 'array' then
    for v_charge in select * from jsonb_array_elements(p_charges) loop
      perform mailbox_quota_spend((v_charge->>'mailboxId')::uuid, (v_charge->>'units')::integer,
                                  (v_charge->>'windowSeconds')::integer);
    end loop;
  end if;
  return jsonb_build_object('ok', v_ok, 'status', j.status,
    'claimed', case when coalesce(p_claim_limit, 0) > 0 then job_claim_due(p_claim_limit, p_lease_seconds, p_kinds)
                    else '[]'::jsonb end);
end
$$;

select app_lockdown();
