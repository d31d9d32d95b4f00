-- The durable job queue. Job kinds are declared once, in TypeScript (lib/jobs/define.ts): kind,
-- payload schema, key, attempts, lease, tier. SQL spells no kind and no key: a function that must
-- enqueue in its own transaction receives the finished job ("job spec", built by the app from the
-- definition) and passes it to job_enqueue.
create table jobs (
  id bigint generated always as identity primary key,
  kind text not null check (kind ~ '^[a-z]+\.[a-z_]+$'),
  -- Idempotency key: one row per key while the row lives (sync keys are re-armed, not duplicated;
  -- job_prune deletes done rows a week after they completed).
  key text not null unique,
  payload jsonb not null default '{}',
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 8 check (max_attempts between 1 and 100),
  leased_until timestamptz,
  lease_token uuid,
  -- new work arrived while running: go back to pending instead of done
  rearm boolean not null default false,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  -- The job's own lease length (its kind's); job_claim's p_lease_seconds for rows without one.
  lease_seconds integer check (lease_seconds between 1 and 3600),
  -- Set when the job goes dead, from the ids its payload names (20261204101000_problems.sql): the
  -- "Problèmes" panel and its badge read one index. Not set on enqueue, the hot path.
  organization_id uuid,
  -- The claim's tier, from the kind's definition (`urgent`): 1 for the sends a person waits for.
  priority smallint not null default 0 check (priority in (0, 1)),
  check (status <> 'running' or (leased_until is not null and lease_token is not null))
);

create index jobs_lease_idx on jobs (leased_until) where status = 'running';

create index jobs_dead_idx on jobs (updated_at desc) where status = 'dead';

create index jobs_dead_org_idx on jobs (organization_id, updated_at desc) where status = 'dead';

-- Claiming reads indexes in order instead of sorting every due job: running jobs whose drainer
-- died from jobs_lease_idx, then due pending jobs of the urgent tier, then of the normal tier, from
-- jobs_claim_idx, each range stopped at the limit (see job_claim_due).
create index jobs_claim_idx on jobs (priority, run_at, id) where status = 'pending';

create or replace function job_to_json(j jobs) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', j.id, 'kind', j.kind, 'key', j.key, 'payload', j.payload, 'status', j.status,
    'runAt', j.run_at, 'attempts', j.attempts, 'maxAttempts', j.max_attempts,
    'leaseSeconds', j.lease_seconds,
    'leasedUntil', j.leased_until, 'leaseToken', j.lease_token, 'lastError', j.last_error,
    'createdAt', j.created_at, 'updatedAt', j.updated_at, 'completedAt', j.completed_at)
$$;

-- Merges the payload of new work into a waiting job: the highest history hint wins, and an explicit
-- null hint (a request that must run: a poll, a lapsed-watch catch-up) wins over any number. A
-- mailbox has one sync row for its whole life; the sync skips a run whose hint the stored cursor is
-- already past, so a hint-less request merged with a stale hint would be skipped with its mail.
create or replace function job_merge_payload(p_old jsonb, p_new jsonb) returns jsonb
language sql immutable as $$
  select case
    when p_old ? 'historyHint' and p_new ? 'historyHint'
      then (p_old || p_new) || jsonb_build_object('historyHint',
        case when jsonb_typeof(p_old->'historyHint') = 'null' or jsonb_typeof(p_new->'historyHint') = 'null'
               then 'null'::jsonb
             when (p_old->>'historyHint')::numeric >= (p_new->>'historyHint')::numeric
               then p_old->'historyHint'
             else p_new->'historyHint' end)
    else p_old || coalesce(p_new, '{}'::jsonb)
  end
$$;

/*
 * Enqueue with an idempotency key. p_priority is stored on insert and on re-opening;
 * p_push_mailbox_id: the sync a push asks for records that push on its mailbox in the same round
 * trip (see mailbox_record_push). One row per key:
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

/*
 * Claims up to p_limit due jobs with a lease: the job's own lease length (its kind's), or
 * p_lease_seconds for rows enqueued without one. First the sweep marking dead the running jobs
 * whose lease expired on their final attempt, then job_claim_due. `for update skip locked` lets
 * any number of drainers run side by side without waiting on each other or taking the same row.
 * A lease is over at leased_until itself (<=): PGlite's clock has millisecond resolution.
 */
