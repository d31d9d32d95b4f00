-- CPU per email (issue 14 item 2), database side. Over the bench's zero-latency run on PostgreSQL
-- (pg_stat_user_functions, track_functions = all), the reads each email's jobs make cost the server
-- more than their queries need:
-- - relationship_lookup's `card` CTE was referenced once, so PostgreSQL inlined it and evaluated
--   crm_contact_card for every use of card.j: 2.99 calls per email where one is meant, and
--   relationship_lookup with it 10.3 of the server's ~26 ms per email. `materialized` evaluates it
--   once;
-- - these were LANGUAGE sql functions that PostgreSQL does not inline (a jsonb built from joins), so
--   their query was planned again on every call. As plpgsql, each statement's plan is kept for the
--   session (the pool's connections live across jobs).
-- The bodies are the current definitions (supabase/schema.sql), each returned from a subquery: every
-- one reads at most one row (a primary key, or a select without FROM), and crm_contact_card keeps
-- the first row it answered before. Same results.
create or replace function crm_contact_card(p_organization_id uuid, p_address_hash text)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      with conn as (
        select * from crm_connections
         where organization_id = p_organization_id and status <> 'disconnected'
      ), contact as (
        select c.* from crm_contacts c
          join crm_contact_keys k on k.connection_id = c.connection_id and k.remote_id = c.remote_id
          join conn on conn.id = c.connection_id
         where k.kind = 'address' and k.hash = p_address_hash and coalesce(c.lifecycle, '') <> 'subscriber'
         order by c.remote_id limit 1
      ), deal as (
        select d.* from crm_deals d, contact c
         where d.connection_id = c.connection_id
           and (c.remote_id = any (d.contact_ids) or (c.company_id is not null and d.company_id = c.company_id))
         order by d.amount_xof desc nulls last, d.remote_id limit 1
      )
      select jsonb_build_object(
        'connectionId', conn.id, 'provider', conn.provider, 'webBase', conn.web_base,
        'contactId', c.remote_id, 'companyId', c.company_id, 'companyName', c.company_name,
        'lifecycle', c.lifecycle, 'ownerId', c.owner_id,
        'ownerName', (select o.name from crm_owners o where o.connection_id = c.connection_id and o.remote_id = c.owner_id),
        'deal', (select jsonb_build_object('id', d.remote_id, 'name', d.name, 'amount', d.amount,
                                           'currency', d.currency, 'amountXof', d.amount_xof, 'stage', d.stage,
                                           'closeDate', d.close_date, 'ownerId', d.owner_id) from deal d),
        'keyClientXof', (select crm_key_client_xof from organizations where id = p_organization_id))
        from contact c, conn
       -- A LANGUAGE sql function answered its first row; a plpgsql subquery must have at most one.
       limit 1
  );
end
$$;

create or replace function relationship_lookup(p_mailbox_id uuid, p_query jsonb)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      with q as (
        select p_query->>'address' as address, p_query->>'domain' as domain, p_query->>'skeleton' as skeleton,
               array(select jsonb_array_elements_text(coalesce(p_query->'threads', '[]'))) as threads,
               array(select jsonb_array_elements_text(coalesce(p_query->'lookalikes', '[]'))) as lookalikes
      ), mb as (
        select organization_id, relationship_state from mailboxes where id = p_mailbox_id
      ), a as (
        select e.sent_count, e.last_sent_at, e.trusted from relationship_entries e, q
         where e.mailbox_id = p_mailbox_id and e.kind = 'address' and e.hash = q.address
      ), d as (
        select e.sent_count from relationship_entries e, q
         where e.mailbox_id = p_mailbox_id and e.kind = 'domain' and e.hash = q.domain
      ), card as materialized (
        select crm_contact_card(mb.organization_id, q.address) as j from mb, q
      )
      select jsonb_build_object(
        'addressSent', coalesce((select sent_count from a), 0),
        'lastSentAt', (select last_sent_at from a),
        'domainSent', coalesce((select sent_count from d), 0),
        'thread', exists (select 1 from relationship_entries e, q
                           where e.mailbox_id = p_mailbox_id and e.kind = 'message-id' and e.hash = any (q.threads)),
        'lookalike', coalesce((select sent_count from d), 0) = 0 and (
            exists (select 1 from relationship_entries e, q
                     where e.mailbox_id = p_mailbox_id and e.kind = 'domain' and e.hash = any (q.lookalikes)
                       and e.sent_count > 0)
         or exists (select 1 from relationship_entries e, q
                     where e.mailbox_id = p_mailbox_id and e.kind = 'skeleton' and e.hash = q.skeleton
                       and e.sent_count > 0)),
        'trustedByCorrection', coalesce((select trusted from a), false),
        -- How far the Sent-folder reading is: a young mailbox's analyses wait for it (message.analyze).
        'storeState', mb.relationship_state,
        'crmContact', card.j is not null,
        'crmDomain', exists (select 1 from crm_contact_keys k join crm_connections c on c.id = k.connection_id, q
                              where c.organization_id = mb.organization_id and c.status <> 'disconnected'
                                and k.kind = 'domain' and k.hash = q.domain),
        'crmOpenDealXof', coalesce((card.j->'deal'->>'amountXof')::bigint, 0),
        'crmKeyClient', card.j is not null and card.j->'deal' <> 'null'::jsonb
                        and coalesce((card.j->'deal'->>'amountXof')::bigint, 0) >= (card.j->>'keyClientXof')::bigint
                        and (card.j->>'keyClientXof')::bigint > 0)
        from mb, card
  );
