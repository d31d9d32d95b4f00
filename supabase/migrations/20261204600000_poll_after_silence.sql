-- The fallback poll and a silent push (issue 14 item 4). A mailbox whose push falls silent longer
-- than its usual gap (three times the average gap, at least 15 minutes) was polled every 15 minutes
-- for as long as the silence lasted: every night and weekend, when no mail is the usual reason for
-- silence, 4 syncs an hour (a quiet office's mailbox: 130 polls a day, 56 of them at night). The
-- quick polls now cover the first hour of a silence — 3 polls, enough to notice a broken push
-- within minutes while the office is busy — and then the hourly poll every mailbox gets takes over.
-- Everything else is unchanged: no push heard yet or no watch/subscription in force → every run;
-- never polled or not polled for 55 minutes → now.
create or replace function mailbox_poll_due(p_provider text default null) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(m.id order by m.id), '[]')
    from mailboxes m
   where m.status = 'active'
     and (p_provider is null or m.provider = p_provider)
     and (
       m.last_push_at is null
       or m.watch_expires_at is null or m.watch_expires_at <= now()
       or m.last_polled_at is null
       or m.last_polled_at <= now() - interval '55 minutes'
       or (now() - m.last_push_at > greatest(interval '15 minutes', make_interval(secs => 3 * coalesce(m.push_gap_seconds, 0)))
           and now() - m.last_push_at <= greatest(interval '15 minutes', make_interval(secs => 3 * coalesce(m.push_gap_seconds, 0))) + interval '1 hour'
           and m.last_polled_at <= now() - interval '15 minutes')
     )
$$;
