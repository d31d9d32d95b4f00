-- The trigger that attaches a dead job to its organization (20261203100000_problems.sql) is only
-- called for the one transition it handles: a WHEN clause is checked without entering plpgsql, so
-- the queue's claims and completions (every job, several times) pay nothing for it.
drop trigger if exists jobs_dead_organization on jobs;
create trigger jobs_dead_organization before update of status on jobs
  for each row when (new.status = 'dead' and old.status is distinct from 'dead')
  execute function jobs_dead_organization();

select app_lockdown();
