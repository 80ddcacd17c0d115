-- Users, libraries, staff, strategies, answers, and the FSM storage.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,          -- Telegram user id
    language      TEXT,                          -- chosen locale; NULL until known
    role          TEXT NOT NULL DEFAULT 'staff', -- staff | reader | admin (admins also come from settings)
    first_name    TEXT NOT NULL DEFAULT '',
    blocked_bot   INTEGER NOT NULL DEFAULT 0,    -- set when Telegram says the user blocked us
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE libraries (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    settlement    TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    timezone      TEXT NOT NULL DEFAULT 'UTC',
    is_state      INTEGER NOT NULL DEFAULT 0,    -- state or municipal institution (270-FZ applies in Russia)
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE memberships (
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role          TEXT NOT NULL DEFAULT 'owner', -- owner | editor
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (library_id, user_id)
);

CREATE TABLE strategies (
    id            INTEGER PRIMARY KEY,
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    title         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete')),
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at  TEXT
);
CREATE INDEX strategies_library ON strategies(library_id);

CREATE TABLE answers (
    strategy_id   INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    value         TEXT NOT NULL,                 -- JSON
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (strategy_id, question_id)
);

-- aiogram FSM storage: one row per StorageKey, built by DefaultKeyBuilder.
CREATE TABLE fsm (
    key           TEXT PRIMARY KEY NOT NULL,
    state         TEXT,
    data          TEXT NOT NULL DEFAULT '{}',    -- JSON, never pickle
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
