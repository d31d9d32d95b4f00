-- Messages and their analysis, the sender rules the analysis applies, and the end of analysis:
-- message_save_analysis stores it and enqueues the message.analyzed job; the router (TypeScript,
-- lib/pipeline) reads message_routing_context (20261204100900_replies.sql) and writes what it
-- decided with route_apply.

-- VIP, muted and blocked senders, and rules that set a priority exactly ("apply to future emails":
-- the rule's kind is the priority itself).
create table sender_rules (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  -- a lower-case address, or @domain
  pattern text not null check (pattern = lower(pattern) and pattern ~ '^[^@\s]*@[^@\s]+$'),
  kind text not null
    check (kind in ('vip', 'muted', 'blocked', 'critical', 'important', 'informational', 'spam')),
  source text not null default 'settings' check (source in ('settings', 'whatsapp', 'feedback')),
  created_at timestamptz not null default now(),
  unique (organization_id, pattern)
);

-- Metadata and analysis only: there is deliberately no column for the email body.
create table messages (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  mailbox_id uuid not null references mailboxes (id) on delete cascade,
  provider_message_id text not null,
  thread_id text,
  internet_message_id text,
  from_address text,
  from_name text,
  subject text,
  received_at timestamptz,
  web_link text,
  status text not null default 'pending' check (status in ('pending', 'analyzed', 'skipped', 'failed')),
  -- What the app shows and routes on; after a correction it is the user's, and the analysis's own
  -- verdict stays in analyzed_priority (stats compare the two).
  priority text check (priority in ('critical', 'important', 'informational', 'spam')),
  category text,
  -- Each recipient reads the analysis in their own language: the summary and the action phrase
  -- are stored in French and English ({"fr": …, "en": …}), the fraud warning like the reasons as a
  -- catalogue key with parameters ({"key": "fraud.payee_change"}), rendered per reader.
  summary jsonb,
  suggested_action text check (suggested_action in ('reply', 'call', 'sign', 'pay', 'forward', 'read', 'ignore')),
  suggested_action_phrase jsonb,
  deadline timestamptz,
  amounts jsonb not null default '[]',
  fraud_warning jsonb,
  confidence real check (confidence between 0 and 1),
  reasons jsonb not null default '[]',
  analyzer text check (analyzer in ('prefilter', 'gemini', 'fallback')),
  llm_model text,
  llm_input_tokens integer,
  llm_output_tokens integer,
  analysis_ms integer,
  auto_actions jsonb not null default '[]',
  handled_at timestamptz,
  feedback_priority text check (feedback_priority in ('critical', 'important', 'informational', 'spam')),
  created_at timestamptz not null default now(),
  analyzed_at timestamptz,
  analyzed_priority text check (analyzed_priority in ('critical', 'important', 'informational', 'spam')),
  -- Enums and flags of the judgement (relationship, authentication, addressing, tier…): no address,
  -- no name, no text. Shown in the email page's "why" and exported with corrections.
  signals jsonb,
  -- What was found in each attachment: the name, kind, amounts, due date, signature and
  -- bank-detail flags, or why the file was not read. Never the file, never its text
  -- (lib/attachments/stored.ts).
  attachments jsonb check (attachments is null or jsonb_typeof(attachments) = 'array'),
  unique (mailbox_id, provider_message_id)
);

create index messages_org_received_idx on messages (organization_id, received_at desc, id);

create index messages_org_priority_idx on messages (organization_id, priority);

create index messages_failed_idx on messages (created_at) where status = 'failed';

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

/*
 * Stores the analysis, the metadata it came with and the auto-actions applied, then enqueues
 * p_next_job (the message.analyzed job) — all in one transaction, so an analysed message always
 * has its routing queued. The summary and action phrase are kept in both languages, each bounded
 * (localized_text). A rerun finds the message analysed and changes nothing.
 */
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

-- The provider no longer has the message (deleted before we fetched it).
create or replace function message_mark_skipped(p_message_id uuid, p_reason text) returns jsonb
language sql as $$
  update messages set status = 'skipped', reasons = jsonb_build_array(left(p_reason, 200))
   where id = p_message_id and status = 'pending'
  returning jsonb_build_object('ok', true)
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

create or replace function sender_rule_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind,
                                               'source', r.source, 'createdAt', r.created_at) order by r.created_at), '[]')
    from sender_rules r where r.organization_id = p_organization_id
$$;

create or replace function sender_rule_upsert(p_organization_id uuid, p_pattern text, p_kind text, p_source text, p_actor text)
returns jsonb
language plpgsql as $$
declare
  r sender_rules;
