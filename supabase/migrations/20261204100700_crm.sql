-- CRM both ways (HubSpot, Zoho CRM, and the local demo CRM). In: contacts and open deals, kept as
-- keyed hashes of e-mail addresses and domains (the organization's relationship key) plus the few
-- display names the email page shows (company, deal, owner); no contact name, no e-mail address,
-- no phone. Out: one note and one task per email, remembered with the CRM's ids (idempotency).

-- One live connection per organization. Tokens are JWE (the vault), like mailbox tokens.
create table crm_connections (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  provider text not null check (provider in ('hubspot', 'zoho', 'demo')),
  status text not null default 'active' check (status in ('active', 'reconnect_required', 'disconnected')),
  -- The CRM account: HubSpot hub id / Zoho org id, a label to show, where its records open.
  account_id text,
  account_label text,
  web_base text,
  token_ciphertext text,
  token_version integer not null default 0,
  token_expires_at timestamptz,
  -- Resumable sync: {phase, after, generation}; the generation marks what one full pass saw.
  sync_cursor jsonb,
  sync_state text not null default 'pending' check (sync_state in ('pending', 'syncing', 'current', 'failed')),
  sync_generation integer not null default 0,
  last_synced_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  contacts_count integer not null default 0,
  deals_count integer not null default 0,
  connected_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index crm_connections_one_live on crm_connections (organization_id) where status <> 'disconnected';

create table crm_contacts (
  connection_id uuid not null references crm_connections (id) on delete cascade,
  remote_id text not null check (length(remote_id) between 1 and 100),
  owner_id text,
  lifecycle text check (lifecycle in ('subscriber', 'lead', 'opportunity', 'customer', 'other')),
  company_id text,
  company_name text check (length(company_name) <= 200),
  generation integer not null,
  primary key (connection_id, remote_id)
);

-- A contact's e-mail addresses and (company) domains, hashed under the organization's key.
create table crm_contact_keys (
  connection_id uuid not null,
  kind text not null check (kind in ('address', 'domain')),
  hash text not null check (length(hash) between 16 and 64),
  remote_id text not null,
  primary key (connection_id, kind, hash, remote_id),
  foreign key (connection_id, remote_id) references crm_contacts (connection_id, remote_id) on delete cascade
);

create table crm_deals (
  connection_id uuid not null references crm_connections (id) on delete cascade,
  remote_id text not null check (length(remote_id) between 1 and 100),
  name text check (length(name) <= 200),
  amount numeric,
  currency text check (currency ~ '^[A-Z]{3}$'),
  -- The amount in XOF (the organization's currency) for the key-client threshold; null when the
  -- currency has no rate we know.
  amount_xof bigint,
  stage text check (length(stage) <= 100),
  close_date date,
  owner_id text,
  company_id text,
  contact_ids text[] not null default '{}',
  generation integer not null,
  primary key (connection_id, remote_id)
);

create index crm_deals_company on crm_deals (connection_id, company_id);

create table crm_owners (
  connection_id uuid not null references crm_connections (id) on delete cascade,
  remote_id text not null,
  name text check (length(name) <= 200),
  generation integer not null,
  primary key (connection_id, remote_id)
);

-- What was written to the CRM for one email: a note and a task, each with the CRM's id once known.
-- A row without remote_id is an attempt under way (begun before the call, completed after it).
create table crm_logs (
  message_id uuid not null references messages (id) on delete cascade,
  connection_id uuid not null references crm_connections (id) on delete cascade,
  kind text not null check (kind in ('note', 'task')),
  remote_id text,
  attempted_at timestamptz not null default now(),
  logged_at timestamptz,
  primary key (message_id, connection_id, kind)
);

-- The demo CRM of local mode: a few contacts and deals the user edits in the app. This is the
-- "CRM" itself (like HubSpot's database), reached only through the CRM interface, so it keeps
-- what a CRM keeps.
create table demo_crm_contacts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  email text not null check (email like '%@%' and length(email) <= 254),
  name text not null check (length(name) between 1 and 200),
  company text check (length(company) <= 200),
  owner_name text check (length(owner_name) <= 200),
  lifecycle text not null default 'customer' check (lifecycle in ('subscriber', 'lead', 'opportunity', 'customer', 'other')),
  updated_at timestamptz not null default now(),
  unique (organization_id, email)
);

create table demo_crm_deals (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  contact_id uuid not null references demo_crm_contacts (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  amount_xof bigint not null check (amount_xof >= 0),
  stage text not null default 'negotiation' check (stage in ('qualification', 'proposal', 'negotiation', 'won', 'lost')),
  close_date date,
  updated_at timestamptz not null default now()
);

create table demo_crm_activities (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  contact_id uuid references demo_crm_contacts (id) on delete set null,
  deal_id uuid references demo_crm_deals (id) on delete set null,
  kind text not null check (kind in ('note', 'task')),
  subject text not null check (length(subject) <= 300),
  body text not null check (length(body) <= 4000),
  due_at timestamptz,
  owner_name text,
  -- The caller's key: the same activity asked twice is one activity.
  idempotency_key text not null,
  created_at timestamptz not null default now(),
  unique (organization_id, idempotency_key)
);

create or replace function crm_connection_to_json(c crm_connections) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', c.id, 'organizationId', c.organization_id, 'provider', c.provider, 'status', c.status,
    'accountId', c.account_id, 'accountLabel', c.account_label, 'webBase', c.web_base,
    'tokenExpiresAt', c.token_expires_at, 'syncState', c.sync_state, 'syncCursor', c.sync_cursor,
    'syncGeneration', c.sync_generation, 'lastSyncedAt', c.last_synced_at, 'lastError', c.last_error,
    'lastErrorAt', c.last_error_at, 'contactsCount', c.contacts_count, 'dealsCount', c.deals_count,
    'createdAt', c.created_at)
$$;

/*
 * Connects a CRM: the organization's live connection of another provider (or of the same one) is
 * disconnected first, its data forgotten; the same account reconnected keeps its row and data.
 */
create or replace function crm_connect(
  p_organization_id uuid,
  p_provider text,
  p_account_id text,
  p_account_label text,
  p_web_base text,
  p_ciphertext text,
  p_expires_at timestamptz,
  p_actor uuid
) returns jsonb
language plpgsql as $$
declare
  c crm_connections;
begin
  select * into c from crm_connections
   where organization_id = p_organization_id and status <> 'disconnected' for update;
  if found and (c.provider <> p_provider or coalesce(c.account_id, '') <> coalesce(p_account_id, '')) then
    perform crm_disconnect(p_organization_id, c.id, 'user:' || coalesce(p_actor::text, 'unknown'));
    c := null;
  end if;
  if c.id is null then
    insert into crm_connections (organization_id, provider, account_id, account_label, web_base,
                                 token_ciphertext, token_expires_at, connected_by)
    values (p_organization_id, p_provider, p_account_id, left(p_account_label, 200), p_web_base,
            p_ciphertext, p_expires_at, p_actor)
    returning * into c;
  else
    update crm_connections set status = 'active', account_label = left(p_account_label, 200),
           web_base = p_web_base, token_ciphertext = p_ciphertext, token_expires_at = p_expires_at,
           token_version = token_version + 1, last_error = null, last_error_at = null, updated_at = now()
     where id = c.id returning * into c;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, 'user:' || coalesce(p_actor::text, 'unknown'), 'crm.connect', c.id::text,
          jsonb_build_object('provider', p_provider));
  return crm_connection_to_json(c);
end
$$;

-- Disconnecting forgets everything read from the CRM (hashes, names, what was logged).
create or replace function crm_disconnect(p_organization_id uuid, p_connection_id uuid, p_actor text)
returns jsonb
language plpgsql as $$
declare
  c crm_connections;
begin
  update crm_connections
     set status = 'disconnected', token_ciphertext = null, token_expires_at = null, sync_cursor = null,
         sync_state = 'pending', contacts_count = 0, deals_count = 0, updated_at = now()
   where id = p_connection_id and organization_id = p_organization_id and status <> 'disconnected'
  returning * into c;
  if not found then
    raise exception 'CRM connection not found' using errcode = 'PT404';
  end if;
  delete from crm_contacts where connection_id = c.id;
  delete from crm_deals where connection_id = c.id;
  delete from crm_owners where connection_id = c.id;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'crm.disconnect', c.id::text, jsonb_build_object('provider', c.provider));
  return crm_connection_to_json(c);
end
$$;

create or replace function crm_connection_get(p_connection_id uuid) returns jsonb
language sql stable as $$
  select crm_connection_to_json(c) || jsonb_build_object(
           'tokens', case when c.token_ciphertext is null then null else jsonb_build_object(
             'ciphertext', c.token_ciphertext, 'version', c.token_version, 'status', c.status) end)
    from crm_connections c where c.id = p_connection_id
$$;

-- The organization's live connection and its settings, for Settings (null: none).
create or replace function crm_status(p_organization_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'keyClientXof', o.crm_key_client_xof, 'logMinPriority', o.crm_log_min_priority,
    'connection', (select crm_connection_to_json(c) from crm_connections c
                    where c.organization_id = o.id and c.status <> 'disconnected'),
    'logged', (select count(*) from crm_logs l join crm_connections c on c.id = l.connection_id
                where c.organization_id = o.id and c.status <> 'disconnected' and l.remote_id is not null))
    from organizations o where o.id = p_organization_id
$$;

create or replace function crm_save_settings(
  p_organization_id uuid, p_key_client_xof bigint, p_log_min_priority text, p_actor text
) returns jsonb
language plpgsql as $$
begin
  if p_key_client_xof is null or p_key_client_xof < 0 or p_key_client_xof > 1000000000000 then
    raise exception 'the key-client threshold must be between 0 and 1,000 billion FCFA' using errcode = 'PT400';
  end if;
  if p_log_min_priority not in ('critical', 'important') then
    raise exception 'unknown priority' using errcode = 'PT400';
  end if;
  update organizations set crm_key_client_xof = p_key_client_xof, crm_log_min_priority = p_log_min_priority
   where id = p_organization_id;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'crm.settings', p_organization_id::text,
          jsonb_build_object('keyClientXof', p_key_client_xof, 'logMinPriority', p_log_min_priority));
  return crm_status(p_organization_id);
