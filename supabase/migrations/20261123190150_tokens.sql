-- Encrypted OAuth tokens on mailboxes. The app encrypts (lib/security/vault.ts); the database only
-- ever sees JWE ciphertext. Writes are compare-and-set on token_version so that of two concurrent
-- refreshes the one that started from an older token cannot overwrite the newer one.

create or replace function mailbox_token_get(p_mailbox_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('mailboxId', id, 'ciphertext', token_ciphertext, 'version', token_version,
                            'expiresAt', token_expires_at, 'status', status)
    from mailboxes where id = p_mailbox_id
$$;

create or replace function mailbox_token_store(
  p_mailbox_id uuid,
  p_ciphertext text,
  p_expires_at timestamptz,
  p_expected_version integer
) returns jsonb
language plpgsql as $$
declare
  v_version integer;
begin
  if p_ciphertext is null or p_ciphertext !~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' then
    raise exception 'token must be stored as compact JWE' using errcode = 'PT422';
  end if;
  update mailboxes
     set token_ciphertext = p_ciphertext, token_expires_at = p_expires_at,
         token_version = token_version + 1
   where id = p_mailbox_id and token_version = p_expected_version
  returning token_version into v_version;
  if found then
    return jsonb_build_object('stored', true, 'version', v_version);
  end if;
  return jsonb_build_object('stored', false,
    'version', (select token_version from mailboxes where id = p_mailbox_id));
end
$$;

-- Every stored ciphertext, for key rotation.
create or replace function mailbox_token_list(p_after uuid default null, p_limit integer default 200) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('mailboxId', id, 'ciphertext', token_ciphertext,
                                               'version', token_version) order by id), '[]')
    from (select id, token_ciphertext, token_version from mailboxes
           where token_ciphertext is not null and (p_after is null or id > p_after)
           order by id limit p_limit) m
$$;
