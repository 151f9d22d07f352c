-- Retention that runs by itself (issue 26). An account's last login (an idle account that
-- never started verification is warned after 180 days, then erased 30 days later unless the
-- person logs in), and what each rule has removed, for the console and /metrics.
ALTER TABLE users ADD COLUMN last_login_at INTEGER;
ALTER TABLE users ADD COLUMN idle_warned_at INTEGER;
CREATE TABLE retention_tally (
    rule         TEXT PRIMARY KEY,
    removed      INTEGER NOT NULL DEFAULT 0,
    last_run_at  INTEGER NOT NULL,
    last_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX emails_sent ON emails (sent_at);
CREATE INDEX signups_created ON signups (created_at);
