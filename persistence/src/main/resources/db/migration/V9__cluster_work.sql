-- Work that runs once among the instances of the service, claimed through this database.
-- An admin job is run by one instance, its owner (NOTIFY_INSTANCE_ID), which renews its lease with
-- a heartbeat while it runs; a job whose heartbeat stops (its instance died or stopped) is taken
-- over by another instance, or by its own once restarted, and resumed from its recorded progress.
ALTER TABLE admin_job ADD COLUMN owner TEXT;
ALTER TABLE admin_job ADD COLUMN heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now();
-- The broker's id of the newest dead letter a retry listed: a resumed retry takes no message
-- dead-lettered after it started (a retried message that fails again comes back with a newer id).
ALTER TABLE admin_job ADD COLUMN last_message_id BIGINT;
CREATE INDEX admin_job_running_idx ON admin_job (heartbeat_at) WHERE status = 'running';

-- Named leases that one instance holds at a time: the dedup pruning's, taken for an interval by
-- whichever instance finds it expired first. Taking one is a conditional update of its row.
CREATE TABLE lease (
    name       TEXT        PRIMARY KEY,
    owner      TEXT,                             -- the instance that took it last
    expires_at TIMESTAMPTZ NOT NULL DEFAULT now() -- free to take from then on
);
INSERT INTO lease (name) VALUES ('prune-processed-events');
