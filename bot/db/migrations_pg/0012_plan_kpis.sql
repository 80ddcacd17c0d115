-- Twin of bot/db/migrations/0012_plan_kpis.sql: a post's average interactions per network,
-- and the library's own monthly numbers (clicks from tagged links, event visitors).
ALTER TABLE plan_metrics ADD COLUMN interactions BIGINT;

CREATE TABLE plan_month_numbers (
    library_id        BIGINT NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    month             TEXT COLLATE "C" NOT NULL,
    clicks            BIGINT,
    attendees         BIGINT,
    attendees_social  BIGINT,
    recorded_at       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (library_id, month)
);

UPDATE schema_version SET version = 12;
