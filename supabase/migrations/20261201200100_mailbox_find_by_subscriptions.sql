-- The mailboxes of a batch of Graph subscription ids in one query: a notification POST with many
-- items (or many forged ids) costs one round trip, not one per item. Unknown ids are simply absent.
create or replace function mailbox_find_by_subscriptions(p_subscription_ids text[]) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m)), '[]')
    from mailboxes m
   where m.subscription_id = any(p_subscription_ids[1:1000]) and m.status <> 'disconnected'
$$;

select app_lockdown();
