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
 * The outcome of a send. Sent: the email is handled (answering it is handling it), the text is
 * dropped, and the audit log records who sent it, to whom, and the template or the text's hash.
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
  if p_status = 'sent' then
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

select app_lockdown();
