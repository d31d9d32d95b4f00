-- What the web app reads across domains: the dashboard's email list and page, the stats page's
-- figures and charts.

/*
 * The dashboard list, newest first, keyset-paginated on (received_at, id), always scoped to the
 * caller's organization. Alerts per recipient come along for the status chips.
 */
create or replace function message_list(
  p_organization_id uuid,
  p_priority text default null,
  p_status text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_query text default null,
  p_limit integer default 25,
  p_before_received timestamptz default null,
  p_before_id uuid default null
) returns jsonb
language sql stable as $$
  with page as (
    select m.* from messages m
     where m.organization_id = p_organization_id
       and (p_priority is null or m.priority = p_priority)
       and (p_status is null
            or (p_status = 'handled' and m.handled_at is not null)
            or (p_status = 'open' and m.handled_at is null and m.status = 'analyzed')
            or (p_status = 'pending' and m.status = 'pending')
            or (p_status = 'failed' and m.status = 'failed'))
       and (p_from is null or coalesce(m.received_at, m.created_at) >= p_from)
       and (p_to is null or coalesce(m.received_at, m.created_at) < p_to)
       and (p_query is null or m.subject ilike '%' || p_query || '%' or m.from_address ilike '%' || p_query || '%'
            or m.from_name ilike '%' || p_query || '%')
       and (p_before_received is null
            or (coalesce(m.received_at, m.created_at), m.id) < (p_before_received, p_before_id))
     order by coalesce(m.received_at, m.created_at) desc, m.id desc
     limit least(greatest(p_limit, 1), 100)
  )
  select coalesce(jsonb_agg(message_to_json(p) || jsonb_build_object(
           'sortKey', coalesce(p.received_at, p.created_at),
           'alerts', coalesce((select jsonb_agg(alert_to_json(a) - 'rendered' || jsonb_build_object('recipientName', r.name)
                                                order by a.created_at)
                                 from alerts a join recipients r on r.id = a.recipient_id
                                where a.message_id = p.id), '[]'))
         order by coalesce(p.received_at, p.created_at) desc, p.id desc), '[]')
    from page p
$$;

create or replace function message_get(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select message_to_json(m) || jsonb_build_object(
      'mailbox', jsonb_build_object('provider', mb.provider, 'address', mb.address),
      'alerts', coalesce((select jsonb_agg(alert_to_json(a) || jsonb_build_object('recipientName', r.name)
                                           order by a.created_at)
                            from alerts a join recipients r on r.id = a.recipient_id
                           where a.message_id = m.id), '[]'))
    from messages m join mailboxes mb on mb.id = m.mailbox_id
   where m.id = p_message_id and m.organization_id = p_organization_id
$$;

/*
 * The opted-in WhatsApp recipients an alert, escalation or reminder about this email has reached
 * (sent, delivered or read): when the email is answered (by a recipient from WhatsApp, or by an
 * automatic rule), they are told, each in their own language. One not reached yet needs no notice: its alert is rendered when it
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

-- The stats page's charts: one row per day of the period, in the organization's time zone, and the
-- arrival → delivery percentiles (the page sums the days for its summary figures).
--  * emails per day by priority: analysed emails, by the day they were analysed (an email's own date
--    can be anything: the samples loaded in local mode are dated months ago);
--  * alerts (kind 'alert') by the day they were created: sent; delivered (the provider said so, or,
--    in local mode, written to the outbox, which stands for the phone); read — a read receipt, or
--    the recipient acted on it: the email handled, "Rappel 1 h" pressed on that alert (its audit
--    row), or a reply drafted by that recipient for that email;
--  * LLM tokens and the emails decided without a model, per day;
--  * dead jobs of the organization (jobs.organization_id, set when a job dies: 20261204101000_problems.sql).
create or replace function stats_daily(p_organization_id uuid, p_days integer) returns jsonb
language sql stable as $$
  with org as (
    select timezone as tz from organizations where id = p_organization_id
  ), span as (
    select (now() at time zone org.tz)::date - (least(greatest(p_days, 1), 366) - 1) as first_day,
           (now() at time zone org.tz)::date as last_day, org.tz
      from org
  ), starts as (
    select first_day, last_day, tz, (first_day::timestamp at time zone tz) as since from span
  ), msgs as (
    select (m.analyzed_at at time zone s.tz)::date as day, m.priority, m.analyzer,
           coalesce(m.llm_input_tokens, 0) as input_tokens, coalesce(m.llm_output_tokens, 0) as output_tokens
      from messages m, starts s
     where m.organization_id = p_organization_id and m.status = 'analyzed'
       and m.analyzed_at >= s.since
  ), al as (
    select (a.created_at at time zone s.tz)::date as day, a.sent_at,
           coalesce(a.delivered_at, case when a.delivery = 'outbox' then a.sent_at end) as on_phone_at,
           a.read_at is not null or a.handled_at is not null
             or exists (select 1 from audit_log l where l.organization_id = p_organization_id
                          and l.target = a.id::text and l.action = 'alert.snoozed')
             or exists (select 1 from reply_drafts d where d.organization_id = p_organization_id
                          and d.message_id = a.message_id and d.recipient_id = a.recipient_id) as acted,
           m.received_at
      from alerts a join messages m on m.id = a.message_id, starts s
     where a.organization_id = p_organization_id and a.kind = 'alert' and a.created_at >= s.since
  ), dead as (
    select (j.updated_at at time zone s.tz)::date as day
      from jobs j, starts s
     where j.status = 'dead' and j.organization_id = p_organization_id and j.updated_at >= s.since
  ), days as (
    select d::date as day from starts s, generate_series(s.first_day, s.last_day, interval '1 day') d
  ), latency as (
    select extract(epoch from (on_phone_at - received_at)) as seconds
      from al where on_phone_at is not null and received_at is not null and on_phone_at >= received_at
  )
  select jsonb_build_object(
    'timeZone', (select tz from org),
    'days', coalesce((select jsonb_agg(jsonb_build_object(
        'day', to_char(d.day, 'YYYY-MM-DD'),
        'critical', (select count(*) from msgs where msgs.day = d.day and priority = 'critical'),
        'important', (select count(*) from msgs where msgs.day = d.day and priority = 'important'),
        'informational', (select count(*) from msgs where msgs.day = d.day and priority = 'informational'),
        'spam', (select count(*) from msgs where msgs.day = d.day and priority = 'spam'),
        'withoutLlm', (select count(*) from msgs where msgs.day = d.day and analyzer in ('prefilter', 'fallback')),
        'llmInputTokens', (select coalesce(sum(input_tokens), 0) from msgs where msgs.day = d.day),
        'llmOutputTokens', (select coalesce(sum(output_tokens), 0) from msgs where msgs.day = d.day),
        'alertsSent', (select count(*) from al where al.day = d.day and sent_at is not null),
        'alertsDelivered', (select count(*) from al where al.day = d.day and on_phone_at is not null),
        'alertsRead', (select count(*) from al where al.day = d.day and acted),
        'deadJobs', (select count(*) from dead where dead.day = d.day)
      ) order by d.day) from days d), '[]'),
    'medianSecondsToDelivered', (select percentile_cont(0.5) within group (order by seconds) from latency),
    'p90SecondsToDelivered', (select percentile_cont(0.9) within group (order by seconds) from latency))
$$;
