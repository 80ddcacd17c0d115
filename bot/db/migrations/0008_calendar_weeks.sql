-- The calendar length a librarian picked for a strategy (weeks); NULL = the strategy's horizon.
ALTER TABLE strategies ADD COLUMN calendar_weeks INTEGER
    CHECK (calendar_weeks IS NULL OR calendar_weeks BETWEEN 1 AND 104);
