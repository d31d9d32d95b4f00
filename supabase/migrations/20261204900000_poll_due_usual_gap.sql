-- mailbox_poll_due, written with the push's silence and its usual gap named once (the previous
-- definition spelled the usual-gap expression twice). Same behaviour: no push heard yet or no
-- watch/subscription in force → every run; never polled or not polled for 55 minutes → now; a push
-- silent longer than its usual gap (three times the average gap, at least 15 minutes) → every
-- 15 minutes during the first hour of the silence.
create or replace function mailbox_poll_due(p_provider text default null) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(m.id order by m.id), '[]')
    from mailboxes m
   cross join lateral (
     select now() - m.last_push_at as silence,
            greatest(interval '15 minutes', make_interval(secs => 3 * coalesce(m.push_gap_seconds, 0))) as usual_gap
   ) p
   where m.status = 'active'
     and (p_provider is null or m.provider = p_provider)
     and (
       m.last_push_at is null
       or m.watch_expires_at is null or m.watch_expires_at <= now()
       or m.last_polled_at is null
       or m.last_polled_at <= now() - interval '55 minutes'
       or (p.silence > p.usual_gap
           and p.silence <= p.usual_gap + interval '1 hour'
           and m.last_polled_at <= now() - interval '15 minutes')
     )
$$;