end
$$;

-- Compare-and-set token write (two workers refreshing at once: the loser re-reads the winner's).
create or replace function crm_token_store(
  p_connection_id uuid, p_ciphertext text, p_expires_at timestamptz, p_expected_version integer
) returns jsonb
language plpgsql as $$
declare
  v_version integer;
begin
  if p_ciphertext is null or p_ciphertext !~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' then
    raise exception 'token must be stored as compact JWE' using errcode = 'PT422';
  end if;
  update crm_connections
     set token_ciphertext = p_ciphertext, token_expires_at = p_expires_at, token_version = token_version + 1,
         updated_at = now()
   where id = p_connection_id and token_version = p_expected_version and status <> 'disconnected'
  returning token_version into v_version;
  if found then
    return jsonb_build_object('stored', true, 'version', v_version);
  end if;
  return jsonb_build_object('stored', false,
    'version', (select token_version from crm_connections where id = p_connection_id));
end
$$;

-- Access is gone (revoked, consent withdrawn): Settings asks to reconnect. Returns whether it changed.
create or replace function crm_require_reconnect(p_connection_id uuid, p_error text) returns jsonb
language plpgsql as $$
declare
  c crm_connections;
begin
  update crm_connections set status = 'reconnect_required', last_error = left(p_error, 500),
         last_error_at = now(), updated_at = now()
   where id = p_connection_id and status = 'active'
  returning * into c;
  if found then
    insert into audit_log (organization_id, actor, action, target, details)
    values (c.organization_id, 'crm', 'crm.reconnect_required', c.id::text,
            jsonb_build_object('provider', c.provider));
  end if;
  return jsonb_build_object('changed', found);
end
$$;

/*
 * One page of a sync: contacts ({remoteId, ownerId, lifecycle, companyId, companyName,
 * keys: [{kind, hash}]}), deals or owners, stamped with the pass's generation, and the cursor to
 * resume from. A contact's keys are replaced (an address removed in the CRM is forgotten).
 */
create or replace function crm_sync_page(
  p_connection_id uuid,
  p_generation integer,
  p_cursor jsonb,
  p_contacts jsonb default '[]',
  p_deals jsonb default '[]',
  p_owners jsonb default '[]'
) returns jsonb
language plpgsql as $$
declare
  v jsonb;
begin
  perform 1 from crm_connections where id = p_connection_id and status <> 'disconnected' for update;
  if not found then
    return jsonb_build_object('ok', false);
  end if;
  for v in select value from jsonb_array_elements(coalesce(p_contacts, '[]')) loop
    insert into crm_contacts as c (connection_id, remote_id, owner_id, lifecycle, company_id, company_name, generation)
    values (p_connection_id, v->>'remoteId', v->>'ownerId', v->>'lifecycle', v->>'companyId',
            left(v->>'companyName', 200), p_generation)
    on conflict (connection_id, remote_id) do update
      set owner_id = excluded.owner_id, lifecycle = excluded.lifecycle, company_id = excluded.company_id,
          company_name = excluded.company_name, generation = excluded.generation;
    delete from crm_contact_keys where connection_id = p_connection_id and remote_id = v->>'remoteId';
    insert into crm_contact_keys (connection_id, kind, hash, remote_id)
    select distinct p_connection_id, k->>'kind', k->>'hash', v->>'remoteId'
      from jsonb_array_elements(coalesce(v->'keys', '[]')) k
    on conflict do nothing;
  end loop;
  for v in select value from jsonb_array_elements(coalesce(p_deals, '[]')) loop
    insert into crm_deals as d (connection_id, remote_id, name, amount, currency, amount_xof, stage, close_date,
                                owner_id, company_id, contact_ids, generation)
    values (p_connection_id, v->>'remoteId', left(v->>'name', 200), (v->>'amount')::numeric, v->>'currency',
            (v->>'amountXof')::bigint, left(v->>'stage', 100), (v->>'closeDate')::date, v->>'ownerId',
            v->>'companyId', array(select jsonb_array_elements_text(coalesce(v->'contactIds', '[]'))), p_generation)
    on conflict (connection_id, remote_id) do update
      set name = excluded.name, amount = excluded.amount, currency = excluded.currency,
          amount_xof = excluded.amount_xof, stage = excluded.stage, close_date = excluded.close_date,
          owner_id = excluded.owner_id, company_id = excluded.company_id, contact_ids = excluded.contact_ids,
          generation = excluded.generation;
  end loop;
  for v in select value from jsonb_array_elements(coalesce(p_owners, '[]')) loop
    insert into crm_owners as o (connection_id, remote_id, name, generation)
    values (p_connection_id, v->>'remoteId', left(v->>'name', 200), p_generation)
    on conflict (connection_id, remote_id) do update set name = excluded.name, generation = excluded.generation;
  end loop;
  update crm_connections set sync_cursor = p_cursor, sync_state = 'syncing', updated_at = now()
   where id = p_connection_id;
  return jsonb_build_object('ok', true);
end
$$;

-- Starts a full pass: a new generation (only rows it sees survive its end).
create or replace function crm_sync_begin(p_connection_id uuid) returns jsonb
language sql as $$
  update crm_connections set sync_generation = sync_generation + 1, sync_state = 'syncing',
         sync_cursor = jsonb_build_object('phase', 'owners', 'after', null, 'generation', sync_generation + 1),
         updated_at = now()
   where id = p_connection_id and status = 'active'
  returning sync_cursor
$$;

-- Ends a full pass: what the CRM no longer has (deleted, closed, archived) is forgotten.
create or replace function crm_sync_finish(p_connection_id uuid, p_generation integer) returns jsonb
language plpgsql as $$
declare
  c crm_connections;
begin
  delete from crm_contacts where connection_id = p_connection_id and generation < p_generation;
  delete from crm_deals where connection_id = p_connection_id and generation < p_generation;
  delete from crm_owners where connection_id = p_connection_id and generation < p_generation;
  update crm_connections
     set sync_state = 'current', sync_cursor = null, last_synced_at = now(), last_error = null,
         last_error_at = null, updated_at = now(),
         contacts_count = (select count(*) from crm_contacts where connection_id = p_connection_id),
         deals_count = (select count(*) from crm_deals where connection_id = p_connection_id)
   where id = p_connection_id and sync_generation = p_generation
  returning * into c;
  return jsonb_build_object('finished', found, 'contacts', c.contacts_count, 'deals', c.deals_count);
end
$$;

create or replace function crm_sync_error(p_connection_id uuid, p_error text) returns jsonb
language sql as $$
  update crm_connections set last_error = left(p_error, 500), last_error_at = now(), updated_at = now()
   where id = p_connection_id
  returning jsonb_build_object('ok', true)
$$;

/*
 * What the CRM knows of one sender, by the hashes of its address and organizational domain: the
 * contact (not a newsletter subscriber), its owner, company, and its largest open deal (its own or
 * its company's), with the display names the email page shows. Null when it is no contact.
 */
create or replace function crm_contact_card(p_organization_id uuid, p_address_hash text) returns jsonb
language sql stable as $$
  with conn as (
    select * from crm_connections
     where organization_id = p_organization_id and status <> 'disconnected'
  ), contact as (
    select c.* from crm_contacts c
      join crm_contact_keys k on k.connection_id = c.connection_id and k.remote_id = c.remote_id
      join conn on conn.id = c.connection_id
     where k.kind = 'address' and k.hash = p_address_hash and coalesce(c.lifecycle, '') <> 'subscriber'
     order by c.remote_id limit 1
  ), deal as (
    select d.* from crm_deals d, contact c
     where d.connection_id = c.connection_id
       and (c.remote_id = any (d.contact_ids) or (c.company_id is not null and d.company_id = c.company_id))
     order by d.amount_xof desc nulls last, d.remote_id limit 1
  )
  select jsonb_build_object(
    'connectionId', conn.id, 'provider', conn.provider, 'webBase', conn.web_base,
    'contactId', c.remote_id, 'companyId', c.company_id, 'companyName', c.company_name,
    'lifecycle', c.lifecycle, 'ownerId', c.owner_id,
    'ownerName', (select o.name from crm_owners o where o.connection_id = c.connection_id and o.remote_id = c.owner_id),
    'deal', (select jsonb_build_object('id', d.remote_id, 'name', d.name, 'amount', d.amount,
                                       'currency', d.currency, 'amountXof', d.amount_xof, 'stage', d.stage,
                                       'closeDate', d.close_date, 'ownerId', d.owner_id) from deal d),
    'keyClientXof', (select crm_key_client_xof from organizations where id = p_organization_id))
    from contact c, conn
$$;

-- What crm.log needs: the message's metadata and analysis (never a body: there is none), the
-- organization's language, the connection and its tokens, and what was already logged.
create or replace function crm_log_context(p_message_id uuid, p_connection_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'locale', o.locale, 'timezone', o.timezone,
    'connection', crm_connection_get(c.id),
    'logged', coalesce((select jsonb_object_agg(l.kind, jsonb_build_object('remoteId', l.remote_id,
                                                                          'attemptedAt', l.attempted_at))
                          from crm_logs l where l.message_id = m.id and l.connection_id = c.id), '{}'))
    from messages m
    join organizations o on o.id = m.organization_id
    join crm_connections c on c.id = p_connection_id and c.organization_id = m.organization_id
   where m.id = p_message_id
$$;

-- Before a CRM write: the attempt is recorded (a retry then knows a write may have happened).
create or replace function crm_log_begin(p_message_id uuid, p_connection_id uuid, p_kind text) returns jsonb
language sql as $$
  insert into crm_logs as l (message_id, connection_id, kind) values (p_message_id, p_connection_id, p_kind)
  on conflict (message_id, connection_id, kind) do update set attempted_at = now()
  returning jsonb_build_object('remoteId', l.remote_id)
$$;

create or replace function crm_log_done(p_message_id uuid, p_connection_id uuid, p_kind text, p_remote_id text)
returns jsonb
language sql as $$
  update crm_logs set remote_id = p_remote_id, logged_at = now()
   where message_id = p_message_id and connection_id = p_connection_id and kind = p_kind
  returning jsonb_build_object('ok', true)
$$;

-- What was logged for one email (the email page's CRM line).
create or replace function crm_message_logs(p_organization_id uuid, p_message_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('kind', l.kind, 'remoteId', l.remote_id, 'loggedAt', l.logged_at,
                                               'provider', c.provider, 'webBase', c.web_base)
                            order by l.kind), '[]')
    from crm_logs l
    join crm_connections c on c.id = l.connection_id
    join messages m on m.id = l.message_id
   where l.message_id = p_message_id and m.organization_id = p_organization_id and l.remote_id is not null
$$;

-- The demo CRM's own operations (local mode): what the CRM interface reads and writes, and what
-- the Settings page edits. Every function is scoped to one organization.
create or replace function demo_crm_contact_to_json(c demo_crm_contacts) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', c.id, 'email', c.email, 'name', c.name, 'company', c.company,
                            'ownerName', c.owner_name, 'lifecycle', c.lifecycle, 'updatedAt', c.updated_at)
