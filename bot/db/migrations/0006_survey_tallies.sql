-- Kept counts of survey answers, so results read a few hundred rows at any number of responses.
--
-- Triggers keep them in the same statement (and so the same transaction) as the change they
-- count: a response started, completed, an answer of a completed response changed, a reader
-- forgotten. Only completed responses are counted, as in bot/survey/stats.py.
--
-- survey_tallies.kind:
--   't'  a = 'started' | 'completed'                       responses of the survey
--   's'  a = source id, b = 'started' | 'completed'        responses per link
--   'n'  a = question id                                   respondents who gave it any choice
--   'q'  a = question id, b = choice                       respondents per choice
--   'x'  a = age group, b = interest                       age x interests cells
--   'r'  a = age group                                     respondents with an age and interests
-- The age and interests ids are bot.survey.questions.AGE and INTERESTS.

CREATE TABLE survey_tallies (
    survey_id     INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    a             TEXT NOT NULL,
    b             TEXT NOT NULL DEFAULT '',
    n             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, kind, a, b)
) WITHOUT ROWID;

-- What each completed response added, so a change takes back exactly that and adds anew.
CREATE TABLE response_tally_rows (
    response_id   INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    a             TEXT NOT NULL,
    b             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, kind, a, b)
) WITHOUT ROWID;

-- One row per count a response adds 1 to (choices as in stats._chosen: text values of the
-- stored JSON; keys with a dot are "other" texts and unconfirmed ticks, never counted).
-- UNION ALL of DISTINCT arms (the arms differ by kind), so SQLite pushes a trigger's
-- "WHERE response_id = ..." into every arm and reads one response, not the whole table.
CREATE VIEW response_tallies AS
SELECT DISTINCT a.response_id, 'q' AS kind, a.question_id AS a, j.value AS b
FROM response_answers a, json_each(a.value) j
WHERE a.question_id NOT LIKE '%.%' AND j.type = 'text'
UNION ALL
SELECT DISTINCT a.response_id, 'n', a.question_id, ''
FROM response_answers a, json_each(a.value) j
WHERE a.question_id NOT LIKE '%.%' AND j.type = 'text'
UNION ALL
SELECT DISTINCT age.response_id, 'x', ja.value, ji.value
FROM response_answers age
JOIN response_answers i ON i.response_id = age.response_id AND i.question_id = 'sv_interests',
     json_each(age.value) ja, json_each(i.value) ji
WHERE age.question_id = 'sv_age' AND ja.type = 'text' AND ji.type = 'text'
UNION ALL
SELECT DISTINCT age.response_id, 'r', ja.value, ''
FROM response_answers age
JOIN response_answers i ON i.response_id = age.response_id AND i.question_id = 'sv_interests',
     json_each(age.value) ja, json_each(i.value) ji
WHERE age.question_id = 'sv_age' AND ja.type = 'text' AND ji.type = 'text';

CREATE TRIGGER responses_tally_started AFTER INSERT ON responses
BEGIN
    INSERT INTO survey_tallies (survey_id, kind, a, b, n) VALUES (NEW.survey_id, 't', 'started', '', 1)
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT NEW.survey_id, 's', CAST(NEW.source_id AS TEXT), 'started', 1 WHERE NEW.source_id IS NOT NULL
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER responses_tally_completed AFTER UPDATE OF completed_at ON responses
WHEN OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL
BEGIN
    INSERT INTO survey_tallies (survey_id, kind, a, b, n) VALUES (NEW.survey_id, 't', 'completed', '', 1)
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT NEW.survey_id, 's', CAST(NEW.source_id AS TEXT), 'completed', 1 WHERE NEW.source_id IS NOT NULL
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT response_id, kind, a, b FROM response_tallies WHERE response_id = NEW.id;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT NEW.survey_id, kind, a, b, 1 FROM response_tally_rows WHERE response_id = NEW.id
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
END;

-- /forget: the answers go first (their triggers take the counts back), then the response.
CREATE TRIGGER responses_tally_forgotten BEFORE DELETE ON responses
BEGIN
    DELETE FROM response_answers WHERE response_id = OLD.id;
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = OLD.survey_id AND kind = 't' AND b = ''
      AND (a = 'started' OR (a = 'completed' AND OLD.completed_at IS NOT NULL));
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = OLD.survey_id AND kind = 's' AND a = CAST(OLD.source_id AS TEXT)
      AND (b = 'started' OR (b = 'completed' AND OLD.completed_at IS NOT NULL));
    DELETE FROM response_tally_rows WHERE response_id = OLD.id;