create or replace function job_claim(
  p_limit integer default 10,
  p_lease_seconds integer default 60,
  p_kinds text[] default null
) returns jsonb
language plpgsql as $$
begin
  update jobs set status = 'dead', leased_until = null, lease_token = null, updated_at = now(),
         last_error = coalesce(last_error || ' | ', '') || 'lease expired on the final attempt'
   where id in (
     select id from jobs
      where status = 'running' and leased_until <= now() and attempts >= max_attempts
        and (p_kinds is null or kind = any (p_kinds))
      for update skip locked);
  return job_claim_due(p_limit, p_lease_seconds, p_kinds);
end
$$;

/*
 * Completes a claimed job (false when the lease was lost: another drainer took it over) and, when
 * p_claim_limit > 0, claims the next due jobs in the same round trip, so a busy drainer spends one
 * database call per job instead of two.
 */
create or replace function job_complete(
  p_id bigint,
  p_lease_token uuid,
  p_claim_limit integer default 0,
  p_kinds text[] default null,
  p_lease_seconds integer default 60
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_ok boolean;
begin
  update jobs
     set status = case when rearm then 'pending' else 'done' end,
         run_at = case when rearm then now() else run_at end,
         attempts = case when rearm then 0 else attempts end,
         completed_at = case when rearm then null else now() end,
         rearm = false, leased_until = null, lease_token = null, last_error = null, updated_at = now()
   where id = p_id and lease_token = p_lease_token and status = 'running'
  returning * into j;
  v_ok := found;
  return jsonb_build_object('ok', v_ok, 'status', j.status,
    'claimed', case when coalesce(p_claim_limit, 0) > 0 then job_claim_due(p_claim_limit, p_lease_seconds, p_kinds)
                    else '[]'::jsonb end);
end
$$;

/*
 * Records a failure. Retried with exponential backoff (5 s × 2^(attempt-1), capped at 1 h) and
 * ±50 % jitter so a failing vendor is not hit by every job at the same instant; dead after
 * max_attempts or when the failure is permanent. p_retry_in_seconds (Retry-After) wins when given.
 */
create or replace function job_fail(
  p_id bigint,
  p_lease_token uuid,
  p_error text,
  p_retry_in_seconds double precision default null,
  p_permanent boolean default false
) returns jsonb
language plpgsql as $$
declare
  j jobs;
begin
  update jobs
     set status = case when p_permanent or attempts >= max_attempts then 'dead' else 'pending' end,
         run_at = case when p_permanent or attempts >= max_attempts then run_at
                       else now() + make_interval(secs => coalesce(p_retry_in_seconds,
                              least(3600, 5 * power(2, attempts - 1)) * (0.5 + random()))) end,
         last_error = left(p_error, 2000), rearm = false, leased_until = null, lease_token = null,
         updated_at = now()
   where id = p_id and lease_token = p_lease_token and status = 'running'
  returning * into j;
  return jsonb_build_object('ok', found, 'status', j.status, 'runAt', j.run_at, 'attempts', j.attempts);
end
$$;

-- Puts a claimed job back for later without spending an attempt (quiet hours, waiting for a status).
create or replace function job_defer(p_id bigint, p_lease_token uuid, p_run_at timestamptz, p_note text default null)
returns jsonb
language plpgsql as $$
begin
  update jobs
     set status = 'pending', run_at = p_run_at, attempts = greatest(attempts - 1, 0), rearm = false,
         leased_until = null, lease_token = null, last_error = coalesce(p_note, last_error), updated_at = now()
   where id = p_id and lease_token = p_lease_token and status = 'running';
  return jsonb_build_object('ok', found);
end
$$;

create or replace function job_get(p_key text) returns jsonb
language sql stable as $$
  select job_to_json(j) from jobs j where j.key = p_key
$$;

create or replace function job_list(p_status text default null, p_limit integer default 50) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(job_to_json(j) order by j.updated_at desc), '[]')
    from (select * from jobs where p_status is null or status = p_status
           order by updated_at desc limit p_limit) j
$$;

create or replace function job_counts() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'pending', count(*) filter (where status = 'pending'),
    'due', count(*) filter (where status = 'pending' and run_at <= now()),
    'running', count(*) filter (where status = 'running'),
    'done', count(*) filter (where status = 'done'),
    'dead', count(*) filter (where status = 'dead'),
    'nextRunAt', min(run_at) filter (where status = 'pending'))
  from jobs
$$;

-- Done jobs are kept a week (the dashboard, a redelivered key), then removed; pending, running and
-- dead rows stay.
create or replace function job_prune(p_older_than_hours integer default 168) returns jsonb
language sql as $$
  with gone as (
    delete from jobs where status = 'done' and completed_at < now() - make_interval(hours => p_older_than_hours)
    returning 1)
  select jsonb_build_object('deleted', count(*)) from gone
