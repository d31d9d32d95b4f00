-- The drain's hand-over (job_complete claiming the next job) skips job_claim's sweep of dead
-- leases: the drain's own claims run that sweep, and doing it on every completion cost a scan each.

/*
 * The claiming half of job_claim: due pending jobs, and running ones whose lease expired before
 * their last attempt (those on their last attempt are left for job_claim's sweep to mark dead).
 */
create or replace function job_claim_due(p_limit integer, p_lease_seconds integer, p_kinds text[]) returns jsonb
language sql as $$
  with due as (
    select id from jobs
     where ((status = 'pending' and run_at <= now())
            or (status = 'running' and leased_until <= now() and attempts < max_attempts))
       and (p_kinds is null or kind = any (p_kinds))
     order by run_at, id
     limit greatest(p_limit, 0)
     for update skip locked
  ), claimed as (
    update jobs j
       set status = 'running', attempts = j.attempts + 1, lease_token = gen_random_uuid(),
           leased_until = clock_timestamp() + make_interval(secs => coalesce(j.lease_seconds, p_lease_seconds)),
           updated_at = now()
      from due where j.id = due.id
    returning j.*
  )
  select coalesce(jsonb_agg(job_to_json(c) order by c.run_at, c.id), '[]') from claimed c
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

select app_lockdown();
