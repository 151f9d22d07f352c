-- Local accounts and what we know of their LedgerOS verification.
-- We keep names, email and LedgerOS ids and statuses; never SSNs or documents.
CREATE TABLE users (
    id                 TEXT PRIMARY KEY NOT NULL,
    email              TEXT NOT NULL UNIQUE,
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    ledger_user_id     TEXT UNIQUE,
    verification_url   TEXT,
    application_status TEXT NOT NULL DEFAULT 'notStarted',
    -- createdAt (ms) of the LedgerOS report behind application_status: older reports lose.
    status_as_of       INTEGER,
    required_fields    TEXT NOT NULL DEFAULT '[]',
    status_changed_at  INTEGER NOT NULL
);

-- Every webhook we accepted, by LedgerOS event id: the inbox and the dedupe key in one.
CREATE TABLE webhook_events (
    id             TEXT PRIMARY KEY NOT NULL,
    event_type     TEXT NOT NULL,
    ledger_user_id TEXT,
    created_at_ms  INTEGER NOT NULL,
    payload        TEXT NOT NULL,
    -- What the event reports, so a waiting event can be applied without re-parsing it.
    status         TEXT,
    required_fields TEXT NOT NULL DEFAULT '[]',
    received_at    INTEGER NOT NULL,
    -- NULL while the event waits for its user to appear.
    processed_at   INTEGER,
    outcome        TEXT
);

CREATE INDEX webhook_events_waiting ON webhook_events (ledger_user_id) WHERE processed_at IS NULL;
