-- Who handled an email (issue 15): a second recipient pressing « Traité » is told « déjà traité par
-- Awa à 10:42 ». The first handler is kept on the email itself (the audit log records every press;
-- it is a record, not the email's state). Set once, by whoever handled it first: the « Traité »
-- button or the web app (message_mark_handled), or a reply confirmed on WhatsApp (reply_draft_finish).

alter table messages add column if not exists handled_by text;

-- Emails handled before this migration: their first handling in the audit log.
update messages m
   set handled_by = (select a.actor from audit_log a
                      where a.organization_id = m.organization_id and a.target = m.id::text
                        and a.action in ('message.handled', 'reply.sent')
                      order by a.id limit 1)
 where m.handled_at is not null and m.handled_by is null;

/* Redeclared from 20261123200100_messages.sql, one change: the first handler is kept (handled_by). */
create or replace function message_mark_handled(p_organization_id uuid, p_message_id uuid, p_actor text)
returns jsonb
language plpgsql as $$
declare
  m messages;
begin
  update messages set handled_by = case when handled_at is null then p_actor else handled_by end,
                      handled_at = coalesce(handled_at, now())
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

/* Redeclared from 20261203300100_reply_told.sql, one change: a confirmed reply's sender is the handler. */
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
    update messages set handled_by = case when handled_at is null then d.decided_by else handled_by end,
                        handled_at = coalesce(handled_at, now())
     where id = d.message_id;
    update alerts set handled_at = coalesce(handled_at, now()) where message_id = d.message_id;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (d.organization_id, coalesce(d.decided_by, d.origin), 'reply.' || p_status, d.message_id::text,
          jsonb_build_object('draftId', d.id, 'to', d.to_address, 'templateId', d.template_id,
                             'bodySha256', d.body_sha256, 'origin', d.origin));
  return jsonb_build_object('changed', true, 'draft', reply_draft_to_json(d));
end
$$;

-- When and by whom an email of the organization was handled, with the handler's name (a user's
-- name or address, or the recipient's name) and the organization's time zone; null while open.
create or replace function message_handler(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('handledAt', m.handled_at, 'actor', m.handled_by,
                            'name', coalesce(u.name, u.email, r.name), 'timezone', o.timezone)
    from messages m
    join organizations o on o.id = m.organization_id
    left join users u on m.handled_by like 'user:%' and u.id = as_uuid(substr(m.handled_by, 6))
                     and u.organization_id = m.organization_id
    left join recipients r on m.handled_by ~ '^(whatsapp|email):'
                          and r.id = as_uuid(split_part(m.handled_by, ':', 2))
                          and r.organization_id = m.organization_id
   where m.id = p_message_id and m.organization_id = p_organization_id and m.handled_at is not null
$$;

select app_lockdown();
