-- Claiming reads an index in order instead of sorting every due job (issue 14). The old claim
-- matched `(pending and due) or (running and lease over)` and sorted all of them by run_at: with
-- 200,000 due jobs it cost 250 ms on PostgreSQL (the sort spills to disk) and a second on PGlite.
-- Now each of its three sources is one in-order index range, stopped at the limit:
--   1. running jobs whose drainer died (lease over, attempts left), from jobs_lease_idx;
--   2. due pending jobs of the urgent tier (priority 1: the sends a person waits for), then
--   3. due pending jobs of the normal tier (priority 0), both from jobs_claim_idx.
-- A job's priority comes from its kind's definition (lib/jobs/define.ts `urgent`), carried in the
-- job spec like its lease: SQL still spells no kind.

alter table jobs add column priority smallint not null default 0 check (priority in (0, 1));
create index jobs_claim_idx on jobs (priority, run_at, id) where status = 'pending';

drop function if exists job_enqueue(text, text, jsonb, timestamptz, integer, boolean, integer);

/*
 * Enqueue with an idempotency key (body of 20261201100000_job_definitions.sql, plus p_priority,
 * stored on insert and on re-opening). One row per key:
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
  p_priority smallint default 0
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_run_at timestamptz := coalesce(p_run_at, now());
begin
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

/*
 * Claims up to p_limit due jobs with a lease (body of 20261201100000_job_definitions.sql): first the
 * sweep marking dead the running jobs whose lease expired on their final attempt, then
 * job_claim_due. `for update skip locked` lets any number of drainers run side by side without
 * waiting on each other or taking the same row. A lease is over at leased_until itself (<=):
 * PGlite's clock has millisecond resolution.
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

select app_lockdown();
