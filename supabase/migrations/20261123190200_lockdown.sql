-- Grants: service_role only. Supabase grants new objects in public to anon/authenticated by
-- default privileges, so every migration ends by calling app_lockdown() again.
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

select app_lockdown();
