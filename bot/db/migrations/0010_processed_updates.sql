-- Updates already handled, written in each update's own transaction: Telegram delivers an
-- update again when its confirmation was lost (a crash between commit and confirmation, a
-- webhook retry), and the second delivery must change nothing. Kept for two days (Telegram
-- keeps unconfirmed updates for one), cleared by the scheduler.
CREATE TABLE processed_updates (
    bot_id        INTEGER NOT NULL,
    update_id     INTEGER NOT NULL,
    handled_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (bot_id, update_id)
) WITHOUT ROWID;

CREATE INDEX processed_updates_by_time ON processed_updates (handled_at);