$$;

create or replace function demo_crm_deal_to_json(d demo_crm_deals) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', d.id, 'contactId', d.contact_id, 'name', d.name, 'amountXof', d.amount_xof,
                            'stage', d.stage, 'closeDate', d.close_date, 'updatedAt', d.updated_at)
$$;

-- One page of contacts or deals in id order (p_after: the last id of the previous page).
create or replace function demo_crm_page(p_organization_id uuid, p_object text, p_after uuid, p_limit integer)
returns jsonb
language plpgsql stable as $$
declare
  v jsonb;
begin
  if p_object = 'contacts' then
    select coalesce(jsonb_agg(demo_crm_contact_to_json(c) order by c.id), '[]') into v
      from (select * from demo_crm_contacts
             where organization_id = p_organization_id and (p_after is null or id > p_after)
             order by id limit greatest(p_limit, 1)) c;
  elsif p_object = 'deals' then
    select coalesce(jsonb_agg(demo_crm_deal_to_json(d) order by d.id), '[]') into v
      from (select * from demo_crm_deals
             where organization_id = p_organization_id and (p_after is null or id > p_after)
             order by id limit greatest(p_limit, 1)) d;
  else
    raise exception 'unknown demo CRM object %', p_object using errcode = 'PT400';
  end if;
  return v;
