-- A user's events keep the order in which their requests happened one after the other, also when
-- the router consumes an earlier one late (its transaction rolled back by a broker failover or by
-- its instance's death, then redelivered after the group's later messages). after_seq is the seq of
-- the user's newest event that had committed when this one was recorded: the one its publisher
-- had been answered for before sending this. A notification of this event waits while that event,
-- or any earlier one of the user, is still unrouted. Events accepted concurrently do not see each
-- other, and keep no order between them.
ALTER TABLE event ADD COLUMN after_seq BIGINT;
-- the user's newest event, looked up as each event is recorded
CREATE INDEX event_user_seq_idx ON event (user_id, seq);
