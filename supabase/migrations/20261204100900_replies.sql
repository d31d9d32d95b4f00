-- Replies: the organization's approved reply templates, who may answer from WhatsApp, the drafts a
-- recipient confirms before anything is sent from the mailbox, and pre-approved automatic replies.
-- A draft's text is sealed by the app (JWE, the token vault) and dropped once the draft is sent,
-- cancelled or expired; what stays is its SHA-256 and, for a template, the template id.

create table reply_templates (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  locale text not null check (locale in ('fr', 'en')),
  -- A WhatsApp list row's title: 24 characters at most.
  title text not null check (length(title) between 1 and 24),
  body text not null check (length(body) between 1 and 1000),
  approved boolean not null default false,
  approved_by text,
  approved_at timestamptz,
  position smallint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index reply_templates_org_idx on reply_templates (organization_id, locale, position);

create table reply_drafts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  -- The email answered: deleting it deletes its unsent drafts (the confirmation then says so).
  message_id uuid not null references messages (id) on delete cascade,
  recipient_id uuid references recipients (id) on delete cascade,
  origin text not null default 'whatsapp' check (origin in ('whatsapp', 'auto')),
  -- The tap or text that opened it: a redelivered webhook finds the same draft.
  inbound_wamid text unique,
  template_id uuid references reply_templates (id) on delete set null,
  body_sealed text,
  body_sha256 text check (body_sha256 ~ '^[0-9a-f]{64}$'),
  to_address text not null check (length(to_address) between 3 and 320),
  to_name text check (length(to_name) <= 200),
  -- composing: waiting for the recipient's text; awaiting: shown, waiting for Envoyer / Annuler.
  status text not null default 'awaiting'
    check (status in ('composing', 'awaiting', 'sending', 'sent', 'cancelled', 'expired', 'failed')),
  -- The WhatsApp message that asked for the text or showed the confirmation.
  prompt_alert_id uuid references alerts (id) on delete set null,
  decided_by text,
  provider_message_id text,
  error text check (length(error) <= 500),
  sent_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status not in ('sent', 'cancelled', 'expired', 'failed') or body_sealed is null)
);

create index reply_drafts_message_idx on reply_drafts (message_id, created_at);

create index reply_drafts_composing_idx on reply_drafts (recipient_id, created_at desc) where status = 'composing';

create index reply_drafts_prompt_idx on reply_drafts (prompt_alert_id);

-- Pre-approved automatic replies: a rule = which emails (sender or domain, VIP, category, minimum
-- priority) and which hours → an approved template. The RFC 3834 safeguards are code
-- (lib/replies/auto-reply-guard.ts) and the limits on organizations, which no rule can lift: one
-- automatic reply per sender and thread every N days, a daily cap per mailbox.
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
  -- always, outside working hours, or during the owner's quiet hours
  hours text not null default 'outside_work' check (hours in ('always', 'outside_work', 'quiet_hours')),
  work_start_minute smallint not null default 480 check (work_start_minute between 0 and 1439),
  work_end_minute smallint not null default 1080 check (work_end_minute between 0 and 1439),
  created_by text,
  created_at timestamptz not null default now()
);

create index auto_reply_rules_org_idx on auto_reply_rules (organization_id);

create index reply_drafts_auto_idx on reply_drafts (organization_id, created_at) where origin = 'auto';

create or replace function recipient_may_reply(r recipients) returns boolean
language sql immutable as $$
  select coalesce(r.may_reply, r.role = 'owner')
$$;

create or replace function reply_template_to_json(t reply_templates) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', t.id, 'locale', t.locale, 'title', t.title, 'body', t.body,
    'approved', t.approved, 'approvedBy', t.approved_by, 'approvedAt', t.approved_at,
    'position', t.position, 'updatedAt', t.updated_at)
$$;

/*
 * Settings › Réponses: the templates (the app's defaults added, unapproved, the first time) and
 * each recipient's permission to reply.
 */
create or replace function reply_settings_get(p_organization_id uuid, p_defaults jsonb) returns jsonb
language plpgsql as $$
declare
  v_item jsonb;
