-- Poll what needs polling (issue 14 item 5). The 5-minute fallback poll synced every active
-- mailbox: 288 history.list a mailbox a day whether or not its push worked. A mailbox now records
-- when its pushes arrive and their usual gap, and the poll takes only:
--   - mailboxes with no healthy push: none heard yet, or no watch/subscription in force;
--   - mailboxes whose push has been silent longer than its usual gap (three times the average gap
--     between pushes, at least 15 minutes), at most every 15 minutes;
--   - every other mailbox at least hourly (the last poll 55 minutes ago or more: the 5-minute cron
--     reaches it within the hour).
-- A push is recorded by job_enqueue itself when it enqueues the sync the push asks for
-- (p_push_mailbox_id): no round trip of its own. The poll then enqueues all its syncs in one call
-- (job_enqueue_batch).

alter table mailboxes
  add column last_push_at timestamptz,
  add column push_gap_seconds double precision,
  add column last_polled_at timestamptz;

/*
 * A push arrived for this mailbox: remember when, and fold the gap since the previous one into its
 * usual gap (an exponential average; a gap longer than a day — a weekend — counts as a day).
 * Called by job_enqueue for the sync the push asks for, so it costs no round trip of its own.
 */
create or replace function mailbox_record_push(p_mailbox_id uuid) returns void
language sql as $$
  update mailboxes
     set push_gap_seconds = case
           when last_push_at is null then push_gap_seconds
           when push_gap_seconds is null then least(extract(epoch from now() - last_push_at), 86400)
           else 0.8 * push_gap_seconds + 0.2 * least(extract(epoch from now() - last_push_at), 86400)
         end,
         last_push_at = now()
   where id = p_mailbox_id
$$;

drop function if exists job_enqueue(text, text, jsonb, timestamptz, integer, boolean, integer, smallint);

/*
 * Enqueue with an idempotency key (body of 20261203500000_claim_in_index_order.sql, plus
 * p_push_mailbox_id: the sync a push asks for records that push on its mailbox in the same round
 * trip — see mailbox_record_push). One row per key:
 * - new key: inserted;
 * - pending: the payload is merged; the earlier run time is kept unless the job is waiting out a
 *   retry backoff (attempts > 0), which new work must not cut short;
 * - running and repeatable (sync): re-armed, so it runs again when the current run completes —
 *   new work that arrived mid-run is never lost and never runs concurrently;
 * - done/dead and repeatable: reset to pending with the new payload; otherwise left alone.
 */
create function job_enqueue(
  p_kind text,
  p_key text,
  p_payload jsonb default '{}',
  p_run_at timestamptz default null,
  p_max_attempts integer default 8,
  p_repeatable boolean default false,
  p_lease_seconds integer default null,
  p_priority smallint default 0,
  p_push_mailbox_id uuid default null
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_run_at timestamptz := coalesce(p_run_at, now());
begin
  if p_push_mailbox_id is not null then
    perform mailbox_record_push(p_push_mailbox_id);
  end if;
  insert into jobs (kind, key, payload, run_at, max_attempts, lease_seconds, priority)
  values (p_kind, p_key, coalesce(p_payload, '{}'), v_run_at, coalesce(p_max_attempts, 8), p_lease_seconds,
          coalesce(p_priority, 0))
  on conflict (key) do nothing
  returning * into j;
  if found then
    return jsonb_build_object('id', j.id, 'created', true, 'status', j.status);
  end if;

  select * into j from jobs where key = p_key for update;
  if j.kind <> p_kind then
    raise exception 'job key % belongs to kind %', p_key, j.kind using errcode = 'PT409';
  end if;
  if j.status = 'pending' then
    update jobs set payload = job_merge_payload(payload, p_payload),
           run_at = case when attempts > 0 then run_at else least(run_at, v_run_at) end,
           updated_at = now()
     where id = j.id returning * into j;
  elsif j.status = 'running' and p_repeatable then
    update jobs set rearm = true, payload = job_merge_payload(payload, p_payload), updated_at = now()
     where id = j.id returning * into j;
  elsif j.status in ('done', 'dead') and p_repeatable then
    -- A finished run's payload (e.g. an old history hint) says nothing about the new work.
    update jobs set status = 'pending', payload = coalesce(p_payload, '{}'), run_at = v_run_at,
           attempts = 0, last_error = null, rearm = false, completed_at = null,
           max_attempts = coalesce(p_max_attempts, max_attempts),
           lease_seconds = coalesce(p_lease_seconds, lease_seconds),
           priority = coalesce(p_priority, priority), updated_at = now()
     where id = j.id returning * into j;
  end if;
  return jsonb_build_object('id', j.id, 'created', false, 'status', j.status, 'rearmed', j.rearm);
end
$$;

/* The active mailboxes the fallback poll should sync now (see the header for the rule). */
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
           and m.last_polled_at <= now() - interval '15 minutes')
     )
$$;

/*
 * The poll's syncs in one call: each job spec enqueued as job_enqueue_spec does, and its mailbox
 * (payload.mailboxId) marked polled. Returns how many were enqueued.
 */
create or replace function job_enqueue_batch(p_jobs jsonb, p_mark_polled boolean default false) returns jsonb
language plpgsql as $$
declare
  v_job jsonb;
  v_count integer := 0;
begin
  if jsonb_typeof(coalesce(p_jobs, '[]')) <> 'array' then
    raise exception 'p_jobs must be an array of job specs' using errcode = 'PT422';
  end if;
  for v_job in select value from jsonb_array_elements(coalesce(p_jobs, '[]')) loop
    perform job_enqueue_spec(v_job);
    v_count := v_count + 1;
  end loop;
  if p_mark_polled then
    update mailboxes set last_polled_at = now()
     where id in (select (value->'payload'->>'mailboxId')::uuid from jsonb_array_elements(p_jobs));
  end if;
  return jsonb_build_object('enqueued', v_count);
end
$$;

select app_lockdown();
