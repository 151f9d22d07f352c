-- Email, one-time tokens and reminders (issue 4).

-- Signups waiting for their owner to prove the address (the link in the email). The account
-- is created from the signup whose link is opened, so nobody can claim an address that is not
-- theirs, and the signup form answers the same whether or not the address has an account.
CREATE TABLE signups (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX signups_email ON signups (email);

-- Reminder emails sent for the current status (reset to 0 when the status changes).
ALTER TABLE users ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
-- When the last reminder was queued (the next one waits its gap after it).
ALTER TABLE users ADD COLUMN reminded_at INTEGER;
-- Set when the person turned reminders off with the link in one of them.
ALTER TABLE users ADD COLUMN reminders_off_at INTEGER;
-- Random, per user: the one-click opt-out link carries it. It can only turn reminders off/on.
ALTER TABLE users ADD COLUMN reminders_token TEXT;
CREATE UNIQUE INDEX users_reminders_token ON users (reminders_token);

-- Single-use tokens sent by email (password reset). Only a SHA-256
-- of the token is kept, so a copy of the database cannot be used to take over accounts.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX tokens_user ON tokens (user_id, purpose);

-- The email outbox: written in the same transaction as whatever caused the email, delivered
-- by a worker with retries. With SMTP the body is erased once sent (it may hold a link that
-- signs someone in); in demo mode it is kept for the dev mailbox page.
CREATE TABLE emails (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    kind         TEXT NOT NULL,
    to_address   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT,
    -- Where the one-click opt-out goes (List-Unsubscribe), for reminders.
    unsubscribe_url TEXT,
    created_at   INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    sent_at      INTEGER,
    last_error   TEXT
);
CREATE INDEX emails_due ON emails (run_at) WHERE sent_at IS NULL;

UPDATE users SET reminders_token = lower(hex(randomblob(16))) WHERE reminders_token IS NULL;
