-- The plan that runs itself: a library's rolling plan of posts from its finished strategy,
-- who wants reminders, the linked Telegram channel, and the numbers of monthly check-ins.
-- Dates of posts are the library's local calendar ('YYYY-MM-DD', 'HH:MM'); other times are
-- UTC text like everywhere else.

CREATE TABLE plans (
    library_id    INTEGER PRIMARY KEY REFERENCES libraries(id) ON DELETE CASCADE,
    strategy_id   INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    started_on    TEXT NOT NULL,                  -- local date of the first week's Monday
    ends_on       TEXT NOT NULL,                  -- local date the strategy's horizon ends
    week_weekday  INTEGER NOT NULL DEFAULT 0,     -- the week's posts go out on this day (0 = Monday)
    week_hour     INTEGER NOT NULL DEFAULT 9,     -- ... at this local hour
    reviewed_on   TEXT,                           -- the ends_on whose review owners were invited to
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE plan_posts (
    id            INTEGER PRIMARY KEY,
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    strategy_id   INTEGER NOT NULL,
    slot_key      TEXT NOT NULL,                  -- the schedule's slot: 'date network time'
    day           TEXT NOT NULL,
    time          TEXT NOT NULL,
    network       TEXT NOT NULL,
    rubric        TEXT NOT NULL,
    draft         TEXT NOT NULL,                  -- JSON: the generated headline and body (locale keys)
    text          TEXT,                           -- the staff's own text, once edited
    photo         TEXT,                           -- Telegram file id of an attached photo
    status        TEXT NOT NULL DEFAULT 'planned'
                  CHECK (status IN ('planned', 'posted', 'skipped')),
    edited        INTEGER NOT NULL DEFAULT 0,     -- changed by hand: regeneration keeps it
    snooze_until  TEXT,                           -- UTC; "Later" asks again at this moment
    reminded      TEXT,                           -- which reminder went out last (day, time, snooze)
    publish       TEXT NOT NULL DEFAULT 'off'
                  CHECK (publish IN ('off', 'approved', 'queued', 'published', 'failed')),
    outbox_id     INTEGER,                        -- the channel post in the outbox
    message_id    INTEGER,                        -- the channel post in Telegram
    publish_error TEXT,
    done_at       TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (library_id, slot_key)
);
CREATE INDEX plan_posts_day ON plan_posts(library_id, day);
CREATE INDEX plan_posts_open ON plan_posts(status, day);

-- Staff who want the week's posts and the reminders; membership still decides.
CREATE TABLE plan_subscribers (
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (library_id, user_id)
);

CREATE TABLE plan_channels (
    library_id    INTEGER PRIMARY KEY REFERENCES libraries(id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    username      TEXT NOT NULL DEFAULT '',
    linked_by     INTEGER NOT NULL,
    linked_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Monthly check-ins: followers (and optionally reach) per network and month ('YYYY-MM').
CREATE TABLE plan_metrics (
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    network       TEXT NOT NULL,
    month         TEXT NOT NULL,
    followers     INTEGER NOT NULL,
    reach         INTEGER,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (library_id, network, month)
);
