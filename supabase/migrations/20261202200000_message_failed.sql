-- An email whose analysis can never succeed (issue #13 item 2) ends `failed`, never `pending`
-- forever: the dashboard shows it with what is known of it (sender, subject, date when they could
-- be read) and why, the stats page and /api/health count it. The reason is a short code the web
-- catalogue translates (`failure.<code>`), never text from the email.
create or replace function message_mark_failed(p_message_id uuid, p_reason text, p_meta jsonb default null)
returns jsonb
language sql as $$
  update messages set
    status = 'failed',
    reasons = jsonb_build_array(left(p_reason, 64)),
    thread_id = coalesce(thread_id, p_meta->>'threadId'),
    internet_message_id = coalesce(internet_message_id, p_meta->>'internetMessageId'),
    from_address = coalesce(from_address, lower(p_meta->>'fromAddress')),
    from_name = coalesce(from_name, p_meta->>'fromName'),
    subject = coalesce(subject, left(p_meta->>'subject', 500)),
    received_at = coalesce(received_at, (p_meta->>'receivedAt')::timestamptz),
    web_link = coalesce(web_link, p_meta->>'webLink')
  where id = p_message_id and status = 'pending'
  returning jsonb_build_object('failed', true)
$$;

-- Failed emails recorded since p_since: one organization's (stats page) or everyone's (health,
-- a count only).
create or replace function message_failed_count(p_since timestamptz, p_organization_id uuid default null)
returns jsonb
language sql stable as $$
  select jsonb_build_object('failed', count(*)) from messages
   where status = 'failed' and created_at >= p_since
     and (p_organization_id is null or organization_id = p_organization_id)
$$;

create index if not exists messages_failed_idx on messages (created_at) where status = 'failed';

select app_lockdown();
