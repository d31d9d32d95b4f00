-- The audit log: who did what (sign-in, mailboxes, settings, recipients, sender rules, emails
-- handled or corrected, replies), as ids and codes, never an email's content. Written by the
-- functions of every domain; read here.

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

create or replace function audit_append(
  p_organization_id uuid,
  p_actor text,
  p_action text,
  p_target text default null,
  p_details jsonb default '{}'
) returns jsonb
language sql as $$
  insert into audit_log (organization_id, actor, action, target, details)
  values (p_organization_id, p_actor, p_action, p_target, coalesce(p_details, '{}'))
  returning jsonb_build_object('id', id, 'createdAt', created_at)
$$;

create or replace function audit_list(p_organization_id uuid, p_limit integer default 100, p_before_id bigint default null)
returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'actor', a.actor, 'action', a.action, 'target', a.target,
           'details', a.details, 'createdAt', a.created_at) order by a.id desc), '[]')
    from (select * from audit_log
           where organization_id = p_organization_id and (p_before_id is null or id < p_before_id)
           order by id desc limit least(p_limit, 500)) a
$$;

-- An audit log a manager can read: each entry with the names its sentence needs — who
-- acted (a user's name, or the recipient who pressed a WhatsApp button), the recipient, the email's
-- subject, the sender a rule is about, the mailbox's address — read from the organization's own
-- rows only (a target id of another organization resolves to nothing). Filters: the kind of event
-- (the action's first part: recipient, message, sender_rule…) and the person (the actor as stored).
create or replace function audit_list_readable(
  p_organization_id uuid,
  p_limit integer default 50,
  p_before_id bigint default null,
  p_kind text default null,
  p_actor text default null
) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'actor', a.actor, 'action', a.action, 'target', a.target,
           'details', a.details, 'createdAt', a.created_at,
           'actorName', coalesce(u.name, u.email, ar.name),
           'recipientName', coalesce(tr.name, alr.name),
           'subject', coalesce(tm.subject, alm.subject, dm.subject),
           'sender', sr.pattern,
           'mailbox', mb.address) order by a.id desc), '[]')
    from (select * from audit_log
           where organization_id = p_organization_id
             and (p_before_id is null or id < p_before_id)
             and (p_kind is null or split_part(action, '.', 1) = p_kind)
             and (p_actor is null or actor = p_actor)
           order by id desc limit least(greatest(p_limit, 1), 500)) a
    left join users u on a.actor like 'user:%' and u.id = as_uuid(substr(a.actor, 6))
                     and u.organization_id = p_organization_id
    left join recipients ar on a.actor ~ '^(whatsapp|email):' and ar.id = as_uuid(split_part(a.actor, ':', 2))
                           and ar.organization_id = p_organization_id
    left join recipients tr on a.action like 'recipient.%' and tr.id = as_uuid(a.target)
                           and tr.organization_id = p_organization_id
    left join messages tm on (a.action like 'message.%' or (a.action like 'reply.%' and a.action <> 'reply.confirmed'))
                         and tm.id = as_uuid(a.target) and tm.organization_id = p_organization_id
    left join alerts al on a.action like 'alert.%' and al.id = as_uuid(a.target)
                       and al.organization_id = p_organization_id
    left join recipients alr on alr.id = al.recipient_id
    left join messages alm on alm.id = al.message_id
    left join reply_drafts d on a.action = 'reply.confirmed' and d.id = as_uuid(a.target)
                            and d.organization_id = p_organization_id
    left join messages dm on dm.id = d.message_id
    left join sender_rules sr on a.action like 'sender_rule.%' and sr.id = as_uuid(a.target)
                             and sr.organization_id = p_organization_id
    left join mailboxes mb on a.action like 'mailbox.%' and mb.id = as_uuid(a.target)
                          and mb.organization_id = p_organization_id
$$;

-- The people of the log's "person" filter: each actor that appears, with a name where one is known.
create or replace function audit_actors(p_organization_id uuid) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('actor', x.actor, 'name', coalesce(u.name, u.email, r.name))
                            order by coalesce(u.name, u.email, r.name, x.actor)), '[]')
    from (select distinct actor from audit_log where organization_id = p_organization_id) x
    left join users u on x.actor like 'user:%' and u.id = as_uuid(substr(x.actor, 6))
                     and u.organization_id = p_organization_id
    left join recipients r on x.actor ~ '^(whatsapp|email):' and r.id = as_uuid(split_part(x.actor, ':', 2))
                          and r.organization_id = p_organization_id
$$;
