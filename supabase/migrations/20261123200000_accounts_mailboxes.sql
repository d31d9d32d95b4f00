-- Organizations, users, sign-in and mailboxes.

create or replace function organization_to_json(o organizations) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', o.id, 'name', o.name, 'locale', o.locale, 'timezone', o.timezone,
    'autoLabel', o.auto_label, 'autoMarkSpamRead', o.auto_mark_spam_read, 'autoArchiveSpam', o.auto_archive_spam,
    'onboardedAt', o.onboarded_at, 'createdAt', o.created_at)
$$;

create or replace function mailbox_to_json(m mailboxes) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', m.id, 'organizationId', m.organization_id, 'userId', m.user_id,
    'provider', m.provider, 'address', m.address, 'status', m.status, 'cursor', m.cursor,
    'cursorUpdatedAt', m.cursor_updated_at, 'lastSyncedAt', m.last_synced_at, 'watch', m.watch,
    'watchExpiresAt', m.watch_expires_at, 'subscriptionId', m.subscription_id,
    'clientStateHash', m.client_state_hash, 'tokenExpiresAt', m.token_expires_at,
    'lastError', m.last_error, 'lastErrorAt', m.last_error_at, 'createdAt', m.created_at)
$$;

/*
 * Sign-in and self-signup in one step: a known (provider, subject) signs in; an unknown one gets
 * a new organization with this user as its owner.
 */
create or replace function account_sign_in(
  p_provider text,
  p_subject text,
  p_email text,
  p_name text default null,
  p_locale text default 'fr'
) returns jsonb
language plpgsql as $$
declare
  u users;
  o organizations;
  v_created boolean := false;
begin
  select * into u from users where provider = p_provider and provider_subject = p_subject for update;
  if not found then
    insert into organizations (name, locale)
    values (coalesce(nullif(trim(p_name), ''), split_part(p_email, '@', 2), 'FluxAsync'),
            case when p_locale in ('fr', 'en') then p_locale else 'fr' end)
    returning * into o;
    insert into users (organization_id, email, name, provider, provider_subject, locale, last_sign_in_at)
    values (o.id, lower(p_email), p_name, p_provider, p_subject, o.locale, now())
    returning * into u;
    v_created := true;
    insert into audit_log (organization_id, actor, action, target)
    values (o.id, 'user:' || u.id, 'account.signed_up', p_provider);
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

create or replace function organization_get(p_organization_id uuid) returns jsonb
language sql stable as $$
  select organization_to_json(o) from organizations o where o.id = p_organization_id
$$;

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
 * has no delete right on the append-only audit log.
 */
create or replace function organization_delete(p_organization_id uuid, p_actor text) returns jsonb
language plpgsql security definer set search_path = public as $$
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

/*
 * Connects (or reconnects) a mailbox. One live mailbox per provider address across all
 * organizations: push notifications name only the address, so it must map to one mailbox.
 */
create or replace function mailbox_connect(
  p_organization_id uuid,
  p_user_id uuid,
  p_provider text,
  p_address text,
  p_ciphertext text default null,
  p_token_expires_at timestamptz default null
) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  select * into m from mailboxes
   where provider = p_provider and lower(address) = lower(p_address) and status <> 'disconnected'
   for update;
  if found and m.organization_id <> p_organization_id then
    raise exception 'This mailbox is already connected to another FluxAsync account.' using errcode = 'PT409';
  end if;
  if found then
    update mailboxes set status = 'active', user_id = coalesce(p_user_id, user_id),
           token_ciphertext = coalesce(p_ciphertext, token_ciphertext),
           token_expires_at = coalesce(p_token_expires_at, token_expires_at),
           token_version = token_version + 1, last_error = null, last_error_at = null
     where id = m.id returning * into m;
  else
    insert into mailboxes (organization_id, user_id, provider, address, token_ciphertext, token_expires_at)
    values (p_organization_id, p_user_id, p_provider, lower(p_address), p_ciphertext, p_token_expires_at)
    returning * into m;
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, coalesce('user:' || p_user_id, 'system'), 'mailbox.connected', m.id::text);
  return mailbox_to_json(m);
end
$$;

create or replace function mailbox_get(p_mailbox_id uuid) returns jsonb
language sql stable as $$
  select mailbox_to_json(m) from mailboxes m where m.id = p_mailbox_id
$$;

create or replace function mailbox_find_by_address(p_provider text, p_address text) returns jsonb
language sql stable as $$
  select mailbox_to_json(m) from mailboxes m
   where m.provider = p_provider and lower(m.address) = lower(p_address) and m.status <> 'disconnected'
$$;

create or replace function mailbox_find_by_subscription(p_subscription_id text) returns jsonb
language sql stable as $$
  select mailbox_to_json(m) from mailboxes m
   where m.subscription_id = p_subscription_id and m.status <> 'disconnected'