END;

-- An answer of a completed response changed: take back what it added, add what it adds now.
CREATE TRIGGER answers_tally_inserted AFTER INSERT ON response_answers
WHEN NEW.question_id NOT LIKE '%.%' AND EXISTS (
    SELECT 1 FROM responses WHERE id = NEW.response_id AND completed_at IS NOT NULL)
BEGIN
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = (SELECT survey_id FROM responses WHERE id = NEW.response_id)
      AND (kind, a, b) IN (SELECT kind, a, b FROM response_tally_rows WHERE response_id = NEW.response_id);
    DELETE FROM response_tally_rows WHERE response_id = NEW.response_id;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT response_id, kind, a, b FROM response_tallies WHERE response_id = NEW.response_id;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT (SELECT survey_id FROM responses WHERE id = NEW.response_id), kind, a, b, 1
    FROM response_tally_rows WHERE response_id = NEW.response_id
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER answers_tally_updated AFTER UPDATE OF value ON response_answers
WHEN NEW.question_id NOT LIKE '%.%' AND EXISTS (
    SELECT 1 FROM responses WHERE id = NEW.response_id AND completed_at IS NOT NULL)
BEGIN
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = (SELECT survey_id FROM responses WHERE id = NEW.response_id)
      AND (kind, a, b) IN (SELECT kind, a, b FROM response_tally_rows WHERE response_id = NEW.response_id);
    DELETE FROM response_tally_rows WHERE response_id = NEW.response_id;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT response_id, kind, a, b FROM response_tallies WHERE response_id = NEW.response_id;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT (SELECT survey_id FROM responses WHERE id = NEW.response_id), kind, a, b, 1
    FROM response_tally_rows WHERE response_id = NEW.response_id
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER answers_tally_deleted AFTER DELETE ON response_answers
WHEN OLD.question_id NOT LIKE '%.%' AND EXISTS (
    SELECT 1 FROM responses WHERE id = OLD.response_id AND completed_at IS NOT NULL)
BEGIN
    UPDATE survey_tallies SET n = n - 1
    WHERE survey_id = (SELECT survey_id FROM responses WHERE id = OLD.response_id)
      AND (kind, a, b) IN (SELECT kind, a, b FROM response_tally_rows WHERE response_id = OLD.response_id);
    DELETE FROM response_tally_rows WHERE response_id = OLD.response_id;
    INSERT INTO response_tally_rows (response_id, kind, a, b)
    SELECT response_id, kind, a, b FROM response_tallies WHERE response_id = OLD.response_id;
    INSERT INTO survey_tallies (survey_id, kind, a, b, n)
    SELECT (SELECT survey_id FROM responses WHERE id = OLD.response_id), kind, a, b, 1
    FROM response_tally_rows WHERE response_id = OLD.response_id
    ON CONFLICT (survey_id, kind, a, b) DO UPDATE SET n = n + 1;
END;

-- Surveys answered before this version: count what is there.
INSERT INTO survey_tallies (survey_id, kind, a, b, n)
SELECT survey_id, 't', 'started', '', count(*) FROM responses GROUP BY survey_id
UNION ALL
SELECT survey_id, 't', 'completed', '', count(*) FROM responses
WHERE completed_at IS NOT NULL GROUP BY survey_id
UNION ALL
SELECT survey_id, 's', CAST(source_id AS TEXT), 'started', count(*) FROM responses
WHERE source_id IS NOT NULL GROUP BY survey_id, source_id
UNION ALL
SELECT survey_id, 's', CAST(source_id AS TEXT), 'completed', count(*) FROM responses
WHERE source_id IS NOT NULL AND completed_at IS NOT NULL GROUP BY survey_id, source_id;

INSERT INTO response_tally_rows (response_id, kind, a, b)
SELECT t.response_id, t.kind, t.a, t.b
FROM response_tallies t JOIN responses r ON r.id = t.response_id
WHERE r.completed_at IS NOT NULL;

INSERT INTO survey_tallies (survey_id, kind, a, b, n)
SELECT r.survey_id, t.kind, t.a, t.b, count(*)
FROM response_tally_rows t JOIN responses r ON r.id = t.response_id
GROUP BY r.survey_id, t.kind, t.a, t.b;
