-- Reader surveys, their links, responses (readers only as keyed hashes), pulse polls,
-- and a small key-value table for generated settings (the survey secret).

CREATE TABLE settings (
    key           TEXT PRIMARY KEY NOT NULL,
    value         TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY,
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    title         TEXT NOT NULL,
    config        TEXT NOT NULL DEFAULT '{}',    -- JSON of bot.survey.questions.SurveyConfig
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closes_at     TEXT,                          -- UTC, same text format as created_at
    response_cap  INTEGER CHECK (response_cap IS NULL OR response_cap > 0),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    closed_at     TEXT
);
CREATE INDEX surveys_library ON surveys(library_id);

CREATE TABLE survey_sources (
    id            INTEGER PRIMARY KEY,
    survey_id     INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,                 -- poster | vk | telegram | website | event | other
    label         TEXT NOT NULL DEFAULT '',
    payload       TEXT NOT NULL UNIQUE,          -- the deep-link start parameter
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX survey_sources_survey ON survey_sources(survey_id);

CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    survey_id     INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    reader_hash   TEXT NOT NULL,                 -- HMAC-SHA256 of the Telegram id, never the id
    source_id     INTEGER REFERENCES survey_sources(id) ON DELETE SET NULL,
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at  TEXT,
    UNIQUE (survey_id, reader_hash)
);
CREATE INDEX responses_reader ON responses(reader_hash);

CREATE TABLE response_answers (
    response_id   INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    value         TEXT NOT NULL,                 -- JSON
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (response_id, question_id)
);

-- One-question native polls posted in a library's chat or channel; Telegram sends the
-- whole tally with every update, so counts are replaced, never incremented.
CREATE TABLE pulse_polls (
    id            INTEGER PRIMARY KEY,
    survey_id     INTEGER REFERENCES surveys(id) ON DELETE CASCADE,
    library_id    INTEGER REFERENCES libraries(id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    poll_id       TEXT NOT NULL UNIQUE,
    question      TEXT NOT NULL,
    options       TEXT NOT NULL,                 -- JSON list of option texts
    counts        TEXT NOT NULL,                 -- JSON list of voter counts, same order
    total_voters  INTEGER NOT NULL DEFAULT 0,
    is_closed     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (survey_id IS NOT NULL OR library_id IS NOT NULL)
);
CREATE INDEX pulse_polls_library ON pulse_polls(library_id);