$$;

create or replace function mailbox_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m) order by m.created_at), '[]')
    from mailboxes m where m.organization_id = p_organization_id and m.status <> 'disconnected'
$$;

-- Mailboxes the crons look after (poll, renew).
create or replace function mailbox_list_active(p_provider text default null) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(mailbox_to_json(m) order by m.id), '[]')
    from mailboxes m where m.status = 'active' and (p_provider is null or m.provider = p_provider)
$$;

-- Records the push registration; the first one also gives the start cursor.
create or replace function mailbox_set_watch(
  p_mailbox_id uuid,
  p_watch jsonb,
  p_expires_at timestamptz,
  p_subscription_id text default null,
  p_client_state_hash text default null,
  p_start_cursor text default null
) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  update mailboxes set watch = p_watch, watch_expires_at = p_expires_at,
         subscription_id = coalesce(p_subscription_id, subscription_id),
         client_state_hash = coalesce(p_client_state_hash, client_state_hash),
         cursor = coalesce(cursor, p_start_cursor),
         cursor_updated_at = case when cursor is null and p_start_cursor is not null then now() else cursor_updated_at end
   where id = p_mailbox_id returning * into m;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  return mailbox_to_json(m);
end
$$;

/*
 * Records the messages a sync found and enqueues their analysis in the same transaction, so a
 * message is never recorded without its job. Idempotent on (mailbox, provider message id).
 */
create or replace function mailbox_record_messages(p_mailbox_id uuid, p_provider_message_ids text[])
returns jsonb
language plpgsql as $$
declare
  m mailboxes;
  v_new text[];
begin
  select * into m from mailboxes where id = p_mailbox_id;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  with ins as (
    insert into messages (organization_id, mailbox_id, provider_message_id)
    select m.organization_id, m.id, pid from unnest(p_provider_message_ids) as pid
    on conflict (mailbox_id, provider_message_id) do nothing
    returning id, provider_message_id
  ), jobs_added as (
    insert into jobs (kind, key, payload)
    select 'message.analyze', 'analyze:' || m.id || ':' || ins.provider_message_id,
           jsonb_build_object('messageId', ins.id)
      from ins
    on conflict (key) do nothing
    returning 1
  )
  select coalesce(array_agg(provider_message_id), '{}') into v_new from ins;
  return jsonb_build_object('recorded', cardinality(v_new), 'newIds', to_jsonb(v_new));
end
$$;

/*
 * Moves the cursor forward only from the value the sync started with: a slower, older sync can
 * never move it back over messages a newer one already covered.
 */
create or replace function mailbox_advance_cursor(p_mailbox_id uuid, p_cursor text, p_expected text)
returns jsonb
language plpgsql as $$
begin
  update mailboxes set cursor = p_cursor, cursor_updated_at = now(), last_synced_at = now(),
         last_error = null, last_error_at = null
   where id = p_mailbox_id and cursor is not distinct from p_expected;
  if found then
    return jsonb_build_object('advanced', true);
  end if;
  update mailboxes set last_synced_at = now() where id = p_mailbox_id;
  return jsonb_build_object('advanced', false);
end
$$;

create or replace function mailbox_record_error(p_mailbox_id uuid, p_error text) returns jsonb
language sql as $$
  update mailboxes set last_error = left(p_error, 500), last_error_at = now() where id = p_mailbox_id
  returning jsonb_build_object('ok', true)
$$;

-- Access revoked or expired: stop working on the mailbox until the owner reconnects it.
create or replace function mailbox_require_reconnect(p_mailbox_id uuid, p_reason text) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
  v_changed boolean;
begin
  update mailboxes set status = 'reconnect_required', last_error = left(p_reason, 500), last_error_at = now()
   where id = p_mailbox_id and status = 'active' returning * into m;
  v_changed := found;
  if v_changed then
    insert into audit_log (organization_id, actor, action, target, details)
    values (m.organization_id, 'system', 'mailbox.reconnect_required', m.id::text,
            jsonb_build_object('reason', left(p_reason, 200)));
  end if;
  return jsonb_build_object('changed', v_changed);
end
$$;

create or replace function mailbox_disconnect(p_organization_id uuid, p_mailbox_id uuid, p_actor text) returns jsonb
language plpgsql as $$
declare
  m mailboxes;
begin
  update mailboxes set status = 'disconnected', token_ciphertext = null, watch = null,
         watch_expires_at = null, subscription_id = null, client_state_hash = null
   where id = p_mailbox_id and organization_id = p_organization_id
  returning * into m;
  if not found then
    raise exception 'mailbox not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'mailbox.disconnected', m.id::text);
  return mailbox_to_json(m);
end
$$;

select app_lockdown();
