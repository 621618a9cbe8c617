-- Who gets notified, and how to reach them.
CREATE TABLE recipient (
    user_id     TEXT        PRIMARY KEY,
    email       TEXT,
    phone       TEXT,                               -- E.164
    push_tokens JSONB       NOT NULL DEFAULT '[]',  -- device tokens, as a JSON array of strings
    locale      TEXT        NOT NULL,               -- BCP 47, picks the templates' language
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The channels a user chose for an event type; a type without a row gets its default channels.
CREATE TABLE channel_preference (
    user_id    TEXT  NOT NULL REFERENCES recipient (user_id) ON DELETE CASCADE,
    event_type TEXT  NOT NULL,
    channels   JSONB NOT NULL,                      -- JSON array of channel names, possibly empty
    PRIMARY KEY (user_id, event_type)
);
