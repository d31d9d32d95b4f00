-- Gmail pipeline fixes (issue #3): sync requests without a history hint must never be skipped.
--
-- A mailbox has one sync row (`sync:<mailbox>`) for its whole life. The sync skips its run when the
-- payload's historyHint is not past the stored cursor (a duplicate or out-of-order push). Two ways a
-- hint could outlive the push it came with and make a poll or a lapsed-watch catch-up skip mail that
-- arrived without any push:
--   1. a finished row re-opened by a poll kept the finished run's hint (payloads were merged);
--   2. a pending poll (no hint) merged with a stale push took the push's hint.
-- Callers send `historyHint: null` for "sync whatever the cursor says" (lib/jobs/enqueue.ts).

-- Merges the payload of new work into a waiting job: the highest history hint wins, and an explicit
-- null hint (a request that must run) wins over any number.
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
 * Enqueue with an idempotency key. One row per key:
 * - new key: inserted;
 * - pending: the payload is merged and the earlier run time kept (coalesces bursts);
 * - running and repeatable (sync): re-armed, so it runs again when the current run completes —
 *   new work that arrived mid-run is never lost and never runs concurrently;
 * - done and repeatable: reset to pending with the new payload (the old one described work that is
 *   finished); dead and repeatable: reset with the payloads merged (its work was never done);
 *   otherwise left alone (already handled).
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
    update jobs set status = 'pending',
           payload = case when j.status = 'done' then coalesce(p_payload, '{}')
                          else job_merge_payload(payload, p_payload) end,
           run_at = v_run_at, attempts = 0, last_error = null, rearm = false, completed_at = null,
           updated_at = now()
     where id = j.id returning * into j;
  end if;
  return jsonb_build_object('id', j.id, 'created', false, 'status', j.status, 'rearmed', j.rearm);
end
$$;

select app_lockdown();
