-- The relationship store: who the mailbox owner writes to, as keyed hashes (HMAC under a
-- per-organization key the app keeps sealed in the vault: organizations.relationship_key_ciphertext).
-- Nothing here names anyone: a stolen table without the key is a list of random strings. Read from
-- the Sent folder's metadata only (progress on mailboxes.relationship_*).
create table relationship_entries (
  mailbox_id uuid not null references mailboxes (id) on delete cascade,
  -- address / domain (organizational, never free mail) / skeleton (look-alike fold of a domain) /
  -- message-id (a Message-ID the owner sent) / sent-item (a sent email without Message-ID)
  kind text not null check (kind in ('address', 'domain', 'skeleton', 'message-id', 'sent-item')),
  hash text not null check (length(hash) between 16 and 64),
  sent_count integer not null default 0 check (sent_count >= 0),
  last_sent_at timestamptz,
  -- the owner corrected an email of this sender to critical
  trusted boolean not null default false,
  primary key (mailbox_id, kind, hash)
);

-- A disconnected mailbox forgets whom its owner writes to (a deleted one loses it by cascade);
-- reconnecting reads the Sent folder again from the start.
create or replace function relationship_forget_on_disconnect() returns trigger
language plpgsql as $$
begin
  delete from relationship_entries where mailbox_id = new.id;
  new.relationship_cursor := null;
  new.relationship_state := 'pending';
  new.relationship_sent_read := 0;
  return new;
end
$$;

