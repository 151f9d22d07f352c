-- The fintech's own staff: the operator console at /admin. Not customers: their own table,
-- their own login.
CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    -- support: read, answer appeals, refresh a status; admin: also replay webhooks and manage operators.
    role          TEXT NOT NULL CHECK (role IN ('support', 'admin')),
    created_at    INTEGER NOT NULL
);

-- Every operator action, shown in the console.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id TEXT REFERENCES operators (id),
    action      TEXT NOT NULL,
    subject     TEXT,
    detail      TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Support's reply to an appeal (emailed through the outbox) and when the case was closed.
ALTER TABLE appeals ADD COLUMN answer TEXT;
ALTER TABLE appeals ADD COLUMN answered_at INTEGER;
ALTER TABLE appeals ADD COLUMN answered_by TEXT REFERENCES operators (id);
ALTER TABLE appeals ADD COLUMN resolved_at INTEGER;
CREATE INDEX appeals_queue ON appeals (resolved_at, created_at);
