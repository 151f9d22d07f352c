-- Browsers an account has signed in from (issue 8): a long-lived cookie carries a random
-- device token, and only its SHA-256 is kept. Login attempts from a known device are counted
-- apart from the account-wide limit, so guessing at an account slows strangers down without
-- locking its owner out.
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id, last_used_at);
