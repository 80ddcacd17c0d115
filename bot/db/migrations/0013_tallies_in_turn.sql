-- Nothing changes on SQLite. Version 13 makes PostgreSQL's kept-count triggers take the
-- survey's row before its counts, so readers completing one survey at once take turns
-- instead of deadlocking (bot/db/migrations_pg/0013_tallies_in_turn.sql). SQLite has one
-- writer per file, so its triggers already run one transaction at a time; the version is
-- kept here so that version N is the same schema on both engines.
SELECT 1;
