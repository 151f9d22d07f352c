-- The whole schema on PostgreSQL, as migrations/sqlite/0001..0004 build it on SQLite.
-- Times are milliseconds since the epoch (BIGINT), as on SQLite, so both backends share code
-- and tests. We keep names, email and LedgerOS ids and statuses; never SSNs or documents.

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE,
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    ledger_user_id     TEXT UNIQUE,
    verification_url   TEXT,
    application_status TEXT NOT NULL DEFAULT 'notStarted',
    -- createdAt (ms) of the LedgerOS report behind application_status: older reports lose.
    status_as_of       BIGINT,
    required_fields    TEXT NOT NULL DEFAULT '[]',
    status_changed_at  BIGINT NOT NULL,
    -- When the user last came back from the hosted page in the current status.
    returned_at        BIGINT,
    -- When the reconciler last asked LedgerOS about this user.
    reconciled_at      BIGINT,
    -- Reminder emails sent for the current status (reset to 0 when the status changes).
    reminders_sent     BIGINT NOT NULL DEFAULT 0,
    reminded_at        BIGINT,
    reminders_off_at   BIGINT,
    -- Random, per user: the one-click opt-out link carries it.
    reminders_token    TEXT UNIQUE
);
CREATE INDEX users_status ON users (application_status, status_changed_at);

-- Every webhook we accepted, by LedgerOS event id: the inbox and the dedupe key in one.
CREATE TABLE webhook_events (
    id              TEXT PRIMARY KEY,
    event_type      TEXT NOT NULL,
    ledger_user_id  TEXT,
    created_at_ms   BIGINT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT,
    required_fields TEXT NOT NULL DEFAULT '[]',
    received_at     BIGINT NOT NULL,
    -- NULL while the event waits for its user to appear.
    processed_at    BIGINT,
    outcome         TEXT
);
CREATE INDEX webhook_events_waiting ON webhook_events (ledger_user_id) WHERE processed_at IS NULL;

-- Calls to LedgerOS that must happen, retried until they do.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attempts     BIGINT NOT NULL DEFAULT 0,
    run_at       BIGINT NOT NULL,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    UNIQUE (kind, user_id)
);
CREATE INDEX jobs_due ON jobs (run_at);

CREATE TABLE appeals (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX appeals_user ON appeals (user_id);

-- Signups waiting for their owner to open the link in the email.
CREATE TABLE signups (
    token_hash    TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX signups_email ON signups (email);

-- Single-use tokens sent by email (password reset); only a SHA-256 of each is kept.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX tokens_user ON tokens (user_id, purpose);

-- The email queue, written in the same transaction as whatever caused the email.
CREATE TABLE emails (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    kind            TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT,
    unsubscribe_url TEXT,
    created_at      BIGINT NOT NULL,
    run_at          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX emails_due ON emails (run_at) WHERE sent_at IS NULL;
CREATE INDEX emails_sent ON emails (sent_at) WHERE sent_at IS NOT NULL;

-- Browsers an account has signed in from (only a SHA-256 of each device token).
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id, last_used_at);

-- Sessions (tower-sessions' PostgresStore layout), created here so that instances starting
-- together never race to create them.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