create or replace function organization_relationship_key(p_organization_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('ciphertext', relationship_key_ciphertext)
    from organizations where id = p_organization_id
$$;

-- Sets the key once. Two jobs racing to create it: the first write wins and both use it.
create or replace function organization_set_relationship_key(p_organization_id uuid, p_ciphertext text)
returns jsonb
language plpgsql as $$
declare
  v text;
begin
  update organizations set relationship_key_ciphertext = p_ciphertext
   where id = p_organization_id and relationship_key_ciphertext is null;
  select relationship_key_ciphertext into v from organizations where id = p_organization_id;
  if v is null then
    raise exception 'organization not found' using errcode = 'PT404';
  end if;
  return jsonb_build_object('ciphertext', v);
end
$$;

/*
 * Records sent emails: p_mails = [{sentinelKind, sentinel, at, entries: [{kind, hash}]}]. The
 * sentinel (the email's Message-ID hash, or its provider id's) makes it idempotent: a Sent page
 * read twice (a job retried, a cursor resumed) counts each email once.
 */
create or replace function relationship_record(p_mailbox_id uuid, p_mails jsonb) returns jsonb
language plpgsql as $$
declare
  v_mail jsonb;
  v_new integer := 0;
begin
  for v_mail in select value from jsonb_array_elements(coalesce(p_mails, '[]')) loop
    insert into relationship_entries (mailbox_id, kind, hash, sent_count, last_sent_at)
    values (p_mailbox_id, v_mail->>'sentinelKind', v_mail->>'sentinel', 1, (v_mail->>'at')::timestamptz)
    on conflict do nothing;
    if not found then
      continue;
    end if;
    v_new := v_new + 1;
    insert into relationship_entries as r (mailbox_id, kind, hash, sent_count, last_sent_at)
    select p_mailbox_id, e->>'kind', e->>'hash', 1, (v_mail->>'at')::timestamptz
      from jsonb_array_elements(coalesce(v_mail->'entries', '[]')) e
     where not (e->>'kind' = v_mail->>'sentinelKind' and e->>'hash' = v_mail->>'sentinel')
    on conflict (mailbox_id, kind, hash) do update
      set sent_count = r.sent_count + 1, last_sent_at = greatest(r.last_sent_at, excluded.last_sent_at);
  end loop;
  return jsonb_build_object('recorded', v_new);
end
$$;

/*
 * What is known of one email's sender and thread: the store's facts (the same rules as the
 * in-memory store of lib/relationships/memory-store.ts) and the CRM's (20261204100700_crm.sql: a
 * contact, its domain, its largest open deal; the same for every mailbox of the organization).
 * p_query = {address, domain, skeleton, threads[], lookalikes[]}, all hashes; a look-alike is an
 * unknown domain whose variants or skeleton match a known one. Null for an unknown mailbox.
 */
create or replace function relationship_lookup(p_mailbox_id uuid, p_query jsonb) returns jsonb
language sql stable as $$
  with q as (
    select p_query->>'address' as address, p_query->>'domain' as domain, p_query->>'skeleton' as skeleton,
           array(select jsonb_array_elements_text(coalesce(p_query->'threads', '[]'))) as threads,
           array(select jsonb_array_elements_text(coalesce(p_query->'lookalikes', '[]'))) as lookalikes
  ), mb as (
    select organization_id, relationship_state from mailboxes where id = p_mailbox_id
  ), a as (
    select e.sent_count, e.last_sent_at, e.trusted from relationship_entries e, q
     where e.mailbox_id = p_mailbox_id and e.kind = 'address' and e.hash = q.address
  ), d as (
    select e.sent_count from relationship_entries e, q
     where e.mailbox_id = p_mailbox_id and e.kind = 'domain' and e.hash = q.domain
  ), card as (
    select crm_contact_card(mb.organization_id, q.address) as j from mb, q
  )
  select jsonb_build_object(
    'addressSent', coalesce((select sent_count from a), 0),
    'lastSentAt', (select last_sent_at from a),
    'domainSent', coalesce((select sent_count from d), 0),
    'thread', exists (select 1 from relationship_entries e, q
                       where e.mailbox_id = p_mailbox_id and e.kind = 'message-id' and e.hash = any (q.threads)),
    'lookalike', coalesce((select sent_count from d), 0) = 0 and (
        exists (select 1 from relationship_entries e, q
                 where e.mailbox_id = p_mailbox_id and e.kind = 'domain' and e.hash = any (q.lookalikes)
                   and e.sent_count > 0)
     or exists (select 1 from relationship_entries e, q
                 where e.mailbox_id = p_mailbox_id and e.kind = 'skeleton' and e.hash = q.skeleton
                   and e.sent_count > 0)),
    'trustedByCorrection', coalesce((select trusted from a), false),
    -- How far the Sent-folder reading is: a young mailbox's analyses wait for it (message.analyze).
    'storeState', mb.relationship_state,
    'crmContact', card.j is not null,
    'crmDomain', exists (select 1 from crm_contact_keys k join crm_connections c on c.id = k.connection_id, q
                          where c.organization_id = mb.organization_id and c.status <> 'disconnected'
                            and k.kind = 'domain' and k.hash = q.domain),
    'crmOpenDealXof', coalesce((card.j->'deal'->>'amountXof')::bigint, 0),
    'crmKeyClient', card.j is not null and card.j->'deal' <> 'null'::jsonb
                    and coalesce((card.j->'deal'->>'amountXof')::bigint, 0) >= (card.j->>'keyClientXof')::bigint
                    and (card.j->>'keyClientXof')::bigint > 0)
    from mb, card
$$;

-- A correction to critical: the sender is trusted from now on in this mailbox.
create or replace function relationship_trust(p_mailbox_id uuid, p_address_hash text) returns jsonb
language sql as $$
  insert into relationship_entries (mailbox_id, kind, hash, trusted)
  values (p_mailbox_id, 'address', p_address_hash, true)
  on conflict (mailbox_id, kind, hash) do update set trusted = true
  returning jsonb_build_object('trusted', true)
$$;

-- Saves where the Sent-folder reading stands; p_read_add sent emails were read in this step.
create or replace function relationship_progress(
  p_mailbox_id uuid,
  p_cursor text,
  p_state text,
  p_read_add integer default 0,
  p_error text default null
) returns jsonb
language sql as $$
  update mailboxes
     set relationship_cursor = p_cursor, relationship_state = p_state,
         relationship_sent_read = relationship_sent_read + greatest(coalesce(p_read_add, 0), 0),
         relationship_updated_at = now(), relationship_error = left(p_error, 500)
   where id = p_mailbox_id
  returning jsonb_build_object('state', relationship_state, 'sentRead', relationship_sent_read)
$$;

create or replace function relationship_progress_get(p_mailbox_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('cursor', relationship_cursor, 'state', relationship_state,
                            'sentRead', relationship_sent_read, 'updatedAt', relationship_updated_at)
    from mailboxes where id = p_mailbox_id
$$;

-- What Settings shows per mailbox: how far the reading is and how many correspondents it knows.
create or replace function relationship_stats(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'mailboxId', mb.id, 'address', mb.address, 'provider', mb.provider,
           'state', mb.relationship_state, 'sentRead', mb.relationship_sent_read,
           'updatedAt', mb.relationship_updated_at, 'error', mb.relationship_error,
           'addresses', (select count(*) from relationship_entries e
                          where e.mailbox_id = mb.id and e.kind = 'address' and e.sent_count > 0),
           'domains', (select count(*) from relationship_entries e where e.mailbox_id = mb.id and e.kind = 'domain'),
           'trusted', (select count(*) from relationship_entries e where e.mailbox_id = mb.id and e.trusted))
         order by mb.created_at), '[]')
    from mailboxes mb
   where mb.organization_id = p_organization_id and mb.status <> 'disconnected'
$$;

-- The organizations whose relationship key must be re-encrypted (npm run keys:rotate).
create or replace function organization_relationship_keys() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'ciphertext', relationship_key_ciphertext)), '[]')
    from organizations where relationship_key_ciphertext is not null
$$;

create or replace function organization_replace_relationship_key(
  p_organization_id uuid, p_old text, p_new text
) returns jsonb
language sql as $$
  update organizations set relationship_key_ciphertext = p_new
   where id = p_organization_id and relationship_key_ciphertext = p_old
  returning jsonb_build_object('replaced', true)
$$;

create trigger mailboxes_forget_relationships
  before update of status on mailboxes
  for each row when (new.status = 'disconnected' and old.status <> 'disconnected')
  execute function relationship_forget_on_disconnect();
