-- Outbox paging (issue 15): the local outbox no longer stops at its last 50 messages. One page of
-- it, newest first, for the whole organization or one recipient's conversation, continued from a
-- (time, id) cursor; and the conversations, the most recent first. The cursor is the timestamp's
-- full text (microseconds): a JavaScript Date would round it and skip or repeat a message.

create or replace function alert_outbox_page(
  p_organization_id uuid,
  p_recipient_id uuid default null,
  p_before_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 20
) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(alert_to_json(p.a) || jsonb_build_object('recipientName', r.name,
                              'phone', r.phone_e164, 'address', r.address, 'pageAt', p.page_at)
                            order by p.page_at desc, (p.a).id desc), '[]')
    from (select a, coalesce(a.sent_at, a.created_at) as page_at
            from alerts a
           where a.organization_id = p_organization_id and a.delivery = 'outbox'
             and (p_recipient_id is null or a.recipient_id = p_recipient_id)
             and (p_before_at is null
                  or (coalesce(a.sent_at, a.created_at), a.id) < (p_before_at, p_before_id))
           order by coalesce(a.sent_at, a.created_at) desc, a.id desc
           limit least(greatest(p_limit, 1), 200)) p
    join recipients r on r.id = (p.a).recipient_id
$$;

create or replace function alert_outbox_conversations(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('recipientId', c.recipient_id, 'name', r.name,
                              'messages', c.messages, 'lastAt', c.last_at)
                            order by c.last_at desc, r.name), '[]')
    from (select recipient_id, count(*)::int as messages, max(coalesce(sent_at, created_at)) as last_at
            from alerts
           where organization_id = p_organization_id and delivery = 'outbox'
           group by recipient_id) c
    join recipients r on r.id = c.recipient_id and r.organization_id = p_organization_id
$$;

select app_lockdown();
