-- Every event the service has accepted (REST) or consumed (any producer), with its processing state.
CREATE TABLE event (
    event_id     TEXT        PRIMARY KEY,
    event_type   TEXT        NOT NULL,
    user_id      TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,   -- the producer's clock: shown, never used for ordering
    payload      JSONB       NOT NULL,
    metadata     JSONB,
    status       TEXT        NOT NULL CHECK (status IN ('accepted', 'processed')),
    accepted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ
);
CREATE INDEX event_user_idx ON event (user_id, accepted_at DESC);

-- The idempotent-consumer table: one row per (consumer, event) written in the same XA transaction
-- as the message acknowledgement. Pruned after a retention period.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_event_age_idx ON processed_event (processed_at);

-- One row per failed delivery attempt, written in its own transaction so that it survives the
-- rollback of the attempt: why a message was retried or dead-lettered.
CREATE TABLE delivery_failure (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer   TEXT        NOT NULL,
    event_id   TEXT        NOT NULL,
    attempt    INT         NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason     TEXT        NOT NULL
);
CREATE INDEX delivery_failure_event_idx ON delivery_failure (event_id, consumer, attempt);
