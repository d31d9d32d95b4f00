-- WhatsApp pipeline: what alert.send needs beyond alert_context, and re-opening a send that Meta
-- failed after accepting it (window closed → resend as the template; rate limit → resend later).

/*
 * alert_context plus the send-only fields: the dedupe key (replies are `reply:<wamid>`), whether
 * the template is forced (a 131047 status), the rendered message as queued (digests, notices and
 * replies carry their own text and template parameters) and, for an escalation, the name of the
 * recipient who left the original unread.
 */
create or replace function alert_send_context(p_alert_id uuid) returns jsonb
language sql stable as $$
  select alert_context(a.id) || jsonb_build_object('send', jsonb_build_object(
      'organizationId', a.organization_id,
      'dedupeKey', a.dedupe_key,
      'forceTemplate', a.force_template,
      'rendered', a.rendered,
      'escalatedFrom', case when a.kind = 'escalation' then (
          select r.name from alerts o join recipients r on r.id = o.recipient_id
           where o.message_id = a.message_id and o.kind = 'alert' and o.recipient_id <> a.recipient_id
           order by (o.read_at is null) desc, o.sent_at nulls last
           limit 1) end))
    from alerts a
   where a.id = p_alert_id
$$;

/*
 * A `failed` status webhook for a message Meta had accepted. 131047 (window closed): resend as the
 * approved template, once. Rate limits: resend at p_run_at. Bounded by the alert's attempts so a
 * vendor that keeps failing cannot loop. The send job is re-armed in the same transaction.
 */
create or replace function alert_reopen(
  p_alert_id uuid,
  p_force_template boolean,
  p_run_at timestamptz default null,
  p_max_attempts integer default 5
) returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  update alerts set status = 'pending', wa_message_id = null, failed_at = null, hold_until = p_run_at,
         force_template = force_template or p_force_template
   where id = p_alert_id and status = 'failed' and attempts < p_max_attempts
     and (not p_force_template or not force_template)
  returning * into a;
  if not found then
    return jsonb_build_object('reopened', false);
  end if;
  perform job_enqueue('alert.send', 'alert:' || a.id, jsonb_build_object('alertId', a.id), p_run_at, 8, true);
  insert into audit_log (organization_id, actor, action, target, details)
  values (a.organization_id, 'whatsapp', 'alert.resend', a.id::text,
          jsonb_build_object('forceTemplate', p_force_template, 'code', a.error_code));
  return jsonb_build_object('reopened', true, 'alert', alert_to_json(a));
end
$$;

select app_lockdown();
