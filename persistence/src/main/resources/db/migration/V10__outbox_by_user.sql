-- Every instance's outbox relay leaves a user's later messages while an earlier one is held by
-- another (Outbox.oldest): found by user, in id order.
CREATE INDEX outbox_user_idx ON outbox (user_id, id);
