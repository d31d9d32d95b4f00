-- Failed work is visible and recoverable: the "Problèmes" panel lists an organization's dead jobs
-- and "Réessayer" puts one back in the queue. A job row carries no organization: its payload names
-- what it works on. The organization is read from the payload when the job goes dead (rare), not
-- when it is enqueued (the hot path), and kept on jobs.organization_id so the panel and its badge
-- read one index (jobs_dead_org_idx). Nothing here names a job kind: the payload's ids decide.

-- "Réessayer": a dead job of this organization back to pending, its attempts reset. The email it
-- concerns, if it ended `failed`, is pending again in the same transaction, so the analysis runs
-- (message.analyze only analyses pending emails) and the failed filter no longer lists it.
-- Another organization's job, or none: 404 (the panel never reveals what is not yours); a job that
-- is no longer dead (retried twice, or by another tab): ok false, nothing changed.
create or replace function job_retry(p_id bigint, p_organization_id uuid) returns jsonb
language plpgsql as $$
declare
  j jobs;
begin
  select * into j from jobs where id = p_id and organization_id = p_organization_id for update;
  if not found then
    raise exception 'job not found' using errcode = 'PT404';
  end if;
  if j.status <> 'dead' then
    return jsonb_build_object('ok', false, 'status', j.status);
  end if;
  update jobs set status = 'pending', attempts = 0, run_at = now(), leased_until = null,
         lease_token = null, rearm = false, updated_at = now()
   where id = p_id;
  update messages set status = 'pending', reasons = '[]'
   where id = as_uuid(j.payload->>'messageId') and organization_id = p_organization_id
     and status = 'failed';
  return jsonb_build_object('ok', true, 'status', 'pending');
end
$$;

-- The organization a job's payload works for: the first of its ids that names a row (a WhatsApp
-- event's button names its alert or draft inside its command). Null when none does (a row deleted
-- since, an event from an unknown number): such a job belongs to no panel.
create or replace function job_organization_id(p jsonb) returns uuid
language sql stable as $$
  select coalesce(
    (select o.id from organizations o where o.id = as_uuid(p->>'organizationId')),
    (select m.organization_id from mailboxes m where m.id = as_uuid(p->>'mailboxId')),
    (select m.organization_id from messages m where m.id = as_uuid(p->>'messageId')),
    (select a.organization_id from alerts a
      where a.id = as_uuid(coalesce(p->>'alertId', p->'command'->>'alertId'))),
    (select r.organization_id from recipients r where r.id = as_uuid(p->>'recipientId')),
    (select c.organization_id from crm_connections c where c.id = as_uuid(p->>'connectionId')),
    (select d.organization_id from reply_drafts d
      where d.id = as_uuid(coalesce(p->>'draftId', p->'command'->>'draftId'))))
$$;

create or replace function jobs_dead_organization() returns trigger
language plpgsql as $$
begin
  if new.status = 'dead' and old.status is distinct from 'dead' then
    new.organization_id := job_organization_id(new.payload);
  end if;
  return new;
end
$$;

-- The organization's dead jobs, newest first, with the email they concern when their payload
-- names one (its status and failure code: what the panel shows instead of the job's error text).
create or replace function job_problems(p_organization_id uuid, p_limit integer default 50) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', j.id, 'kind', j.kind, 'attempts', j.attempts, 'maxAttempts', j.max_attempts,
           'lastError', j.last_error, 'failedAt', j.updated_at,
           'message', case when m.id is null then null else jsonb_build_object(
             'id', m.id, 'status', m.status, 'reason', case when m.status = 'failed' then m.reasons->>0 end,
             'subject', m.subject, 'fromAddress', m.from_address) end)
           order by j.updated_at desc, j.id desc), '[]')
    from (select * from jobs
           where status = 'dead' and organization_id = p_organization_id
           order by updated_at desc, id desc limit least(greatest(p_limit, 0), 200)) j
    left join messages m on m.id = as_uuid(j.payload->>'messageId') and m.organization_id = p_organization_id
$$;

create or replace function job_problem_count(p_organization_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('dead', count(*)) from jobs
   where status = 'dead' and organization_id = p_organization_id
$$;

-- Called only for the one transition it handles: a WHEN clause is checked without entering
-- plpgsql, so the queue's claims and completions (every job, several times) pay nothing for it.
create trigger jobs_dead_organization before update of status on jobs
  for each row when (new.status = 'dead' and old.status is distinct from 'dead')
  execute function jobs_dead_organization();