begin
  insert into sender_rules (organization_id, pattern, kind, source)
  values (p_organization_id, lower(trim(p_pattern)), p_kind, p_source)
  on conflict (organization_id, pattern) do update set kind = excluded.kind, source = excluded.source
  returning * into r;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'sender_rule.saved', r.id::text, jsonb_build_object('kind', p_kind, 'source', p_source));
  return jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind, 'source', r.source);
end
$$;

create or replace function sender_rule_delete(p_organization_id uuid, p_rule_id uuid, p_actor text) returns jsonb
language plpgsql as $$
declare
  r sender_rules;
begin
  delete from sender_rules where id = p_rule_id and organization_id = p_organization_id returning * into r;
  if not found then
    raise exception 'rule not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'sender_rule.deleted', p_rule_id::text);
  return jsonb_build_object('deleted', true, 'pattern', r.pattern);
end
$$;

-- Analyses held while a mailbox was cut off run as soon as it is reconnected, not an hour later.
-- `priority in (0, 1)` is every priority (the column's check): it lets the range of held jobs be
-- read from jobs_claim_idx (priority, run_at, id), the pending jobs' one index.
create function mailbox_release_held(p_mailbox_id uuid, p_kind text) returns jsonb
language sql as $$
  with released as (
    update jobs j set run_at = now(), updated_at = now()
      from messages m
     where j.kind = p_kind and j.status = 'pending' and j.priority in (0, 1) and j.run_at > now()
       and m.mailbox_id = p_mailbox_id and m.status = 'pending'
       and j.payload->>'messageId' = m.id::text
    returning 1)
  select jsonb_build_object('released', count(*)) from released
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

-- An email whose analysis can never succeed ends `failed`, never `pending` forever: the dashboard
-- shows it with what is known of it (sender, subject, date when they could be read) and why, the
-- stats page and /api/health count it. The reason is a short code the web
-- catalogue translates (`failure.<code>`), never text from the email.
create or replace function message_mark_failed(p_message_id uuid, p_reason text, p_meta jsonb default null)
returns jsonb
language sql as $$
  update messages set
    status = 'failed',
    reasons = jsonb_build_array(left(p_reason, 64)),
    thread_id = coalesce(thread_id, p_meta->>'threadId'),
    internet_message_id = coalesce(internet_message_id, p_meta->>'internetMessageId'),
    from_address = coalesce(from_address, lower(p_meta->>'fromAddress')),
    from_name = coalesce(from_name, p_meta->>'fromName'),
    subject = coalesce(subject, left(p_meta->>'subject', 500)),
    received_at = coalesce(received_at, (p_meta->>'receivedAt')::timestamptz),
    web_link = coalesce(web_link, p_meta->>'webLink')
  where id = p_message_id and status = 'pending'
  returning jsonb_build_object('failed', true)
$$;

-- Failed emails recorded since p_since: one organization's (stats page) or everyone's (health,
-- a count only).
create or replace function message_failed_count(p_since timestamptz, p_organization_id uuid default null)
returns jsonb
language sql stable as $$
  select jsonb_build_object('failed', count(*)) from messages
   where status = 'failed' and created_at >= p_since
     and (p_organization_id is null or organization_id = p_organization_id)
$$;

-- Both languages of a text, each bounded (the application bounds them first; this is the backstop).
create or replace function localized_text(p_text jsonb, p_max integer) returns jsonb
language sql immutable as $$
  select case when jsonb_typeof(p_text) = 'object'
              then jsonb_build_object('fr', left(p_text->>'fr', p_max), 'en', left(p_text->>'en', p_max))
              else null end
$$;

-- An email whose analysis never returns (the process is killed mid-analysis on every attempt: an
-- out-of-memory crash, a platform time limit) has its job marked dead by job_claim's sweep of
-- leases that expired on the final attempt, with no code left to fail the message: it would stay
-- `pending` forever. The every-minute cron ends such messages `failed`.
-- The job kind comes from the app (lib/jobs/message-analyze.ts' definition): SQL never spells it.
create or replace function message_fail_abandoned(p_kind text, p_reason text, p_limit integer default 100)
returns jsonb
language sql as $$
  with abandoned as (
    select m.id from jobs j
      join messages m on m.id::text = j.payload->>'messageId'
     where j.status = 'dead' and j.kind = p_kind and m.status = 'pending'
     limit greatest(p_limit, 0)
  ), failed as (
    update messages m set status = 'failed', reasons = jsonb_build_array(left(p_reason, 64))
      from abandoned a where m.id = a.id and m.status = 'pending'
    returning m.id
  )
  select jsonb_build_object('failed', count(*)) from failed
$$;
