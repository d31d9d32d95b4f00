-- 1. New work no longer pulls a job out of its retry backoff: a pending job with attempts > 0 is
--    waiting out a failure or a vendor's Retry-After (job_defer gives its attempt back), and a push
--    arriving meanwhile must not make it hit a throttled API at once. Its payload still merges.
-- 2. A repeatable job re-opened after it finished takes the new payload, not a merge with the old.
-- 3. Signing in with a second provider while signed in joins the current organization instead of
--    creating a new one ("connect Outlook" from the settings of a Gmail account).

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
           attempts = 0, last_error = null, rearm = false, completed_at = null, updated_at = now()
     where id = j.id returning * into j;
  end if;
  return jsonb_build_object('id', j.id, 'created', false, 'status', j.status, 'rearmed', j.rearm);
end
$$;

drop function if exists account_sign_in(text, text, text, text, text);

create or replace function account_sign_in(
  p_provider text,
  p_subject text,
  p_email text,
  p_name text default null,
  p_locale text default 'fr',
  p_join_organization_id uuid default null
) returns jsonb
language plpgsql as $$
declare
  u users;
  o organizations;
  v_created boolean := false;
begin
  select * into u from users where provider = p_provider and provider_subject = p_subject for update;
  if not found then
    if p_join_organization_id is not null then
      select * into o from organizations where id = p_join_organization_id;
      if not found then
        raise exception 'organization not found' using errcode = 'PT404';
      end if;
    else
      insert into organizations (name, locale)
      values (coalesce(nullif(trim(p_name), ''), split_part(p_email, '@', 2), 'FluxAsync'),
              case when p_locale in ('fr', 'en') then p_locale else 'fr' end)
      returning * into o;
      v_created := true;
    end if;
    insert into users (organization_id, email, name, provider, provider_subject, locale, role, last_sign_in_at)
    values (o.id, lower(p_email), p_name, p_provider, p_subject, o.locale,
            case when v_created then 'owner' else 'member' end, now())
    returning * into u;
    insert into audit_log (organization_id, actor, action, target)
    values (o.id, 'user:' || u.id, case when v_created then 'account.signed_up' else 'account.identity_linked' end, p_provider);
  else
    update users set last_sign_in_at = now(), email = lower(p_email), name = coalesce(p_name, name)
     where id = u.id returning * into u;
    select * into o from organizations where id = u.organization_id;
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (o.id, 'user:' || u.id, 'auth.signed_in', p_provider);
  return jsonb_build_object('created', v_created, 'userId', u.id, 'organizationId', o.id,
    'email', u.email, 'name', u.name, 'locale', u.locale, 'onboarded', o.onboarded_at is not null);
end
$$;

select app_lockdown();

-- Analyses held while a mailbox was cut off run as soon as it is reconnected, not an hour later.
create or replace function mailbox_release_held(p_mailbox_id uuid) returns jsonb
language sql as $$
  with released as (
    update jobs j set run_at = now(), updated_at = now()
      from messages m
     where j.kind = 'message.analyze' and j.status = 'pending' and j.run_at > now()
       and m.mailbox_id = p_mailbox_id and m.status = 'pending'
       and j.key = 'analyze:' || m.mailbox_id || ':' || m.provider_message_id
    returning 1)
  select jsonb_build_object('released', count(*)) from released
$$;

select app_lockdown();
