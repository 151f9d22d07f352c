-- Rate limits every instance shares (GCRA): per key, the theoretical arrival time of the next
-- attempt, in ms. UNLOGGED: no WAL and no fsync per attempt; a crash of the database server
-- empties it, which only forgives some attempts.
CREATE UNLOGGED TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);