end
$$;

create or replace function demo_crm_list(p_organization_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'contacts', coalesce((select jsonb_agg(demo_crm_contact_to_json(c) order by c.company, c.name)
                            from demo_crm_contacts c where c.organization_id = p_organization_id), '[]'),
    'deals', coalesce((select jsonb_agg(demo_crm_deal_to_json(d) order by d.amount_xof desc)
                         from demo_crm_deals d where d.organization_id = p_organization_id), '[]'),
    'activities', coalesce((select jsonb_agg(jsonb_build_object(
                              'id', a.id, 'kind', a.kind, 'subject', a.subject, 'body', a.body, 'dueAt', a.due_at,
                              'ownerName', a.owner_name, 'contactId', a.contact_id, 'dealId', a.deal_id,
                              'createdAt', a.created_at) order by a.created_at desc)
                              from (select * from demo_crm_activities where organization_id = p_organization_id
                                     order by created_at desc limit 50) a), '[]'))
$$;

create or replace function demo_crm_save_contact(
  p_organization_id uuid, p_id uuid, p_email text, p_name text, p_company text, p_owner_name text,
  p_lifecycle text
) returns jsonb
language plpgsql as $$
declare
  c demo_crm_contacts;
begin
  if p_id is null then
    insert into demo_crm_contacts (organization_id, email, name, company, owner_name, lifecycle)
    values (p_organization_id, lower(trim(p_email)), trim(p_name), nullif(trim(p_company), ''),
            nullif(trim(p_owner_name), ''), coalesce(p_lifecycle, 'customer'))
    returning * into c;
  else
    update demo_crm_contacts
       set email = lower(trim(p_email)), name = trim(p_name), company = nullif(trim(p_company), ''),
           owner_name = nullif(trim(p_owner_name), ''), lifecycle = coalesce(p_lifecycle, lifecycle),
           updated_at = now()
     where id = p_id and organization_id = p_organization_id
    returning * into c;
    if not found then
      raise exception 'contact not found' using errcode = 'PT404';
    end if;
  end if;
  return demo_crm_contact_to_json(c);
