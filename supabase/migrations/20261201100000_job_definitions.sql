-- Job kinds are declared once, in TypeScript (lib/jobs/define.ts): kind, payload schema, key,
-- attempts, lease. SQL no longer spells a kind or a key: the functions that must enqueue in their
-- own transaction receive the finished job ("job spec", built by the app from the definition) and
-- pass it to job_enqueue. A job row also carries its lease length, so each kind has its own.

alter table jobs add column lease_seconds integer check (lease_seconds between 1 and 3600);

create or replace function job_to_json(j jobs) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'id', j.id, 'kind', j.kind, 'key', j.key, 'payload', j.payload, 'status', j.status,
    'runAt', j.run_at, 'attempts', j.attempts, 'maxAttempts', j.max_attempts,
    'leaseSeconds', j.lease_seconds,
    'leasedUntil', j.leased_until, 'leaseToken', j.lease_token, 'lastError', j.last_error,
    'createdAt', j.created_at, 'updatedAt', j.updated_at, 'completedAt', j.completed_at)
$$;

drop function if exists job_enqueue(text, text, jsonb, timestamptz, integer, boolean);

/*
 * Enqueue with an idempotency key. One row per key:
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
  p_lease_seconds integer default null
) returns jsonb
language plpgsql as $$
declare
  j jobs;
  v_run_at timestamptz := coalesce(p_run_at, now());
begin
  insert into jobs (kind, key, payload, run_at, max_attempts, lease_seconds)
  values (p_kind, p_key, coalesce(p_payload, '{}'), v_run_at, coalesce(p_max_attempts, 8), p_lease_seconds)
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
           lease_seconds = coalesce(p_lease_seconds, lease_seconds), updated_at = now()
     where id = j.id returning * into j;
  end if;
  return jsonb_build_object('id', j.id, 'created', false, 'status', j.status, 'rearmed', j.rearm);
end
$$;

-- A job spec as the app builds it: {kind, key, payload, maxAttempts, repeatable, leaseSeconds, runAt?}.
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
    (p_job->>'leaseSeconds')::integer);
end
$$;

/*
 * Claims up to p_limit due jobs with a lease: the job's own lease length (its kind's), or
 * p_lease_seconds for rows enqueued without one. `for update skip locked` lets any number of
 * drainers run side by side without waiting on each other or taking the same row. A running job
 * whose lease expired (its drainer died) is due again; on its last attempt it is marked dead instead.
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
           leased_until = clock_timestamp() + make_interval(secs => coalesce(j.lease_seconds, p_lease_seconds)),
           updated_at = now()
      from due where j.id = due.id
    returning j.*
  )
  select coalesce(jsonb_agg(job_to_json(c) order by c.run_at, c.id), '[]') into v_claimed from claimed c;
  return v_claimed;
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
 * Records the messages a sync found and enqueues their analysis in the same transaction, so a
 * message is never recorded without its job. Idempotent on (mailbox, provider message id).
 * p_messages: [{id, providerMessageId, job}] — the id the row takes if it is new, and the analysis
 * job for it (built by the app from the job's definition).
 */
drop function if exists mailbox_record_messages(uuid, text[]);

create function mailbox_record_messages(p_mailbox_id uuid, p_messages jsonb)
returns jsonb
language plpgsql as $$
declare
  m mailboxes;
  v_item jsonb;
  v_new text[] := '{}';
begin
  select * into m from mailboxes where id = p_mailbox_id;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  for v_item in select * from jsonb_array_elements(coalesce(p_messages, '[]')) loop
    insert into messages (id, organization_id, mailbox_id, provider_message_id)
    values ((v_item->>'id')::uuid, m.organization_id, m.id, v_item->>'providerMessageId')
    on conflict (mailbox_id, provider_message_id) do nothing;
    if found then
      perform job_enqueue_spec(v_item->'job');
      v_new := v_new || (v_item->>'providerMessageId');
    end if;
  end loop;
  return jsonb_build_object('recorded', cardinality(v_new), 'newIds', to_jsonb(v_new));
end
$$;

-- Analyses held while a mailbox was cut off run as soon as it is reconnected, not an hour later.
drop function if exists mailbox_release_held(uuid);

create function mailbox_release_held(p_mailbox_id uuid, p_kind text) returns jsonb
language sql as $$
  with released as (
    update jobs j set run_at = now(), updated_at = now()
      from messages m
     where j.kind = p_kind and j.status = 'pending' and j.run_at > now()
       and m.mailbox_id = p_mailbox_id and m.status = 'pending'
       and j.payload->>'messageId' = m.id::text
    returning 1)
  select jsonb_build_object('released', count(*)) from released
$$;

/*
 * Queues an alert of any kind and its send job together. Reminders, escalations, digests and
 * notices use this; the unique (message, recipient, kind) or dedupe key makes a repeat a no-op.
 * The app chooses the alert's id, so it can build the send job (keyed by that id) beforehand.
 */
