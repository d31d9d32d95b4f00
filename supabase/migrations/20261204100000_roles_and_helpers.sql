-- FluxAsync Mail's schema, one domain a file (this file and the thirteen after it, in order). Postgres
-- is the source of truth: the tables, and every data operation as a function the app calls through
-- rpc() with named p_* parameters, returning jsonb. Errors meant for the app use SQLSTATE PTxxx
-- (PostgREST answers HTTP xxx; the sql transport maps the same). Runs unchanged on Supabase, plain
-- PostgreSQL and PGlite. Append-only from here: a change is a new migration, and supabase/schema.sql
-- (npm run db:dump) is the current picture of the result.

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

-- Grants: service_role only. Supabase grants new objects in public to anon/authenticated by
-- default privileges, so a migration that creates objects ends by calling app_lockdown()
-- (20261204101300_rls_and_grants.sql calls it for the schema of these files).
create or replace function app_lockdown() returns void
language plpgsql as $$
begin
  revoke all on all tables in schema public from public, anon, authenticated;
  revoke all on all sequences in schema public from public, anon, authenticated;
  revoke execute on all functions in schema public from public, anon, authenticated;
  grant usage on schema public to service_role;
  grant select, insert, update, delete on all tables in schema public to service_role;
  grant usage, select on all sequences in schema public to service_role;
  grant execute on all functions in schema public to service_role;
  -- The audit log is append-only for the app.
  revoke update, delete, truncate on audit_log from service_role;
  -- Per-schema default privileges only add to the global ones, and the global default lets PUBLIC
  -- (so anon) execute every new function: revoke that globally for the role running migrations.
  alter default privileges revoke execute on functions from public;
  alter default privileges in schema public revoke execute on functions from public, anon, authenticated;
  alter default privileges in schema public revoke all on tables from public, anon, authenticated;
  alter default privileges in schema public revoke all on sequences from public, anon, authenticated;
end
$$;

-- A text that is a UUID, or null (payload values are not trusted to be UUIDs).
create or replace function as_uuid(p text) returns uuid
language sql immutable as $$
  select case when p ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p::uuid end
$$;