end
$$;

create or replace function demo_crm_save_deal(
  p_organization_id uuid, p_id uuid, p_contact_id uuid, p_name text, p_amount_xof bigint, p_stage text,
  p_close_date date
) returns jsonb
language plpgsql as $$
declare
  d demo_crm_deals;
begin
  perform 1 from demo_crm_contacts where id = p_contact_id and organization_id = p_organization_id;
  if not found then
    raise exception 'contact not found' using errcode = 'PT404';
  end if;
  if p_id is null then
    insert into demo_crm_deals (organization_id, contact_id, name, amount_xof, stage, close_date)
    values (p_organization_id, p_contact_id, trim(p_name), p_amount_xof, coalesce(p_stage, 'negotiation'), p_close_date)
    returning * into d;
  else
    update demo_crm_deals
       set contact_id = p_contact_id, name = trim(p_name), amount_xof = p_amount_xof,
           stage = coalesce(p_stage, stage), close_date = p_close_date, updated_at = now()
     where id = p_id and organization_id = p_organization_id
    returning * into d;
    if not found then
      raise exception 'deal not found' using errcode = 'PT404';
    end if;
  end if;
  return demo_crm_deal_to_json(d);
end
$$;

create or replace function demo_crm_delete(p_organization_id uuid, p_object text, p_id uuid) returns jsonb
language plpgsql as $$
begin
  if p_object = 'contact' then
    delete from demo_crm_contacts where id = p_id and organization_id = p_organization_id;
  elsif p_object = 'deal' then
    delete from demo_crm_deals where id = p_id and organization_id = p_organization_id;
  else
    raise exception 'unknown demo CRM object %', p_object using errcode = 'PT400';
  end if;
  return jsonb_build_object('deleted', found);
