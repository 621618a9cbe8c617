-- The transactional outbox: an accepted event's message, written in the same local transaction as
-- the event's row and removed in the XA transaction that sends it to the broker. Publishing thus
-- needs only the database: while the broker is down, events wait here. The relay sends them in id
-- order, so that a user's later events never overtake the ones still waiting.
CREATE TABLE outbox (
    id                   BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id             TEXT        NOT NULL,
    event_type           TEXT        NOT NULL,
    user_id              TEXT        NOT NULL,
    message              TEXT        NOT NULL,   -- the JSON text sent as it is
    payload_by_reference BOOLEAN     NOT NULL,   -- claim check: the message holds no payload
    accepted_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
