-- When an email is answered (by a recipient from WhatsApp, or by an automatic rule), the other
-- recipients its alert already reached are told (issue 17): who they are, in their own language.
-- And an automatic reply no longer marks the email handled (reply_draft_finish).

/*
 * The opted-in WhatsApp recipients an alert, escalation or reminder about this email has reached
 * (sent, delivered or read). One not reached yet needs no notice: its alert is rendered when it
 * is sent, and by then says what was done.
 */
create or replace function message_alerted_recipients(p_message_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(recipient_to_json(r) order by r.created_at), '[]')
    from recipients r
   where r.status = 'opted_in' and r.channel = 'whatsapp'
     and exists (select 1 from alerts a
                  where a.message_id = p_message_id and a.recipient_id = r.id
                    and a.kind in ('alert', 'escalation', 'reminder')
                    and a.status in ('sent', 'delivered', 'read'))
$$;

/*
 * Redeclared from 20261202800100_reply_drafts.sql, one change: an automatic reply does not mark
 * the email handled. It is an acknowledgement ("je vous rappelle dans l'heure"), not the answer:
 * the alert must still go out (saying, in its 🤖 line, that the acknowledgement went), and the
 * email stays to be dealt with. A reply confirmed on WhatsApp still handles it.
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

select app_lockdown();
