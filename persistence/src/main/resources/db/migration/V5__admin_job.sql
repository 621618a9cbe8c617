-- Long-running operator actions (bulk dead-letter retries, history replays): what each works on,
-- at what rate, and how far it got, readable from every instance of the service.
CREATE TABLE admin_job (
    job_id          UUID        PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('dead-letter-retry', 'history-replay')),
    source          TEXT        NOT NULL,   -- the dead-letter queue, or the address replayed
    target          TEXT,                   -- the subscription a history replay feeds
    selection       JSONB       NOT NULL,
    rate_per_second INT         NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    total           INT,                    -- known once the job has listed its messages
    done            INT         NOT NULL DEFAULT 0,
    failed          INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at      TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),  -- every change: a job of a stopped instance goes stale
    finished_at     TIMESTAMPTZ
);
CREATE INDEX admin_job_created_idx ON admin_job (created_at DESC);
