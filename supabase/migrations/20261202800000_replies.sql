-- Replies (issue 17): the organization's approved reply templates, who may answer from WhatsApp,
-- and the drafts a recipient confirms before anything is sent from the mailbox. A draft's text is
-- sealed by the app (JWE, the token vault) and dropped once the draft is sent, cancelled or
-- expired; what stays is its SHA-256 and, for a template, the template id.

-- null = the role's default: the owner may reply, managers and members may not until allowed.
alter table recipients add column may_reply boolean;
-- The defaults are offered once: deleting every template does not bring them back.
alter table organizations add column reply_defaults_seeded boolean not null default false;

create table reply_templates (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  locale text not null check (locale in ('fr', 'en')),
  -- A WhatsApp list row's title: 24 characters at most.
  title text not null check (length(title) between 1 and 24),
  body text not null check (length(body) between 1 and 1000),
  approved boolean not null default false,
  approved_by text,
  approved_at timestamptz,
  position smallint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index reply_templates_org_idx on reply_templates (organization_id, locale, position);
alter table reply_templates enable row level security;

create table reply_drafts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  -- The email answered: deleting it deletes its unsent drafts (the confirmation then says so).
  message_id uuid not null references messages (id) on delete cascade,
  recipient_id uuid references recipients (id) on delete cascade,
  origin text not null default 'whatsapp' check (origin in ('whatsapp', 'auto')),
  -- The tap or text that opened it: a redelivered webhook finds the same draft.
  inbound_wamid text unique,
  template_id uuid references reply_templates (id) on delete set null,
  body_sealed text,
  body_sha256 text check (body_sha256 ~ '^[0-9a-f]{64}$'),
  to_address text not null check (length(to_address) between 3 and 320),
  to_name text check (length(to_name) <= 200),
  -- composing: waiting for the recipient's text; awaiting: shown, waiting for Envoyer / Annuler.
  status text not null default 'awaiting'
    check (status in ('composing', 'awaiting', 'sending', 'sent', 'cancelled', 'expired', 'failed')),
  -- The WhatsApp message that asked for the text or showed the confirmation.
  prompt_alert_id uuid references alerts (id) on delete set null,
  decided_by text,
  provider_message_id text,
  error text check (length(error) <= 500),
  sent_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status not in ('sent', 'cancelled', 'expired', 'failed') or body_sealed is null)
);
create index reply_drafts_message_idx on reply_drafts (message_id, created_at);
create index reply_drafts_composing_idx on reply_drafts (recipient_id, created_at desc) where status = 'composing';
create index reply_drafts_prompt_idx on reply_drafts (prompt_alert_id);
alter table reply_drafts enable row level security;

create or replace function recipient_may_reply(r recipients) returns boolean
language sql immutable as $$
  select coalesce(r.may_reply, r.role = 'owner')
$$;

create or replace function reply_template_to_json(t reply_templates) returns jsonb
language sql immutable as $$
  select jsonb_build_object('id', t.id, 'locale', t.locale, 'title', t.title, 'body', t.body,
    'approved', t.approved, 'approvedBy', t.approved_by, 'approvedAt', t.approved_at,
    'position', t.position, 'updatedAt', t.updated_at)
$$;

/*
 * Settings › Réponses: the templates (the app's defaults added, unapproved, the first time) and
 * each recipient's permission to reply.
 */
create or replace function reply_settings_get(p_organization_id uuid, p_defaults jsonb) returns jsonb
language plpgsql as $$
declare
  v_item jsonb;
begin
  update organizations set reply_defaults_seeded = true
   where id = p_organization_id and not reply_defaults_seeded;
  if found then
    for v_item in select * from jsonb_array_elements(coalesce(p_defaults, '[]')) loop
      insert into reply_templates (organization_id, locale, title, body, position)
      values (p_organization_id, v_item->>'locale', v_item->>'title', v_item->>'body',
              coalesce((v_item->>'position')::smallint, 0));
    end loop;
  end if;
  return jsonb_build_object(
    'templates', coalesce((select jsonb_agg(reply_template_to_json(t) order by t.locale, t.position, t.created_at)
                             from reply_templates t where t.organization_id = p_organization_id), '[]'),
    'recipients', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'role', r.role,
                                    'mayReply', recipient_may_reply(r)) order by r.created_at)
                              from recipients r where r.organization_id = p_organization_id), '[]'));
end
$$;

/* Creates or edits a template. Approval is said explicitly each time: an edited text is approved again or not at all. */
create or replace function reply_template_save(p_organization_id uuid, p_actor text, p_template jsonb) returns jsonb
language plpgsql as $$
declare
  t reply_templates;
  v_id uuid := (p_template->>'id')::uuid;
  v_approved boolean := coalesce((p_template->>'approved')::boolean, false);
begin
  if v_id is null then
    insert into reply_templates (organization_id, locale, title, body, approved, approved_by, approved_at, position)
    values (p_organization_id, p_template->>'locale', p_template->>'title', p_template->>'body', v_approved,
            case when v_approved then p_actor end, case when v_approved then now() end,
            coalesce((p_template->>'position')::smallint,
                     (select coalesce(max(position) + 1, 0) from reply_templates where organization_id = p_organization_id)))
    returning * into t;
  else
    update reply_templates set
      locale = coalesce(p_template->>'locale', locale),
      title = coalesce(p_template->>'title', title),
      body = coalesce(p_template->>'body', body),
      approved = v_approved,
      approved_by = case when v_approved then p_actor end,
      approved_at = case when v_approved then now() end,
      updated_at = now()
    where id = v_id and organization_id = p_organization_id
    returning * into t;
    if not found then
      raise exception 'reply template not found' using errcode = 'PT404';
    end if;
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'reply_template.saved', t.id::text,
          jsonb_build_object('approved', t.approved, 'locale', t.locale));
  return reply_template_to_json(t);
end
$$;

create or replace function reply_template_delete(p_organization_id uuid, p_template_id uuid, p_actor text) returns jsonb
language plpgsql as $$
begin
  delete from reply_templates where id = p_template_id and organization_id = p_organization_id;
  if not found then
    raise exception 'reply template not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target)
  values (p_organization_id, p_actor, 'reply_template.deleted', p_template_id::text);
  return jsonb_build_object('deleted', true);
end
$$;

create or replace function recipient_set_may_reply(
  p_organization_id uuid, p_recipient_id uuid, p_may_reply boolean, p_actor text
) returns jsonb
language plpgsql as $$
declare
  r recipients;
begin
  update recipients set may_reply = p_may_reply
   where id = p_recipient_id and organization_id = p_organization_id
  returning * into r;
  if not found then
    raise exception 'recipient not found' using errcode = 'PT404';
  end if;
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, 'recipient.may_reply', r.id::text, jsonb_build_object('mayReply', p_may_reply));
  return jsonb_build_object('id', r.id, 'mayReply', recipient_may_reply(r));
end
$$;

select app_lockdown();