begin
  update organizations set reply_defaults_seeded = true
   where id = p_organization_id and not reply_defaults_seeded;
  if found then
    for v_item in select * from jsonb_array_elements(coalesce(p_defaults, '[]')) loop
      insert into reply_templates (organization_id, locale, title, body, position)
      values (p_organization_id, v_item->>'locale', v_item->>'title', v_item->>'body',
              coalesce((v_item->>'position')::smallint, 0));
    end loop;
  end if;
  return jsonb_build_object(
    'templates', coalesce((select jsonb_agg(reply_template_to_json(t) order by t.locale, t.position, t.created_at)
                             from reply_templates t where t.organization_id = p_organization_id), '[]'),
    'recipients', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'role', r.role,
                                    'mayReply', recipient_may_reply(r)) order by r.created_at)
                              from recipients r where r.organization_id = p_organization_id), '[]'));
end
$$;

/* Creates or edits a template. Approval is said explicitly each time: an edited text is approved again or not at all. */
create or replace function reply_template_save(p_organization_id uuid, p_actor text, p_template jsonb) returns jsonb
language plpgsql as $$
declare
  t reply_templates;
  v_id uuid := (p_template->>'id')::uuid;
  v_approved boolean := coalesce((p_template->>'approved')::boolean, false);
begin
  if v_id is null then
    insert into reply_templates (organization_id, locale, title, body, approved, approved_by, approved_at, position)
    values (p_organization_id, p_template->>'locale', p_template->>'title', p_template->>'body', v_approved,
            case when v_approved then p_actor end, case when v_approved then now() end,
            coalesce((p_template->>'position')::smallint,
                     (select coalesce(max(position) + 1, 0) from reply_templates where organization_id = p_organization_id)))
    returning * into t;
  else
    update reply_templates set
      locale = coalesce(p_template->>'locale', locale),
      title = coalesce(p_template->>'title', title),
      body = coalesce(p_template->>'body', body),
      approved = v_approved,
      approved_by = case when v_approved then p_actor end,
      approved_at = case when v_approved then now() end,
      updated_at = now()
    where id = v_id and organization_id = p_organization_id
    returning * into t;
    if not found then
      raise exception 'reply template not found' using errcode = 'PT404';
    end if;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'reply_template.saved', t.id::text,
          jsonb_build_object('approved', t.approved, 'locale', t.locale));
  return reply_template_to_json(t);
end
$$;

create or replace function reply_template_delete(p_organization_id uuid, p_template_id uuid, p_actor text) returns jsonb
language plpgsql as $$
begin
  delete from reply_templates where id = p_template_id and organization_id = p_organization_id;
  if not found then
    raise exception 'reply template not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'reply_template.deleted', p_template_id::text);
  return jsonb_build_object('deleted', true);
end
$$;

create or replace function recipient_set_may_reply(
  p_organization_id uuid, p_recipient_id uuid, p_may_reply boolean, p_actor text
) returns jsonb
language plpgsql as $$
declare
  r recipients;
begin
  update recipients set may_reply = p_may_reply
   where id = p_recipient_id and organization_id = p_organization_id
  returning * into r;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'recipient.may_reply', r.id::text, jsonb_build_object('mayReply', p_may_reply));
  return jsonb_build_object('id', r.id, 'mayReply', recipient_may_reply(r));
end
$$;

-- The reply flow from WhatsApp: an alert's "Répondre" → a draft (a template, or the recipient's
-- text) → "Envoyer" queues exactly one reply.send job → the provider sends in the thread → the
-- draft records the outcome, the text is dropped, the audit log keeps who sent what to whom.
create or replace function reply_draft_to_json(d reply_drafts) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', d.id, 'organizationId', d.organization_id, 'messageId', d.message_id,
    'recipientId', d.recipient_id, 'origin', d.origin, 'templateId', d.template_id,
    'bodySealed', d.body_sealed, 'bodySha256', d.body_sha256, 'toAddress', d.to_address, 'toName', d.to_name,
    'status', d.status, 'promptAlertId', d.prompt_alert_id, 'decidedBy', d.decided_by,
    'providerMessageId', d.provider_message_id, 'error', d.error, 'sentAt', d.sent_at,
    'expiresAt', d.expires_at, 'createdAt', d.created_at)
$$;

/*
 * What "Répondre" on an alert needs: the alert's email and mailbox, which of the tapping number's
 * recipient rows belongs to the alert's organization (and whether it may reply), and the
 * organization's approved templates. Null when the alert is not one of theirs.
 */
