-- A person can cancel an open run: its unfinished steps and undecided approvals end as cancelled with it.
alter table workflow_steps drop constraint workflow_steps_status_check;
alter table workflow_steps add constraint workflow_steps_status_check
  check (status in ('pending', 'running', 'waiting_approval', 'succeeded', 'failed', 'skipped', 'rejected', 'expired', 'cancelled'));
alter table workflow_approvals drop constraint workflow_approvals_decision_check;
alter table workflow_approvals add constraint workflow_approvals_decision_check
  check (decision in ('approved', 'rejected', 'expired', 'cancelled'));
