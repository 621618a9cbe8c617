-- Each user's timeline of events, in the order the activity subscriber consumed them (the
-- broker's per-user order), which is what "newest first" means here; never the producers' clocks.
CREATE TABLE activity (
    position    BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, event_id)
);
CREATE INDEX activity_user_idx ON activity (user_id, position DESC);
