-- One notification per event and channel: what was rendered, for whom, and how its delivery went.
CREATE TABLE notification (
    notification_id UUID        PRIMARY KEY,          -- also the providers' idempotency key
    event_id        TEXT        NOT NULL,
    user_id         TEXT        NOT NULL,
    channel         TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    address         JSONB,                            -- email address, phone number or push tokens
    content         JSONB,                            -- the rendered parts: subject and body, text, ...
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dead-lettered')),
    attempts        INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    UNIQUE (event_id, channel)
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC);
