-- FluxAsync Mail schema. Postgres is the source of truth: tables here, every data operation as a
-- function in the following migrations. Runs unchanged on Supabase, plain Postgres and PGlite.

-- Supabase's roles, created when missing so plain Postgres and PGlite accept the same grants.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  timezone text not null default 'Africa/Abidjan',
  auto_label boolean not null default true,
  auto_mark_spam_read boolean not null default false,
  auto_archive_spam boolean not null default false,
  onboarded_at timestamptz,
  created_at timestamptz not null default now()
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

create table mailboxes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  user_id uuid references users (id) on delete set null,
  provider text not null check (provider in ('gmail', 'outlook', 'sandbox')),
  address text not null,
  status text not null default 'active'
    check (status in ('active', 'reconnect_required', 'disconnected')),
  -- JWE (dir + A256GCM) of {accessToken, refreshToken, expiresAt, scope}; never plaintext.
  token_ciphertext text,
  -- Bumped on every token write: a refresh that started from an older version cannot win.
  token_version integer not null default 0,
  token_expires_at timestamptz,
  -- Gmail historyId or Graph deltaLink; advanced only after what it covers is recorded.
  cursor text,
  cursor_updated_at timestamptz,
  last_synced_at timestamptz,
  watch jsonb,
  watch_expires_at timestamptz,
  subscription_id text unique,
  -- sha256 of the Graph clientState: compared in constant time, the secret itself is not kept.
  client_state_hash text,
  last_error text,
  last_error_at timestamptz,
  created_at timestamptz not null default now(),
  check (provider <> 'sandbox' or token_ciphertext is null)
);
create unique index mailboxes_live_address_idx on mailboxes (provider, lower(address))
  where status <> 'disconnected';
create index mailboxes_organization_idx on mailboxes (organization_id);

create table recipients (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  phone_e164 text not null check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  role text not null default 'owner' check (role in ('owner', 'manager', 'member')),
  escalation_target boolean not null default false,
  status text not null default 'pending'
    check (status in ('pending', 'opted_in', 'opted_out', 'undeliverable')),
  -- sha256 of the current opt-in code; the code itself is shown once in the app.
  opt_in_code_hash text,
  opt_in_code_expires_at timestamptz,
  verify_attempts integer not null default 0,
  verify_window_started_at timestamptz,
  opted_in_at timestamptz,
  opted_out_at timestamptz,
  -- Last message received from this number: opens Meta's 24-hour customer-service window.
  last_inbound_at timestamptz,
  min_priority text not null default 'important'
    check (min_priority in ('critical', 'important', 'informational', 'spam')),
  categories text[],
  quiet_start_minute smallint check (quiet_start_minute between 0 and 1439),
  quiet_end_minute smallint check (quiet_end_minute between 0 and 1439),
  critical_bypasses_quiet boolean not null default true,
  timezone text not null default 'Africa/Abidjan',
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  escalation_delay_minutes integer not null default 15 check (escalation_delay_minutes between 1 and 1440),
  digest_enabled boolean not null default true,
  digest_hour smallint not null default 18 check (digest_hour between 0 and 23),
  last_digest_on date,
  created_at timestamptz not null default now(),
  unique (organization_id, phone_e164)
);

create table sender_rules (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  -- a lower-case address, or @domain
  pattern text not null check (pattern = lower(pattern) and pattern ~ '^[^@\s]*@[^@\s]+$'),
  kind text not null check (kind in ('vip', 'muted', 'blocked')),
  source text not null default 'settings' check (source in ('settings', 'whatsapp', 'feedback')),
  created_at timestamptz not null default now(),
  unique (organization_id, pattern)
);

-- Metadata and analysis only: there is deliberately no column for the email body.
create table messages (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  mailbox_id uuid not null references mailboxes (id) on delete cascade,
  provider_message_id text not null,
  thread_id text,
  internet_message_id text,
  from_address text,
  from_name text,
  subject text,
  received_at timestamptz,
  web_link text,
  status text not null default 'pending' check (status in ('pending', 'analyzed', 'skipped', 'failed')),
  priority text check (priority in ('critical', 'important', 'informational', 'spam')),
  category text,
  summary text,
  suggested_action text check (suggested_action in ('reply', 'call', 'sign', 'pay', 'forward', 'read', 'ignore')),
  suggested_action_phrase text,
  deadline timestamptz,
  amounts jsonb not null default '[]',
  fraud_warning text,
  confidence real check (confidence between 0 and 1),
  reasons jsonb not null default '[]',
  analyzer text check (analyzer in ('prefilter', 'gemini', 'fallback')),
  llm_model text,
  llm_input_tokens integer,
  llm_output_tokens integer,
  analysis_ms integer,
  auto_actions jsonb not null default '[]',
  handled_at timestamptz,
  feedback_priority text check (feedback_priority in ('critical', 'important', 'informational', 'spam')),
  created_at timestamptz not null default now(),
  analyzed_at timestamptz,
  unique (mailbox_id, provider_message_id)
);
create index messages_org_received_idx on messages (organization_id, received_at desc, id);
create index messages_org_priority_idx on messages (organization_id, priority);

create table alerts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  message_id uuid references messages (id) on delete cascade,
  recipient_id uuid not null references recipients (id) on delete cascade,
  kind text not null check (kind in ('alert', 'escalation', 'reminder', 'digest', 'notice')),
  -- pending → sending → sent → delivered → read; unknown = sent but no answer (timeout): wait for a status
  status text not null default 'pending'
    check (status in ('pending', 'held', 'sending', 'unknown', 'sent', 'delivered', 'read', 'failed', 'skipped')),
  delivery text check (delivery in ('interactive', 'template', 'text', 'outbox')),
  wa_message_id text unique,
  -- digests and notices have no message: their own key keeps them single
  dedupe_key text unique,
  attempts integer not null default 0,
  error_code integer,
  error_message text,
  status_history jsonb not null default '[]',
  rendered jsonb,
  hold_until timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  handled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (message_id, recipient_id, kind),
  check (message_id is not null or dedupe_key is not null)
);
create index alerts_recipient_idx on alerts (recipient_id, created_at desc);

create table jobs (
  id bigint generated always as identity primary key,
  kind text not null check (kind ~ '^[a-z]+\.[a-z_]+$'),
  -- idempotency key: one row per key, ever (sync keys are re-armed, not duplicated)
  key text not null unique,
  payload jsonb not null default '{}',
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 8 check (max_attempts between 1 and 100),
  leased_until timestamptz,
  lease_token uuid,
  -- new work arrived while running: go back to pending instead of done
  rearm boolean not null default false,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  check (status <> 'running' or (leased_until is not null and lease_token is not null))
);
create index jobs_due_idx on jobs (run_at, id) where status = 'pending';
create index jobs_lease_idx on jobs (leased_until) where status = 'running';
create index jobs_dead_idx on jobs (updated_at desc) where status = 'dead';

-- Append-only: the app role gets insert and select, never update or delete.
-- No foreign key: the record of an account deletion outlives the organization.
create table audit_log (
  id bigint generated always as identity primary key,
  organization_id uuid,
  actor text not null,
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
  target text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_org_idx on audit_log (organization_id, created_at desc);

-- Row level security on every table, no policies: only service_role (bypassrls) reads or writes.
alter table organizations enable row level security;
alter table users enable row level security;
alter table mailboxes enable row level security;
alter table recipients enable row level security;
alter table sender_rules enable row level security;
alter table messages enable row level security;
alter table alerts enable row level security;
alter table jobs enable row level security;
alter table audit_log enable row level security;
