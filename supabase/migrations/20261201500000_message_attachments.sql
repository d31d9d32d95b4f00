-- What was found in each attachment of an email (issue 16), kept with its analysis for the alert,
-- the email page and the digest: the name, kind, amounts, due date, signature and bank-detail flags,
-- or why the file was not read. Never the file, never its text (lib/attachments/stored.ts).
alter table messages add column attachments jsonb
  check (attachments is null or jsonb_typeof(attachments) = 'array');

-- From 20261123200100_messages.sql, plus the attachments.
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
    'feedbackPriority', m.feedback_priority, 'createdAt', m.created_at, 'analyzedAt', m.analyzed_at,
    'attachments', coalesce(m.attachments, '[]'::jsonb))
$$;

-- Written by message.analyze just before the analysis (same job, before message.analyzed is queued).
create or replace function message_set_attachments(p_message_id uuid, p_attachments jsonb) returns jsonb
language plpgsql as $$
begin
  if jsonb_typeof(p_attachments) is distinct from 'array' then
    raise exception 'attachments must be a JSON array' using errcode = 'PT400';
  end if;
  update messages set attachments = p_attachments where id = p_message_id;
  return jsonb_build_object('ok', found);
end
$$;

/*
 * From 20261123200300_alerts.sql, plus awaitingSignature: the attachments that need a signature on
 * emails of the organization analysed in the last 7 days and not marked handled (a contract sent on
 * Monday is still waiting on Thursday's digest; "Traité" takes it off).
 */
create or replace function digest_collect(p_recipient_id uuid, p_since timestamptz) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'counts', (select jsonb_build_object(
        'critical', count(*) filter (where m.priority = 'critical'),
        'important', count(*) filter (where m.priority = 'important'),
        'informational', count(*) filter (where m.priority = 'informational'),
        'spam', count(*) filter (where m.priority = 'spam'))
      from messages m where m.organization_id = r.organization_id and m.analyzed_at >= p_since),
    'items', coalesce((select jsonb_agg(jsonb_build_object('priority', x.priority, 'subject', x.subject,
                                                           'from', coalesce(x.from_name, x.from_address)))
      from (select * from messages m where m.organization_id = r.organization_id and m.analyzed_at >= p_since
              and m.priority = 'informational' order by m.received_at desc limit 10) x), '[]'),
    'awaitingSignature', (select count(*)
      from messages m cross join lateral jsonb_array_elements(coalesce(m.attachments, '[]'::jsonb)) a
     where m.organization_id = r.organization_id and m.status = 'analyzed' and m.handled_at is null
       and m.analyzed_at >= p_since - interval '6 days'
       and a->>'status' = 'read' and a->'findings'->>'needsSignature' = 'true'))
    from recipients r where r.id = p_recipient_id
$$;

select app_lockdown();
