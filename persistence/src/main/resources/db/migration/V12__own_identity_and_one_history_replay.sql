-- At most one running history replay in the cluster: two would hand the same events to the
-- subscription twice over, and the check before the insert does not stop two requests that pass it
-- at the same moment.
CREATE UNIQUE INDEX admin_job_one_running_history_replay ON admin_job (kind) WHERE kind = 'history-replay' AND status = 'running';

-- Each instance holds the lease 'instance:<NOTIFY_INSTANCE_ID>' while it runs (InstanceIdentity): a
-- second instance started with the same name (two replicas left at the default) finds it renewed
-- and refuses to start, instead of sharing the first one's XA node id and admin jobs. The rows are
-- inserted by the instances themselves.