create or replace function reply_target(p_alert_id uuid, p_recipient_ids uuid[]) returns jsonb
language sql stable as $$
  select jsonb_build_object(
      'alertId', a.id,
      'recipient', recipient_to_json(r),
      'mayReply', recipient_may_reply(r),
      'message', message_to_json(m),
      'mailbox', jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address, 'status', mb.status),
      'templates', coalesce((select jsonb_agg(reply_template_to_json(t) order by t.locale, t.position, t.created_at)
                               from reply_templates t
                              where t.organization_id = a.organization_id and t.approved), '[]'))
    from alerts a
    join messages m on m.id = a.message_id
    join mailboxes mb on mb.id = m.mailbox_id
    join recipients r on r.organization_id = a.organization_id and r.id = any(p_recipient_ids)
   where a.id = p_alert_id
   order by (r.id = a.recipient_id) desc
   limit 1
$$;

/*
 * Opens a draft (a template's text, or an empty one waiting for the recipient's text). One per
 * inbound message: a redelivered tap returns the draft it opened. Opening one cancels the
 * recipient's older drafts still waiting for text, so the next text has one place to go.
 */
create or replace function reply_draft_open(p_draft jsonb) returns jsonb
language plpgsql as $$
declare
  d reply_drafts;
  r recipients;
begin
  select * into d from reply_drafts where inbound_wamid = p_draft->>'inboundWamid';
  if found then
    return reply_draft_to_json(d);
  end if;
  select * into r from recipients where id = (p_draft->>'recipientId')::uuid;
  if not found or not recipient_may_reply(r) then
    raise exception 'recipient may not reply' using errcode = 'PT403';
  end if;
  update reply_drafts set status = 'cancelled', body_sealed = null, updated_at = now()
   where recipient_id = r.id and status in ('composing', 'awaiting');
  insert into reply_drafts (organization_id, message_id, recipient_id, origin, inbound_wamid, template_id,
                            body_sealed, body_sha256, to_address, to_name, status, expires_at)
  values (r.organization_id, (p_draft->>'messageId')::uuid, r.id, 'whatsapp', p_draft->>'inboundWamid',
          (p_draft->>'templateId')::uuid, p_draft->>'bodySealed', p_draft->>'bodySha256',
          p_draft->>'toAddress', left(p_draft->>'toName', 200),
          coalesce(p_draft->>'status', 'awaiting'), (p_draft->>'expiresAt')::timestamptz)
  returning * into d;
  return reply_draft_to_json(d);
end
$$;

/* The WhatsApp message that showed the draft: a text sent in reply to it fills or replaces the draft. */
create or replace function reply_draft_prompt(p_draft_id uuid, p_alert_id uuid) returns jsonb
language sql as $$
  update reply_drafts set prompt_alert_id = p_alert_id, updated_at = now() where id = p_draft_id
  returning jsonb_build_object('id', id)
$$;

/*
 * Where a text from these recipients goes: quoted on an alert → that alert; quoted on a draft's
 * prompt → that draft; otherwise the latest draft still waiting for text. Null: not a reply.
 */
create or replace function reply_find_for_text(p_context_wamid text, p_recipient_ids uuid[], p_now timestamptz)
returns jsonb
language plpgsql stable as $$
declare
  v_alert alerts;
  v_draft reply_drafts;
begin
  if p_context_wamid is not null then
    select * into v_alert from alerts where provider_message_id = p_context_wamid and recipient_id = any(p_recipient_ids);
    if found and v_alert.kind in ('alert', 'escalation', 'reminder') and v_alert.message_id is not null then
      return jsonb_build_object('kind', 'alert', 'alertId', v_alert.id);
    end if;
    if found then
      select * into v_draft from reply_drafts
       where prompt_alert_id = v_alert.id and status in ('composing', 'awaiting') and expires_at > p_now;
      if found then
        return jsonb_build_object('kind', 'draft', 'draftId', v_draft.id);
      end if;
    end if;
  end if;
  select * into v_draft from reply_drafts
   where recipient_id = any(p_recipient_ids) and status = 'composing' and expires_at > p_now
   order by created_at desc limit 1;
  if found then
    return jsonb_build_object('kind', 'draft', 'draftId', v_draft.id);
  end if;
  return null;
end
$$;

