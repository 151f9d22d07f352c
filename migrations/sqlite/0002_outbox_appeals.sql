-- Calls to LedgerOS that must happen, retried until they do (the outbox).
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_at       INTEGER NOT NULL,
    -- A worker holds the job until then; another may take it over afterwards.
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (kind, user_id)
);
CREATE INDEX jobs_due ON jobs (run_at);

-- Appeals from denied applicants, for the support team.
CREATE TABLE appeals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX appeals_user ON appeals (user_id);

-- When the user last came back from the hosted page in the current status (NULL once it changes).
ALTER TABLE users ADD COLUMN returned_at INTEGER;
-- When the reconciler last asked LedgerOS about this user.
ALTER TABLE users ADD COLUMN reconciled_at INTEGER;
