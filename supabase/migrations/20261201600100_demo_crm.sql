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

select app_lockdown();