end
$$;

create or replace function message_context(p_message_id uuid, p_window_seconds integer DEFAULT 60)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      select jsonb_build_object(
        'message', message_to_json(m),
        'mailbox', mailbox_to_json(mb),
        'tokens', mailbox_token_get(mb.id),
        'organization', organization_to_json(o),
        'senderRules', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind))
                                   from sender_rules r where r.organization_id = m.organization_id), '[]'),
        'labels', coalesce((select jsonb_object_agg(l.name, l.label_id)
                              from mailbox_labels l where l.mailbox_id = mb.id), '{}'),
        'syncState', mailbox_sync_state_peek(mb.id, p_window_seconds))
        from messages m
        join mailboxes mb on mb.id = m.mailbox_id
        join organizations o on o.id = m.organization_id
       where m.id = p_message_id
  );
end
$$;

create or replace function message_routing_context(p_message_id uuid)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
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
  );
end
$$;

create or replace function alert_send_context(p_alert_id uuid)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      select jsonb_build_object(
          'alert', alert_to_json(a), 'recipient', recipient_to_json(r),
          'message', case when m.id is null then null else message_to_json(m) end,
          'mailbox', case when mb.id is null then null
                          else jsonb_build_object('id', mb.id, 'provider', mb.provider, 'address', mb.address) end,
          'send', jsonb_build_object(
            'organizationId', a.organization_id,
            'dedupeKey', a.dedupe_key,
            'forceTemplate', a.force_template,
            'rendered', a.rendered,
            'escalatedFrom', original.name,
            'escalatedSince', original.sent_at),
          'crm', case when m.signals->>'crm' = 'key_client'
                      then jsonb_build_object('keyClientDealXof', (m.signals->>'crmDealXof')::bigint) end)
        from alerts a
        join recipients r on r.id = a.recipient_id
        left join messages m on m.id = a.message_id
        left join mailboxes mb on mb.id = m.mailbox_id
        left join lateral (
          select r2.name, o.sent_at from alerts o join recipients r2 on r2.id = o.recipient_id
           where a.kind = 'escalation' and o.message_id = a.message_id and o.kind = 'alert'
             and o.recipient_id <> a.recipient_id
           order by (o.read_at is null) desc, o.sent_at nulls last
           limit 1) original on true
       where a.id = p_alert_id
  );
end
$$;

create or replace function mailbox_sync_context(p_mailbox_id uuid, p_window_seconds integer DEFAULT 60)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      select jsonb_build_object(
        'mailbox', mailbox_to_json(m),
        'tokens', mailbox_token_get(m.id),
        'syncState', mailbox_sync_state_peek(m.id, p_window_seconds))
        from mailboxes m where m.id = p_mailbox_id
  );
end
$$;

create or replace function mailbox_sync_state_peek(p_mailbox_id uuid, p_window_seconds integer)
returns jsonb
language plpgsql
stable
as $$
begin
  return (
      select coalesce(
        (select mailbox_sync_state_to_json(s, p_window_seconds) from mailbox_sync_state s where s.mailbox_id = p_mailbox_id),
        jsonb_build_object('windowStartedAt', now(), 'windowEndsAt', now() + make_interval(secs => p_window_seconds),
                           'unitsUsed', 0, 'throttledUntil', null, 'catchUp', null))
  );
end
$$;

select app_lockdown();
