-- Outgoing messages (outbox) and persistent job schedule.
-- Times written by the application are UTC ISO-8601 with microseconds and a trailing Z
-- ('2026-01-05T06:00:00.000000Z'), so text comparison orders them correctly.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('message', 'document', 'photo')),
    payload         TEXT NOT NULL DEFAULT '{}',   -- JSON: text/caption, parse_mode, reply_markup, filename
    file_data       BLOB,                         -- bytes of a document or photo
    dedupe_key      TEXT UNIQUE,                  -- same key enqueued twice is stored once
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts        INTEGER NOT NULL DEFAULT 0,   -- failed tries (flood waits do not count)
    next_attempt_at TEXT NOT NULL,
    claimed_at      TEXT,                         -- when a sender took it ('sending')
    last_error      TEXT,
    message_id      INTEGER,                      -- Telegram's id of the delivered message
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_chat ON outbox(chat_id, status);

-- One row per job and scope (e.g. the weekly digest of library 7: name 'digest', scope '7').
CREATE TABLE schedule (
    name            TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT '',
    next_run_at     TEXT NOT NULL,                -- UTC; the slot the next run belongs to
    last_run_at     TEXT,                         -- UTC; when a run last finished
    failures        INTEGER NOT NULL DEFAULT 0,   -- failed runs of the current slot
    retry_at        TEXT,                         -- UTC; earliest retry of a failed slot
    last_error      TEXT,
    PRIMARY KEY (name, scope)
);
