-- Organizations, their users and their sign-in sessions.

-- An organization's settings live on its row; the columns after created_at are those of later
-- domains (relationships, CRM, escalation, replies).
create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  timezone text not null default 'Africa/Abidjan',
  auto_label boolean not null default true,
  auto_mark_spam_read boolean not null default false,
  auto_archive_spam boolean not null default false,
  onboarded_at timestamptz,
  created_at timestamptz not null default now(),
  -- JWE (dir + A256GCM) of the organization's 32-byte relationship key; set once, never rotated
  -- (rotating it would forget every relationship), re-encrypted by `npm run keys:rotate`.
  relationship_key_ciphertext text,
  -- What the organization decided: above which open deal a contact is a key client, and from which
  -- priority an email is logged on the CRM record.
  crm_key_client_xof bigint not null default 10000000 check (crm_key_client_xof >= 0),
  crm_log_min_priority text not null default 'important'
    check (crm_log_min_priority in ('critical', 'important')),
  -- Whether the escalation targets (the designated managers) get a critical alert only once it stays
  -- unread and unhandled past the delay ('delayed'), or a copy at once ('immediate').
  escalation_copy text not null default 'delayed' check (escalation_copy in ('delayed', 'immediate')),
  -- The default reply templates are offered once: deleting every template does not bring them back.
  reply_defaults_seeded boolean not null default false,
  -- The limits of automatic replies that no rule lifts: one per sender per interval, a daily cap.
  auto_reply_interval_days smallint not null default 4 check (auto_reply_interval_days between 1 and 30),
  auto_reply_daily_cap smallint not null default 20 check (auto_reply_daily_cap between 1 and 200)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  email text not null,
  name text,
  provider text not null check (provider in ('google', 'microsoft', 'local')),
  provider_subject text not null,
  role text not null default 'owner' check (role in ('owner', 'member')),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  unique (provider, provider_subject)
);

create index users_organization_idx on users (organization_id);

-- Sessions that end: the signed cookie carries a session id, and a session is only as
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

create or replace function health_check() returns jsonb
language sql stable as $$
  select jsonb_build_object('database', 'ok', 'now', now())
$$;

create or replace function organization_to_json(o organizations) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', o.id, 'name', o.name, 'locale', o.locale, 'timezone', o.timezone,
    'autoLabel', o.auto_label, 'autoMarkSpamRead', o.auto_mark_spam_read, 'autoArchiveSpam', o.auto_archive_spam,
    'escalationCopy', o.escalation_copy,
    'onboardedAt', o.onboarded_at, 'createdAt', o.created_at)
$$;

/*
 * Sign-in and self-signup in one step: a known (provider, subject) signs in; an unknown one gets a
 * new organization with this user as its owner, or, with p_join_organization_id (signing in with a
 * second provider while signed in: "connect Outlook" from the settings of a Gmail account), joins
 * that organization as a member.
 */
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

-- The session's user, re-read on every request so a deleted account ends its sessions.
create or replace function session_user_get(p_user_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('userId', u.id, 'organizationId', u.organization_id, 'email', u.email,
    'name', u.name, 'locale', u.locale, 'role', u.role, 'organization', organization_to_json(o))
    from users u join organizations o on o.id = u.organization_id
   where u.id = p_user_id
$$;

create or replace function user_set_locale(p_user_id uuid, p_locale text) returns jsonb
language sql as $$
  update users set locale = p_locale where id = p_user_id and p_locale in ('fr', 'en')
  returning jsonb_build_object('locale', locale)
$$;

-- Settings › organization: only the fields given change; audited (without the name).
create or replace function organization_update(p_organization_id uuid, p_actor text, p_settings jsonb)
returns jsonb
language plpgsql as $$
declare
  o organizations;
begin
  update organizations set
    name = coalesce(p_settings->>'name', name),
    locale = coalesce(p_settings->>'locale', locale),
    timezone = coalesce(p_settings->>'timezone', timezone),
    auto_label = coalesce((p_settings->>'autoLabel')::boolean, auto_label),
    auto_mark_spam_read = coalesce((p_settings->>'autoMarkSpamRead')::boolean, auto_mark_spam_read),
    auto_archive_spam = coalesce((p_settings->>'autoArchiveSpam')::boolean, auto_archive_spam),
    escalation_copy = coalesce(p_settings->>'escalationCopy', escalation_copy),
    onboarded_at = case when (p_settings->>'onboarded')::boolean then coalesce(onboarded_at, now()) else onboarded_at end
  where id = p_organization_id
  returning * into o;
  if not found then
    raise exception 'organization not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, details)
  values (p_organization_id, p_actor, 'settings.updated', p_settings - 'name');
  return organization_to_json(o);
end
$$;

/*
 * Deletes an organization and everything it owns (cascades). The audit trail of the organization
 * goes too, except one record that the deletion happened. Security definer: the app role itself
 * has no delete right on the append-only audit log. Its search_path ends with pg_temp, so no
 * temporary object can shadow what it calls.
 */
create or replace function organization_delete(p_organization_id uuid, p_actor text) returns jsonb
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_found boolean;
begin
  delete from organizations where id = p_organization_id;
  v_found := found;
  if v_found then
    delete from audit_log where organization_id = p_organization_id;
    insert into audit_log (organization_id, actor, action)
    values (p_organization_id, p_actor, 'account.deleted');
  end if;
  return jsonb_build_object('deleted', v_found);
end
$$;

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
