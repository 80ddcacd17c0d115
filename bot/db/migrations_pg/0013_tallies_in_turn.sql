-- Kept counts change in turn per survey (issue 9). Readers completing one survey at once,
-- or changing answers after sending, each touch many survey_tallies rows: their own answers'
-- rows, in whatever order the plan visits them, across several statements. Two such
-- transactions could each hold a row the other waits for (deadlock, measured with 200
-- readers at once). Now every trigger that changes a count first takes the survey's own row
-- (FOR NO KEY UPDATE: foreign-key checks, which take KEY SHARE, are not held up), so a
-- survey's counts have one writer at a time and rows are always taken survey first, counts
-- second. That is also the order of the capped start (bot/db/surveys.py locks the survey
-- row, then inserts the response) and of closing a survey at its cap (counts, then the
-- survey row it already holds). Answers of a response not yet sent change no count and
-- take no lock.

CREATE OR REPLACE FUNCTION responses_tally_started() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM surveys WHERE id = NEW.survey_id FOR NO KEY UPDATE;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    VALUES (NEW.survey_id, 't', 'started', '', 1)
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    IF NEW.source_id IS NOT NULL THEN
        INSERT INTO survey_tallies (survey_id, kind, a, b, n)
        VALUES (NEW.survey_id, 's', NEW.source_id::text, 'started', 1)
        ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION responses_tally_completed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM surveys WHERE id = NEW.survey_id FOR NO KEY UPDATE;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    VALUES (NEW.survey_id, 't', 'completed', '', 1)
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    IF NEW.source_id IS NOT NULL THEN
        INSERT INTO survey_tallies (survey_id, kind, a, b, n)
        VALUES (NEW.survey_id, 's', NEW.source_id::text, 'completed', 1)
        ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    END IF;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT t.response_id, t.kind, t.a, t.b FROM response_tallies t WHERE t.response_id = NEW.id;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT NEW.survey_id, r.kind, r.a, r.b, 1 FROM response_tally_rows r
    WHERE r.response_id = NEW.id
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    RETURN NULL;
END $$;

-- A survey deleted in this transaction is no longer visible to the lock: nothing to count.
CREATE OR REPLACE FUNCTION responses_tally_forgotten() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM surveys WHERE id = OLD.survey_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN OLD;
    END IF;
    DELETE FROM response_answers WHERE response_id = OLD.id;
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = OLD.survey_id AND kind = 't' AND b = ''
      AND (a = 'started' OR (a = 'completed' AND OLD.completed_at IS NOT NULL));
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = OLD.survey_id AND kind = 's' AND a = OLD.source_id::text
      AND (b = 'started' OR (b = 'completed' AND OLD.completed_at IS NOT NULL));
    DELETE FROM response_tally_rows WHERE response_id = OLD.id;
    RETURN OLD;
END $$;

CREATE OR REPLACE FUNCTION response_answers_retally() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    rid BIGINT;
    sid BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rid := OLD.response_id;
    ELSE
        rid := NEW.response_id;
    END IF;
    SELECT r.survey_id INTO sid FROM responses r JOIN surveys s ON s.id = r.survey_id
    WHERE r.id = rid AND r.completed_at IS NOT NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM surveys WHERE id = sid FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = sid
      AND (kind, a, b) IN (SELECT r.kind, r.a, r.b FROM response_tally_rows r
                           WHERE r.response_id = rid);
    DELETE FROM response_tally_rows WHERE response_id = rid;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT t.response_id, t.kind, t.a, t.b FROM response_tallies t WHERE t.response_id = rid;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT sid, r.kind, r.a, r.b, 1 FROM response_tally_rows r WHERE r.response_id = rid
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = survey_tallies.n + 1;
    RETURN NULL;
END $$;

UPDATE schema_version SET version = 13;