end
$$;

/*
 * Logs an activity (note or task) on a demo contact. The idempotency key makes a repeat return the
 * first activity's id (what a CRM with idempotency keys does). A deleted contact is refused.
 */
create or replace function demo_crm_add_activity(
  p_organization_id uuid, p_idempotency_key text, p_kind text, p_contact_id uuid, p_deal_id uuid,
  p_subject text, p_body text, p_due_at timestamptz, p_owner_name text
) returns jsonb
language plpgsql as $$
declare
  v_id uuid;
begin
  perform 1 from demo_crm_contacts where id = p_contact_id and organization_id = p_organization_id;
  if not found then
    return jsonb_build_object('id', null, 'notFound', true);
  end if;
  insert into demo_crm_activities (organization_id, contact_id, deal_id, kind, subject, body, due_at,
                                   owner_name, idempotency_key)
  values (p_organization_id, p_contact_id,
          (select id from demo_crm_deals where id = p_deal_id and organization_id = p_organization_id),
          p_kind, left(p_subject, 300), left(p_body, 4000), p_due_at, p_owner_name, p_idempotency_key)
  on conflict (organization_id, idempotency_key) do nothing
  returning id into v_id;
  if v_id is null then
    select id into v_id from demo_crm_activities
     where organization_id = p_organization_id and idempotency_key = p_idempotency_key;
  end if;
  return jsonb_build_object('id', v_id, 'notFound', false);
end
$$;

-- A few contacts and deals to start from (only into an empty demo CRM).
create or replace function demo_crm_seed(p_organization_id uuid, p_contacts jsonb) returns jsonb
language plpgsql as $$
declare
  v jsonb;
  c demo_crm_contacts;
  n integer := 0;
begin
  if exists (select 1 from demo_crm_contacts where organization_id = p_organization_id) then
    return jsonb_build_object('seeded', 0);
  end if;
  for v in select value from jsonb_array_elements(coalesce(p_contacts, '[]')) loop
    insert into demo_crm_contacts (organization_id, email, name, company, owner_name, lifecycle)
    values (p_organization_id, lower(v->>'email'), v->>'name', v->>'company', v->>'ownerName',
            coalesce(v->>'lifecycle', 'customer'))
    returning * into c;
    n := n + 1;
    if v ? 'deal' then
      insert into demo_crm_deals (organization_id, contact_id, name, amount_xof, stage, close_date)
      values (p_organization_id, c.id, v->'deal'->>'name', (v->'deal'->>'amountXof')::bigint,
              coalesce(v->'deal'->>'stage', 'negotiation'), (v->'deal'->>'closeDate')::date);
    end if;
  end loop;
  return jsonb_build_object('seeded', n);
end
$$;
