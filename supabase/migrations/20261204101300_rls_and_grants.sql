-- Row-level security on every table, with no policy: anon and authenticated (Supabase's API roles)
-- see no row of any table; the app works as service_role, which bypasses RLS and checks tenant
-- ownership in every function. Then the grants: service_role only (app_lockdown, in
-- 20261204100000_roles_and_helpers.sql).

alter table organizations enable row level security;
alter table users enable row level security;
alter table sessions enable row level security;
alter table jobs enable row level security;
alter table mailboxes enable row level security;
alter table webhook_rejections enable row level security;
alter table mailbox_sync_state enable row level security;
alter table recipients enable row level security;
alter table opt_in_codes enable row level security;
alter table sender_rules enable row level security;
alter table messages enable row level security;
alter table alerts enable row level security;
alter table relationship_entries enable row level security;
alter table crm_connections enable row level security;
alter table crm_contacts enable row level security;
alter table crm_contact_keys enable row level security;
alter table crm_deals enable row level security;
alter table crm_owners enable row level security;
alter table crm_logs enable row level security;
alter table demo_crm_contacts enable row level security;
alter table demo_crm_deals enable row level security;
alter table demo_crm_activities enable row level security;
alter table reply_templates enable row level security;
alter table reply_drafts enable row level security;
alter table auto_reply_rules enable row level security;
alter table audit_log enable row level security;

select app_lockdown();
