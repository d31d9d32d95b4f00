-- A push in one round trip (issue 14 item 2): the Gmail webhook looked its mailbox up by address,
-- then enqueued the mailbox's sync (two calls per push, and every email brings two pushes: its own
-- and the one our label change triggers). mailbox_push_enqueue does both in one call. The job spec
-- is still built by the app from the job's definition: it is made for a placeholder mailbox id
-- (p_placeholder), which this function replaces with the id it found, in the key and the payload
-- alike, so SQL spells no kind and no key. No mailbox (unknown or disconnected address): nothing is
-- enqueued and the answer says so.
create or replace function mailbox_push_enqueue(
  p_provider text,
  p_address text,
  p_spec jsonb,
  p_placeholder text
) returns jsonb
language plpgsql as $$
declare
  v_mailbox uuid;
  v_spec jsonb;
begin
  if p_spec is null or p_spec->>'kind' is null or p_spec->>'key' is null or coalesce(p_placeholder, '') = '' then
    raise exception 'a job spec and its placeholder are needed' using errcode = 'PT422';
  end if;
  -- The lookup of mailbox_find_by_address.
  select m.id into v_mailbox from mailboxes m
   where m.provider = p_provider and lower(m.address) = lower(p_address) and m.status <> 'disconnected';
  if v_mailbox is null then
    return jsonb_build_object('mailboxId', null, 'job', null);
  end if;
  v_spec := replace(p_spec::text, p_placeholder, v_mailbox::text)::jsonb;
  return jsonb_build_object('mailboxId', v_mailbox, 'job', job_enqueue(
    v_spec->>'kind',
    v_spec->>'key',
    coalesce(v_spec->'payload', '{}'),
    (v_spec->>'runAt')::timestamptz,
    (v_spec->>'maxAttempts')::integer,
    coalesce((v_spec->>'repeatable')::boolean, false),
    (v_spec->>'leaseSeconds')::integer,
    coalesce((v_spec->>'priority')::smallint, 0::smallint),
    v_mailbox));
end
$$;

select app_lockdown();
