-- CPU per email (issue 14 item 2), database side. The functions that turn a row into the app's JSON
-- were declared IMMUTABLE, but their bodies are only STABLE: a timestamptz written into jsonb depends
-- on the session's TimeZone. PostgreSQL does not inline a SQL function whose body is less immutable
-- than it says, so every use was a function call (pg_stat_user_functions over the bench's
-- zero-latency run: message_to_json 4.4 calls and 1.6 ms of server CPU per email, job_to_json 5.4
-- and 0.6, mailbox_to_json, recipient_to_json, organization_to_json, alert_to_json 0.3–0.5 each).
-- Declared STABLE, as they are, they are inlined into the queries that use them. Bodies unchanged.
alter function alert_to_json(alerts) stable;
alter function auto_reply_rule_to_json(auto_reply_rules) stable;
alter function job_to_json(jobs) stable;
alter function mailbox_to_json(mailboxes) stable;
alter function message_to_json(messages) stable;
alter function organization_to_json(organizations) stable;
alter function recipient_to_json(recipients) stable;
alter function reply_draft_to_json(reply_drafts) stable;
alter function reply_template_to_json(reply_templates) stable;
