-- The daily digest lists what is worth a glance (issue 15): « Promotions » — a known sender's
-- mass-mailed offers, informational since 20261204400100 — are counted with the informational
-- mail but not listed among its items, which they would otherwise fill.

/* Redeclared from the current definition (supabase/schema.sql), one change: no promotion among the items. */
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
              and m.priority = 'informational' and m.category is distinct from 'promotion'
             order by m.received_at desc limit 10) x), '[]'),
    'awaitingSignature', (select count(*)
      from messages m cross join lateral jsonb_array_elements(coalesce(m.attachments, '[]'::jsonb)) a
     where m.organization_id = r.organization_id and m.status = 'analyzed' and m.handled_at is null
       and m.analyzed_at >= p_since - interval '6 days'
       and a->>'status' = 'read' and a->'findings'->>'needsSignature' = 'true'))
    from recipients r where r.id = p_recipient_id
$$;

select app_lockdown();
