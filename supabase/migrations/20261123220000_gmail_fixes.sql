-- Gmail pipeline fixes (issue #3): a sync request without a history hint must never be skipped.
--
-- A mailbox has one sync row (`sync:<mailbox>`) for its whole life, and new requests merge their
-- payload into it. The sync skips a run whose historyHint the stored cursor is already past (a
-- duplicate or out-of-order push). A poll or a lapsed-watch catch-up carries no hint: merged with a
-- stale push hint (waiting, or left by a finished run), it took that hint and was skipped, and the
-- mail that came without any push with it. Callers now send `historyHint: null` for "sync whatever
-- the cursor says" (lib/jobs/enqueue.ts), and that null wins the merge.

-- Merges the payload of new work into a waiting job: the highest history hint wins, and an explicit
-- null hint (a request that must run) wins over any number.
create or replace function job_merge_payload(p_old jsonb, p_new jsonb) returns jsonb
language sql immutable as $$
  select case
    when p_old ? 'historyHint' and p_new ? 'historyHint'
      then (p_old || p_new) || jsonb_build_object('historyHint',
        case when jsonb_typeof(p_old->'historyHint') = 'null' or jsonb_typeof(p_new->'historyHint') = 'null'
               then 'null'::jsonb
             when (p_old->>'historyHint')::numeric >= (p_new->>'historyHint')::numeric
               then p_old->'historyHint'
             else p_new->'historyHint' end)
    else p_old || coalesce(p_new, '{}'::jsonb)
  end
$$;

select app_lockdown();