/* The recipient's text into a draft waiting for it (or replacing the one shown): awaiting confirmation again. */
create or replace function reply_draft_fill(
  p_draft_id uuid, p_body_sealed text, p_body_sha256 text, p_expires_at timestamptz
) returns jsonb
language sql as $$
  update reply_drafts set body_sealed = p_body_sealed, body_sha256 = p_body_sha256, template_id = null,
         status = 'awaiting', expires_at = p_expires_at, updated_at = now()
   where id = p_draft_id and status in ('composing', 'awaiting')
  returning reply_draft_to_json(reply_drafts)
$$;

/*
 * "Envoyer" or "Annuler" on a draft, by one of the tapping number's recipient rows. Only the draft's
 * own recipient decides; a draft decides once. "Envoyer" queues the reply.send job in the same
 * transaction, so two deliveries of the same tap (or two taps) queue one send. Outcomes:
 * queued, cancelled, already_sent, already_sending, already_cancelled, expired, handled (the email
 * was handled meanwhile: nothing sent), forbidden (the permission was withdrawn), no_text, not_found
 * (no such draft for them: the email was deleted, which deletes its drafts).
 */
create or replace function reply_draft_decide(
  p_draft_id uuid, p_recipient_ids uuid[], p_decision text, p_job jsonb, p_now timestamptz
) returns jsonb
language plpgsql as $$
declare
  d reply_drafts;
  m messages;
  r recipients;
  v_actor text;
begin
  select * into d from reply_drafts where id = p_draft_id and recipient_id = any(p_recipient_ids) for update;
  if not found then
    return jsonb_build_object('outcome', 'not_found');
  end if;
  select * into r from recipients where id = d.recipient_id;
  select * into m from messages where id = d.message_id;
  v_actor := 'whatsapp:' || r.id;
  if d.status = 'sent' then
    return jsonb_build_object('outcome', 'already_sent', 'draft', reply_draft_to_json(d));
  elsif d.status = 'sending' then
    return jsonb_build_object('outcome', 'already_sending', 'draft', reply_draft_to_json(d));
  elsif d.status in ('cancelled', 'failed') then
    return jsonb_build_object('outcome', 'already_cancelled', 'draft', reply_draft_to_json(d));
  elsif d.status = 'expired' or d.expires_at <= p_now then
    update reply_drafts set status = 'expired', body_sealed = null, updated_at = now() where id = d.id returning * into d;
    return jsonb_build_object('outcome', 'expired', 'draft', reply_draft_to_json(d));
  end if;
  if p_decision = 'cancel' then
    update reply_drafts set status = 'cancelled', body_sealed = null, decided_by = v_actor, updated_at = now()
     where id = d.id returning * into d;
    return jsonb_build_object('outcome', 'cancelled', 'draft', reply_draft_to_json(d));
  end if;
  if d.status = 'composing' or d.body_sealed is null then
    return jsonb_build_object('outcome', 'no_text', 'draft', reply_draft_to_json(d));
  end if;
  if m.handled_at is not null then
    update reply_drafts set status = 'cancelled', body_sealed = null, updated_at = now() where id = d.id returning * into d;
    return jsonb_build_object('outcome', 'handled', 'handledAt', m.handled_at, 'draft', reply_draft_to_json(d));
  end if;
  if not recipient_may_reply(r) then
    update reply_drafts set status = 'cancelled', body_sealed = null, updated_at = now() where id = d.id returning * into d;
    return jsonb_build_object('outcome', 'forbidden', 'draft', reply_draft_to_json(d));
  end if;
  update reply_drafts set status = 'sending', decided_by = v_actor, updated_at = now() where id = d.id returning * into d;
  perform job_enqueue_spec(p_job);
  insert into audit_log (organization_id, actor, action, target, details)
  values (d.organization_id, v_actor, 'reply.confirmed', d.id::text, jsonb_build_object('messageId', d.message_id));
  return jsonb_build_object('outcome', 'queued', 'draft', reply_draft_to_json(d));
end
$$;

/* What reply.send needs: the draft, its email and mailbox, and who confirmed. */
create or replace function reply_send_context(p_draft_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('draft', reply_draft_to_json(d), 'message', message_to_json(m),
           'mailbox', jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address, 'status', mb.status),
           'recipient', case when r.id is null then null else recipient_to_json(r) end)
    from reply_drafts d
    join messages m on m.id = d.message_id
    join mailboxes mb on mb.id = m.mailbox_id
    left join recipients r on r.id = d.recipient_id
   where d.id = p_draft_id
