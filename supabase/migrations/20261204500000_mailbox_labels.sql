-- Alert first, housekeeping after (issue 14 item 3). The label / mark-read / archive calls left the
-- analysis, which ran them between Gemini and the alert, for their own job (message.housekeeping,
-- queued by the router after the alerts). The provider's label ids, which each process used to
-- keep in memory (every new instance listed the labels again), are stored here per mailbox: looked
-- up or created once, dropped and re-created when the provider says the label is gone, shared by
-- every worker. Only the labels we apply are stored, never the names of the user's own labels.

create table if not exists mailbox_labels (
  mailbox_id uuid not null references mailboxes (id) on delete cascade,
  -- Lower-cased: Gmail label names are unique regardless of case.
  name text not null check (name = lower(name) and length(name) between 1 and 200),
  label_id text not null check (length(label_id) between 1 and 200),
  updated_at timestamptz not null default now(),
  primary key (mailbox_id, name)
);
alter table mailbox_labels enable row level security;

/*
 * What a job about one message needs, in one read (body of 20261201100100_message_analyzed's message_context, plus
 * the mailbox's stored label ids).
 */
create or replace function message_context(p_message_id uuid)
returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'message', message_to_json(m),
    'mailbox', mailbox_to_json(mb),
    'tokens', mailbox_token_get(mb.id),
    'organization', organization_to_json(o),
    'senderRules', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'pattern', r.pattern, 'kind', r.kind))
                               from sender_rules r where r.organization_id = m.organization_id), '[]'),
    'labels', coalesce((select jsonb_object_agg(l.name, l.label_id)
                          from mailbox_labels l where l.mailbox_id = mb.id), '{}'))
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    join organizations o on o.id = m.organization_id
   where m.id = p_message_id
$$;

/*
 * The housekeeping of one message is over: its entries for these actions (`pending:…` from the
 * analysis, `failed:…` from an earlier try — p_replace) give way to what was done (p_done), ahead
 * of any other entry (an automatic reply's); the label ids the provider handed back are stored
 * (p_labels, {name: id}) and the ones it said are gone forgotten (p_forget), in the same round trip.
 */
create or replace function message_housekeeping_done(
  p_message_id uuid,
  p_done jsonb,
  p_replace jsonb,
  p_labels jsonb default null,
  p_forget jsonb default null
) returns jsonb
language plpgsql as $$
declare
  v_mailbox uuid;
begin
  if jsonb_typeof(p_done) is distinct from 'array' or jsonb_typeof(p_replace) is distinct from 'array' then
    raise exception 'done and replace must be JSON arrays' using errcode = 'PT400';
  end if;
  update messages m set auto_actions = p_done || coalesce((
      select jsonb_agg(e order by i) from jsonb_array_elements(m.auto_actions) with ordinality as t(e, i)
       where not p_replace @> jsonb_build_array(e) and not p_done @> jsonb_build_array(e)), '[]')
   where m.id = p_message_id
  returning m.mailbox_id into v_mailbox;
  if not found then
    return jsonb_build_object('ok', false);
  end if;
  if jsonb_typeof(p_forget) = 'array' then
    delete from mailbox_labels
     where mailbox_id = v_mailbox and name in (select lower(jsonb_array_elements_text(p_forget)));
  end if;
  if jsonb_typeof(p_labels) = 'object' then
    insert into mailbox_labels (mailbox_id, name, label_id)
    select v_mailbox, lower(key), value from jsonb_each_text(p_labels)
    on conflict (mailbox_id, name) do update set label_id = excluded.label_id, updated_at = now();
  end if;
  return jsonb_build_object('ok', true);
end
$$;

select app_lockdown();
