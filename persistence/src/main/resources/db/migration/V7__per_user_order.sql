-- Strict per-user order across retries (a resequencer). Every event gets a sequence number when
-- it is first recorded (accepted over REST, or routed when it came straight onto the topic); its
-- notifications carry it. A channel's worker sends a user's notification only when none of the
-- user's earlier notifications on that channel is unsettled and none of the user's earlier events
-- is still waiting for the router; otherwise the notification is held, and the one whose settling
-- unblocks it releases it.
ALTER TABLE event ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE event DROP CONSTRAINT event_status_check,
    ADD CONSTRAINT event_status_check CHECK (status IN ('accepted', 'processed', 'dead-lettered'));
CREATE INDEX event_unrouted_idx ON event (user_id, seq) WHERE status = 'accepted';
-- no query reads a user's events by time (the timeline is the activity table); an index fewer to
-- write, now that a status change, being in an index's predicate, updates every index of the row
DROP INDEX event_user_idx;

ALTER TABLE notification ADD COLUMN event_seq BIGINT;
UPDATE notification n SET event_seq = COALESCE((SELECT e.seq FROM event e WHERE e.event_id = n.event_id), 0);
ALTER TABLE notification ALTER COLUMN event_seq SET NOT NULL;
ALTER TABLE notification DROP CONSTRAINT notification_status_check,
    ADD CONSTRAINT notification_status_check CHECK (status IN ('pending', 'held', 'sent', 'failed', 'dead-lettered'));
-- the unsettled ones, which hold back a user's later notifications on the channel
CREATE INDEX notification_unsettled_idx ON notification (user_id, channel, event_seq) WHERE status IN ('pending', 'held');
-- the held ones, which a settled one releases: nearly always empty, so the look after every
-- settled notification costs next to nothing, also while a burst leaves many pending
CREATE INDEX notification_held_idx ON notification (user_id, channel, event_seq) WHERE status = 'held';
-- a user's notifications on a channel in event order: the last settled one before a failure;
-- it replaces the index by user and time, which no query used
CREATE INDEX notification_order_idx ON notification (user_id, channel, event_seq);
DROP INDEX notification_user_idx;
