-- The monthly check-in judges more KPIs (issue 13): a post's average reach is kept per
-- network (the column exists; it held one figure for the month on the first network), the
-- average interactions of a post per network (engagement rate), and the library's own
-- monthly numbers: clicks from the tagged links and event attendance.
ALTER TABLE plan_metrics ADD COLUMN interactions INTEGER;

CREATE TABLE plan_month_numbers (
    library_id        INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    month             TEXT NOT NULL,
    clicks            INTEGER,
    attendees         INTEGER,
    attendees_social  INTEGER,
    recorded_at       TEXT NOT NULL,
    PRIMARY KEY (library_id, month)
);
