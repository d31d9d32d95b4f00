-- Each recipient reads an email's analysis in their own language (issue 15): the summary and the
-- action phrase are stored in French and English ({"fr": …, "en": …}), the fraud warning like the
-- reasons as a catalogue key with parameters ({"key": "fraud.payee_change"}), rendered per reader.
-- Rows analysed before keep their text: the same string in both languages, or a plain JSON string.

alter table messages
  alter column summary type jsonb
    using case when summary is null then null else jsonb_build_object('fr', summary, 'en', summary) end,
  alter column suggested_action_phrase type jsonb
    using case when suggested_action_phrase is null then null
               else jsonb_build_object('fr', suggested_action_phrase, 'en', suggested_action_phrase) end,
  alter column fraud_warning type jsonb
    using case when fraud_warning is null then null else to_jsonb(fraud_warning) end;

-- Both languages of a text, each bounded (the application bounds them first; this is the backstop).
create or replace function localized_text(p_text jsonb, p_max integer) returns jsonb
language sql immutable as $$
  select case when jsonb_typeof(p_text) = 'object'
              then jsonb_build_object('fr', left(p_text->>'fr', p_max), 'en', left(p_text->>'en', p_max))
              else null end
$$;

-- From 20261201100100_message_analyzed.sql; only the three text columns change.
create or replace function message_save_analysis(
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

select app_lockdown();