$$;

-- A job spec as the app builds it: {kind, key, payload, maxAttempts, repeatable, leaseSeconds, priority?, runAt?}.
create or replace function job_enqueue_spec(p_job jsonb, p_run_at timestamptz default null) returns jsonb
language plpgsql as $$
begin
  if p_job is null or p_job->>'kind' is null or p_job->>'key' is null then
    raise exception 'a job spec needs a kind and a key' using errcode = 'PT422';
  end if;
  return job_enqueue(
    p_job->>'kind',
    p_job->>'key',
    coalesce(p_job->'payload', '{}'),
    coalesce(p_run_at, (p_job->>'runAt')::timestamptz),
    (p_job->>'maxAttempts')::integer,
    coalesce((p_job->>'repeatable')::boolean, false),
    (p_job->>'leaseSeconds')::integer,
    coalesce((p_job->>'priority')::smallint, 0::smallint));
end
$$;

/*
 * Extends the lease of a job that is still legitimately running (the drainer heartbeats it), so
 * leases can stay short and a crashed drainer's jobs are taken over within one lease. False when
 * the lease was lost meanwhile.
 */
create or replace function job_heartbeat(p_id bigint, p_lease_token uuid, p_lease_seconds integer default 60)
returns jsonb
language plpgsql as $$
declare
  v_until timestamptz;
begin
  update jobs set leased_until = clock_timestamp() + make_interval(secs => coalesce(lease_seconds, p_lease_seconds))
   where id = p_id and lease_token = p_lease_token and status = 'running'
  returning leased_until into v_until;
  return jsonb_build_object('ok', found, 'leasedUntil', v_until);
end
$$;

/*
 * The claiming half of job_claim (and of job_complete's hand-over): up to p_limit jobs, taken in
 * this order — running jobs whose lease expired before their last attempt (those on their last
 * attempt are left for job_claim's sweep to mark dead), then due urgent jobs, then due normal
 * ones, oldest first within each. Each source is a range of its partial index read in order and
 * stopped at what is still wanted, so the cost does not grow with the number of due jobs.
 */
create or replace function job_claim_due(p_limit integer, p_lease_seconds integer, p_kinds text[]) returns jsonb
language plpgsql as $$
declare
  v_want integer := greatest(coalesce(p_limit, 0), 0);
  v_ids bigint[];
  v_tier smallint;
  v_claimed jsonb;
begin
  if v_want = 0 then
    return '[]'::jsonb;
  end if;
  select coalesce(array_agg(id), '{}') into v_ids from (
    select id from jobs
     where status = 'running' and leased_until <= now() and attempts < max_attempts
       and (p_kinds is null or kind = any (p_kinds))
     order by leased_until
     limit v_want
     for update skip locked) expired;
  foreach v_tier in array array[1, 0]::smallint[] loop
    exit when cardinality(v_ids) >= v_want;
    v_ids := v_ids || coalesce((
      select array_agg(id) from (
        select id from jobs
         where status = 'pending' and priority = v_tier and run_at <= now()
           and (p_kinds is null or kind = any (p_kinds))
         order by run_at, id
         limit v_want - cardinality(v_ids)
         for update skip locked) due), '{}');
  end loop;
  if cardinality(v_ids) = 0 then
    return '[]'::jsonb;
  end if;
  with claimed as (
    update jobs j
       set status = 'running', attempts = j.attempts + 1, lease_token = gen_random_uuid(),
           leased_until = clock_timestamp() + make_interval(secs => coalesce(j.lease_seconds, p_lease_seconds)),
           updated_at = now()
     where j.id = any (v_ids)
    returning j.*
  )
  select coalesce(jsonb_agg(job_to_json(c) order by c.priority desc, c.run_at, c.id), '[]') into v_claimed
    from claimed c;
  return v_claimed;
end
$$;

-- Payloads that carry personal data (a WhatsApp sender's number or user id) say so with
-- "pruneWhenDone": true; once the job is done the payload is reduced to a marker, in the same
-- statement that finishes it. The row itself stays (its key keeps Meta's redeliveries out) until
-- job_prune removes finished jobs. Nothing here names a job kind: the payload decides.
create or replace function jobs_prune_done_payload() returns trigger
language plpgsql as $$
begin
  if new.status = 'done' and old.status is distinct from 'done'
     and coalesce((new.payload->>'pruneWhenDone')::boolean, false) then
    new.payload := jsonb_build_object('pruned', true);
  end if;
  return new;
end
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

create trigger jobs_prune_done_payload before update of status on jobs
  for each row execute function jobs_prune_done_payload();
