-- Sessions that end (issue #13): the signed cookie carries a session id, and a session is only as
-- good as its row here. Logout revokes it, "sign out of all devices" revokes every session of the
-- user, and an active session is rotated (a new id, the old one kept for a short grace so requests
-- already in flight with it do not fail) — a stolen cookie stops working once the owner moves on.

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  -- The session that replaced this one at rotation.
  replaced_by uuid references sessions (id) on delete set null,
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in ('signed_out', 'signed_out_everywhere', 'signed_in_again'))
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;
alter table sessions enable row level security;

create or replace function session_start(p_user_id uuid, p_organization_id uuid, p_days integer) returns jsonb
language plpgsql as $$
declare
  s sessions;
begin
  if not exists (select 1 from users where id = p_user_id and organization_id = p_organization_id) then
    raise exception 'user not found' using errcode = 'PT404';
  end if;
  -- Expired and revoked rows are of no further use: a user's table stays small.
  delete from sessions where user_id = p_user_id and (expires_at < now() - interval '1 day' or revoked_at < now() - interval '1 day');
  insert into sessions (user_id, organization_id, expires_at)
  values (p_user_id, p_organization_id, now() + make_interval(days => p_days))
  returning * into s;
  return jsonb_build_object('sessionId', s.id, 'expiresAt', s.expires_at);
end
$$;

/*
 * The signed-in user of a live session (not revoked, not expired, user still in that
 * organization), with `rotateDue` once the session is older than p_rotate_after_seconds; null
 * otherwise. Read on every request, so revocation takes effect on the next one.
 */
create or replace function session_resolve(p_session_id uuid, p_rotate_after_seconds integer) returns jsonb
language sql stable as $$
  select jsonb_build_object('userId', u.id, 'organizationId', u.organization_id, 'email', u.email,
    'name', u.name, 'locale', u.locale, 'role', u.role, 'organization', organization_to_json(o),
    'sessionId', s.id,
    'rotateDue', s.replaced_by is null and s.created_at < now() - make_interval(secs => p_rotate_after_seconds))
    from sessions s
    join users u on u.id = s.user_id and u.organization_id = s.organization_id
    join organizations o on o.id = u.organization_id
   where s.id = p_session_id and s.revoked_at is null and s.expires_at > now()
$$;

/*
 * Replaces a live session with a new one. The old id stays valid for 2 minutes (requests already
 * sent with it), then ends. Rotating twice (two tabs at once) returns the same successor.
 */
create or replace function session_rotate(p_session_id uuid, p_days integer) returns jsonb
language plpgsql as $$
declare
  s sessions;
  n sessions;
begin
  select * into s from sessions where id = p_session_id and revoked_at is null and expires_at > now() for update;
  if not found then
    raise exception 'session ended' using errcode = 'PT401';
  end if;
  if s.replaced_by is not null then
    select * into n from sessions where id = s.replaced_by and revoked_at is null and expires_at > now();
    if found then
      return jsonb_build_object('sessionId', n.id, 'expiresAt', n.expires_at);
    end if;
    raise exception 'session ended' using errcode = 'PT401';
  end if;
  insert into sessions (user_id, organization_id, expires_at)
  values (s.user_id, s.organization_id, now() + make_interval(days => p_days))
  returning * into n;
  update sessions set replaced_by = n.id, expires_at = least(expires_at, now() + interval '2 minutes')
   where id = s.id;
  return jsonb_build_object('sessionId', n.id, 'expiresAt', n.expires_at);
end
$$;

/*
 * Logout: the session and whatever rotation made of it end now. With p_everywhere every session
 * of its user ends (all devices). Audited; an unknown or ended session is a no-op.
 */
create or replace function session_revoke(p_session_id uuid, p_everywhere boolean default false) returns jsonb
language plpgsql as $$
declare
  s sessions;
  v_count integer;
begin
  select * into s from sessions where id = p_session_id;
  if not found then
    return jsonb_build_object('revoked', 0);
  end if;
  if p_everywhere then
    update sessions set revoked_at = now(), revoked_reason = 'signed_out_everywhere'
     where user_id = s.user_id and revoked_at is null;
  else
    with recursive chain as (
      select id, replaced_by from sessions where id = s.id
      union
      select x.id, x.replaced_by from sessions x join chain c on x.id = c.replaced_by
    )
    update sessions set revoked_at = now(), revoked_reason = 'signed_out'
     where id in (select id from chain) and revoked_at is null;
  end if;
  get diagnostics v_count = row_count;
  insert into audit_log (organization_id, actor, action, details)
  values (s.organization_id, 'user:' || s.user_id,
          case when p_everywhere then 'auth.signed_out_everywhere' else 'auth.signed_out' end,
          jsonb_build_object('sessions', v_count));
  return jsonb_build_object('revoked', v_count);
end
$$;

-- A sign-in from a browser that still held a session replaces it (no fixation, no stale session).
create or replace function session_replace(p_session_id uuid) returns jsonb
language sql as $$
  with ended as (
    update sessions set revoked_at = now(), revoked_reason = 'signed_in_again'
     where id = p_session_id and revoked_at is null returning 1)
  select jsonb_build_object('revoked', (select count(*) from ended))
$$;

-- Every security-definer function pins its search_path with pg_temp last, so no temporary object
-- can shadow what it calls (https://www.postgresql.org/docs/current/sql-createfunction.html).
alter function organization_delete(uuid, text) set search_path = public, pg_temp;

select app_lockdown();
