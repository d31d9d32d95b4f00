-- The stats page's charts (issue 15): one row per day of the period, in the organization's time
-- zone, and the arrival → delivery percentiles. stats_get stays as it was (the summary figures).
--  * emails per day by priority: analysed emails, by the day they were analysed (an email's own date
--    can be anything: the samples loaded in local mode are dated months ago);
--  * alerts (kind 'alert') by the day they were created: sent; delivered (the provider said so, or,
--    in local mode, written to the outbox, which stands for the phone); read — a read receipt, or
--    the recipient acted on it: the email handled, "Rappel 1 h" pressed on that alert (its audit
--    row), or a reply drafted by that recipient for that email;
--  * LLM tokens and the emails decided without a model, per day;
--  * dead jobs of the organization (jobs.organization_id, set when a job dies: 20261203100000_problems.sql).

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

select app_lockdown();
