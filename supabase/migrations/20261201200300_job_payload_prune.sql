-- Payloads that carry personal data (a WhatsApp sender's number or user id) say so with
-- "pruneWhenDone": true; once the job is done the payload is reduced to a marker, in the same
-- statement that finishes it. The row itself stays (its key keeps Meta's redeliveries out) until
-- job_prune removes finished jobs. Nothing here names a job kind: the payload decides.
create or replace function jobs_prune_done_payload() returns trigger
language plpgsql as $$
begin
  if new.status = 'done' and old.status is distinct from 'done'
     and coalesce((new.payload->>'pruneWhenDone')::boolean, false) then
    new.payload := jsonb_build_object('pruned', true);
  end if;
  return new;
end
$$;

drop trigger if exists jobs_prune_done_payload on jobs;
create trigger jobs_prune_done_payload before update of status on jobs
  for each row execute function jobs_prune_done_payload();

select app_lockdown();
