-- Work whose message went missing is sent again (StalledWorkSweep): a pending notification that
-- no message has been on its way to for a while, an accepted event that never reached the router.
-- When a notification's latest message was put on its channel's queue: at its insert, and again
-- when it is released from held or sent again.
ALTER TABLE notification ADD COLUMN dispatched_at TIMESTAMPTZ NOT NULL DEFAULT now();
-- When an accepted event was last published again; null until then.
ALTER TABLE event ADD COLUMN resent_at TIMESTAMPTZ;
