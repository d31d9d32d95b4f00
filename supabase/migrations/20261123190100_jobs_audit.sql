-- The durable job queue, the audit log and health. Every function takes named p_* parameters and
-- returns jsonb, so the sql and supabase transports hand the app identical JSON.
-- Errors meant for the app use SQLSTATE PTxxx: PostgREST answers HTTP xxx, the sql transport maps the same.

create or replace function job_to_json(j jobs) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', j.id, 'kind', j.kind, 'key', j.key, 'payload', j.payload, 'status', j.status,
    'runAt', j.run_at, 'attempts', j.attempts, 'maxAttempts', j.max_attempts,
    'leasedUntil', j.leased_until, 'leaseToken', j.lease_token, 'lastError', j.last_error,
    'createdAt', j.created_at, 'updatedAt', j.updated_at, 'completedAt', j.completed_at)
$$;

-- Merges the payload of new work into a waiting job: the highest history hint wins.
create or replace function job_merge_payload(p_old jsonb, p_new jsonb) returns jsonb
language sql immutable as $$
  select case
    when p_old ? 'historyHint' and p_new ? 'historyHint'
      then (p_old || p_new) || jsonb_build_object('historyHint',
        case when (p_old->>'historyHint')::numeric >= (p_new->>'historyHint')::numeric
             then p_old->'historyHint' else p_new->'historyHint' end)
    else p_old || coalesce(p_new, '{}'::jsonb)
  end
$$;

/*
 * Enqueue with an idempotency key. One row per key:
 * - new key: inserted;
 * - pending: the payload is merged and the earlier run time kept (coalesces bursts);
 * - running and repeatable (sync): re-armed, so it runs again when the current run completes —
 *   new work that arrived mid-run is never lost and never runs concurrently;
 * - done/dead and repeatable: reset to pending; otherwise left alone (already handled).
 */
create or replace function job_enqueue(
  p_kind text,
  p_key text,
  p_payload jsonb default '{}',
  p_run_at timestamptz default null,
  p_max_attempts integer default 8,
  p_repeatable boolean default false
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_run_at timestamptz := coalesce(p_run_at, now());
begin
  insert into jobs (kind, key, payload, run_at, max_attempts)
  values (p_kind, p_key, coalesce(p_payload, '{}'), v_run_at, coalesce(p_max_attempts, 8))
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
    update jobs set payload = job_merge_payload(payload, p_payload), run_at = least(run_at, v_run_at),
           updated_at = now()
     where id = j.id returning * into j;
  elsif j.status = 'running' and p_repeatable then
    update jobs set rearm = true, payload = job_merge_payload(payload, p_payload), updated_at = now()
     where id = j.id returning * into j;
  elsif j.status in ('done', 'dead') and p_repeatable then
    update jobs set status = 'pending', payload = job_merge_payload(payload, p_payload), run_at = v_run_at,
           attempts = 0, last_error = null, rearm = false, completed_at = null, updated_at = now()
     where id = j.id returning * into j;
  end if;
  return jsonb_build_object('id', j.id, 'created', false, 'status', j.status, 'rearmed', j.rearm);
end
$$;

/*
 * Claims up to p_limit due jobs with a lease. `for update skip locked` lets any number of drainers
 * run side by side without waiting on each other or taking the same row. A running job whose lease
 * expired (its drainer died) is due again; if that was its last attempt it is marked dead instead.
 * A lease is over at leased_until itself (<=): PGlite's clock has millisecond resolution.
 */
create or replace function job_claim(
  p_limit integer default 10,
  p_lease_seconds integer default 60,
  p_kinds text[] default null
) returns jsonb
language plpgsql as $$
declare
  v_claimed jsonb;
begin
  update jobs set status = 'dead', leased_until = null, lease_token = null, updated_at = now(),
         last_error = coalesce(last_error || ' | ', '') || 'lease expired on the final attempt'
   where id in (
     select id from jobs
      where status = 'running' and leased_until <= now() and attempts >= max_attempts
        and (p_kinds is null or kind = any (p_kinds))
      for update skip locked);

  with due as (
    select id from jobs
     where ((status = 'pending' and run_at <= now()) or (status = 'running' and leased_until <= now()))
       and (p_kinds is null or kind = any (p_kinds))
     order by run_at, id
     limit greatest(p_limit, 0)
     for update skip locked
  ), claimed as (
    update jobs j
       set status = 'running', attempts = j.attempts + 1, lease_token = gen_random_uuid(),
           leased_until = clock_timestamp() + make_interval(secs => p_lease_seconds), updated_at = now()
      from due where j.id = due.id
    returning j.*
  )
  select coalesce(jsonb_agg(job_to_json(c) order by c.run_at, c.id), '[]') into v_claimed from claimed c;
  return v_claimed;
end
$$;

-- Completes a claimed job. False when the lease was lost (another drainer took it over).
create or replace function job_complete(p_id bigint, p_lease_token uuid) returns jsonb
language plpgsql as $$
declare
  j jobs;
begin
  update jobs
     set status = case when rearm then 'pending' else 'done' end,
         run_at = case when rearm then now() else run_at end,
         attempts = case when rearm then 0 else attempts end,
         completed_at = case when rearm then null else now() end,
         rearm = false, leased_until = null, lease_token = null, last_error = null, updated_at = now()
   where id = p_id and lease_token = p_lease_token and status = 'running'
  returning * into j;
  return jsonb_build_object('ok', found, 'status', j.status);
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

-- A dead job, retried by hand from the dashboard.
create or replace function job_retry(p_id bigint) returns jsonb
language plpgsql as $$
begin
  update jobs set status = 'pending', attempts = 0, run_at = now(), updated_at = now()
   where id = p_id and status = 'dead';
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

-- Finished jobs are kept a week for the dashboard, then removed.
create or replace function job_prune(p_older_than_hours integer default 168) returns jsonb
language sql as $$
  with gone as (
    delete from jobs where status = 'done' and completed_at < now() - make_interval(hours => p_older_than_hours)
    returning 1)
  select jsonb_build_object('deleted', count(*)) from gone
$$;

create or replace function audit_append(
  p_organization_id uuid,
  p_actor text,
  p_action text,
  p_target text default null,
  p_details jsonb default '{}'
) returns jsonb
language sql as $$
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, p_action, p_target, coalesce(p_details, '{}'))
  returning jsonb_build_object('id', id, 'createdAt', created_at)
$$;

create or replace function audit_list(p_organization_id uuid, p_limit integer default 100, p_before_id bigint default null)
returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'actor', a.actor, 'action', a.action, 'target', a.target,
           'details', a.details, 'createdAt', a.created_at) order by a.id desc), '[]')
    from (select * from audit_log
           where organization_id = p_organization_id and (p_before_id is null or id < p_before_id)
           order by id desc limit least(p_limit, 500)) a
$$;

create or replace function health_check() returns jsonb
language sql stable as $$
  select jsonb_build_object('database', 'ok', 'now', now())
$$;