$$;

/*
 * The outcome of a send. Sent: the text is dropped, and the audit log records who sent it, to
 * whom, and the template or the text's hash. A reply confirmed on WhatsApp handles the email
 * (answering it is handling it); an automatic reply does not: it is an acknowledgement ("je vous
 * rappelle dans l'heure"), not the answer, so the alert must still go out (saying, in its 🤖 line,
 * that the acknowledgement went) and the email stays to be dealt with.
 */
create or replace function reply_draft_finish(
  p_draft_id uuid, p_status text, p_provider_message_id text, p_error text
) returns jsonb
language plpgsql as $$
declare
  d reply_drafts;
begin
  update reply_drafts set status = p_status, body_sealed = null, provider_message_id = p_provider_message_id,
         error = left(p_error, 500), sent_at = case when p_status = 'sent' then now() end, updated_at = now()
   where id = p_draft_id and status = 'sending'
  returning * into d;
  if not found then
    select * into d from reply_drafts where id = p_draft_id;
    return jsonb_build_object('changed', false, 'draft', case when d.id is null then null else reply_draft_to_json(d) end);
  end if;
  if p_status = 'sent' and d.origin <> 'auto' then
    update messages set handled_at = coalesce(handled_at, now()) where id = d.message_id;
    update alerts set handled_at = coalesce(handled_at, now()) where message_id = d.message_id;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (d.organization_id, coalesce(d.decided_by, d.origin), 'reply.' || p_status, d.message_id::text,
          jsonb_build_object('draftId', d.id, 'to', d.to_address, 'templateId', d.template_id,
                             'bodySha256', d.body_sha256, 'origin', d.origin));
  return jsonb_build_object('changed', true, 'draft', reply_draft_to_json(d));
end
$$;

/* The email page's history of replies (never their text). */
create or replace function message_replies(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'status', d.status, 'origin', d.origin,
                                               'templateTitle', t.title, 'toAddress', d.to_address,
                                               'recipientName', r.name, 'sentAt', d.sent_at,
                                               'error', d.error, 'createdAt', d.created_at)
                            order by d.created_at), '[]')
    from reply_drafts d
    left join reply_templates t on t.id = d.template_id
    left join recipients r on r.id = d.recipient_id
   where d.message_id = p_message_id and d.organization_id = p_organization_id
     and d.status in ('sending', 'sent', 'failed')
$$;

create or replace function auto_reply_rule_to_json(r auto_reply_rules) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', r.id, 'templateId', r.template_id, 'enabled', r.enabled,
    'senderPattern', r.sender_pattern, 'vipOnly', r.vip_only, 'category', r.category,
    'minPriority', r.min_priority, 'hours', r.hours, 'workStartMinute', r.work_start_minute,
    'workEndMinute', r.work_end_minute, 'createdAt', r.created_at)
$$;

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
 * What the router decides from (lib/pipeline/route.ts), declared here after every table it reads:
 * the analysed message as stored, its organization and recipients; the organization's live CRM
 * connection (and from which priority it logs) and what the analysis found the sender to be in it
 * (messages.signals->'crm'); and what the automatic-reply consumer decides from: the organization's
 * enabled rules whose template is approved, its time zone, and the stored signals (null when there
 * is no such rule: most organizations pay nothing for the feature).
 */
create or replace function message_routing_context(p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'organization', organization_to_json(o),
    'recipients', coalesce((select jsonb_agg(recipient_to_json(r) order by r.created_at)
                              from recipients r where r.organization_id = m.organization_id), '[]'),
    'crm', (select jsonb_build_object('connectionId', c.id, 'provider', c.provider,
                                      'logMinPriority', o.crm_log_min_priority, 'sender', m.signals->>'crm')
              from crm_connections c
             where c.organization_id = m.organization_id and c.status = 'active'),
    'autoReply', (select jsonb_build_object(
                           'timezone', o.timezone,
                           'signals', m.signals,
                           'rules', jsonb_agg(auto_reply_rule_to_json(r) order by r.created_at))
                    from auto_reply_rules r
                    join reply_templates t on t.id = r.template_id and t.approved
                   where r.organization_id = m.organization_id and r.enabled
                  having count(*) > 0))
    from messages m join organizations o on o.id = m.organization_id
   where m.id = p_message_id
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
