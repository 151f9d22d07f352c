-- Rate limits kept in the database (GCRA): per key, the theoretical arrival time of the next
-- attempt, in ms. One SQLite process counts in memory; the table lets the same store API
-- serve both backends.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tat INTEGER NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);
