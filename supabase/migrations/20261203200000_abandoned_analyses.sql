-- An email whose analysis never returns (the process is killed mid-analysis on every attempt: an
-- out-of-memory crash, a platform time limit) has its job marked dead by job_claim's sweep of
-- leases that expired on the final attempt, with no code left to fail the message: it would stay
-- `pending` forever (issue #13 item 2). The every-minute cron ends such messages `failed`.
-- The job kind comes from the app (lib/jobs/message-analyze.ts' definition): SQL never spells it.
create or replace function message_fail_abandoned(p_kind text, p_reason text, p_limit integer default 100)
returns jsonb
language sql as $$
  with abandoned as (
    select m.id from jobs j
      join messages m on m.id::text = j.payload->>'messageId'
     where j.status = 'dead' and j.kind = p_kind and m.status = 'pending'
     limit greatest(p_limit, 0)
  ), failed as (
    update messages m set status = 'failed', reasons = jsonb_build_array(left(p_reason, 64))
      from abandoned a where m.id = a.id and m.status = 'pending'
    returning m.id
  )
  select jsonb_build_object('failed', count(*)) from failed
$$;

select app_lockdown();