drop function if exists alert_queue(uuid, text, uuid, text, timestamptz, jsonb);

create function alert_queue(
  p_alert_id uuid,
  p_recipient_id uuid,
  p_kind text,
  p_job jsonb,
  p_message_id uuid default null,
  p_dedupe_key text default null,
  p_run_at timestamptz default null,
  p_rendered jsonb default null
) returns jsonb
language plpgsql as $$
declare
  a alerts;
  r recipients;
begin
  select * into r from recipients where id = p_recipient_id;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  insert into alerts (id, organization_id, message_id, recipient_id, kind, dedupe_key, rendered, hold_until)
  values (p_alert_id, r.organization_id, p_message_id, r.id, p_kind, p_dedupe_key, p_rendered, p_run_at)
  on conflict do nothing
  returning * into a;
  if not found then
    return jsonb_build_object('created', false);
  end if;
  perform job_enqueue_spec(p_job, p_run_at);
  return jsonb_build_object('created', true, 'alert', alert_to_json(a));
end
$$;

/*
 * A `failed` status webhook for a message Meta had accepted. 131047 (window closed): resend as the
 * approved template, once. Rate limits: resend at p_run_at. Bounded by the alert's attempts so a
 * vendor that keeps failing cannot loop. The send job (p_job) is re-armed in the same transaction.
 */
drop function if exists alert_reopen(uuid, boolean, timestamptz, integer);

create function alert_reopen(
  p_alert_id uuid,
  p_force_template boolean,
  p_job jsonb,
  p_run_at timestamptz default null,
  p_max_attempts integer default 5
) returns jsonb
language plpgsql as $$
declare
  a alerts;
begin
  update alerts set status = 'pending', wa_message_id = null, failed_at = null, hold_until = p_run_at,
         force_template = force_template or p_force_template
   where id = p_alert_id and status = 'failed' and attempts < p_max_attempts
     and (not p_force_template or not force_template)
  returning * into a;
  if not found then
    return jsonb_build_object('reopened', false);
  end if;
  perform job_enqueue_spec(p_job, p_run_at);
  insert into audit_log (organization_id, actor, action, target, details)
  values (a.organization_id, 'whatsapp', 'alert.resend', a.id::text,
          jsonb_build_object('forceTemplate', p_force_template, 'code', a.error_code));
  return jsonb_build_object('reopened', true, 'alert', alert_to_json(a));
end
$$;

/*
 * Critical alerts not read within their recipient's escalation delay, paired with each escalation
 * target who has no escalation for that message yet. The app queues one escalation alert per pair
 * (alert_queue; the unique (message, recipient, kind) makes a repeat a no-op).
 */
drop function if exists alert_schedule_escalations();

create function alert_escalations_due() returns jsonb
language sql stable as $$
  with due as (
    select distinct a.message_id, a.organization_id
      from alerts a
      join recipients r on r.id = a.recipient_id
      join messages m on m.id = a.message_id
     where a.kind = 'alert' and m.priority = 'critical' and m.handled_at is null
       and a.status in ('sent', 'delivered') and a.read_at is null
       and a.sent_at < now() - make_interval(mins => r.escalation_delay_minutes)
       and a.sent_at > now() - interval '2 days'
  )
  select coalesce(jsonb_agg(jsonb_build_object('messageId', d.message_id, 'recipientId', t.id)
                            order by d.message_id, t.id), '[]')
    from due d join recipients t on t.organization_id = d.organization_id
   where t.escalation_target and t.status = 'opted_in'
     and not exists (select 1 from alerts x where x.message_id = d.message_id and x.recipient_id = t.id
                        and (x.status = 'read' or x.kind = 'escalation'))
$$;

/*
 * Daily digests: the opted-in recipients whose local time has reached their digest hour and who
 * have not had today's digest queued, with their local date. The app enqueues each digest job
 * (keyed by recipient and date), then marks them with digest_mark_queued: a crash in between only
 * means the next minute enqueues the same key again, a no-op.
 */
drop function if exists digest_schedule();

create function digest_due() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('recipientId', r.id,
                                               'date', (now() at time zone r.timezone)::date) order by r.id), '[]')
    from recipients r
   where r.status = 'opted_in' and r.digest_enabled
     and extract(hour from (now() at time zone r.timezone)) >= r.digest_hour
     and (r.last_digest_on is null or r.last_digest_on < (now() at time zone r.timezone)::date)
$$;

create or replace function digest_mark_queued(p_recipient_id uuid, p_date date) returns jsonb
language sql as $$
  update recipients set last_digest_on = greatest(coalesce(last_digest_on, p_date), p_date)
   where id = p_recipient_id
  returning jsonb_build_object('ok', true)
$$;

select app_lockdown();
