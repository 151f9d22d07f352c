-- Operators' second factor (issue 27): a TOTP secret (RFC 6238), ten single-use recovery codes
-- (SHA-256 of 80 random bits each: never the codes), one-time setup links (their digest), and
-- passkeys (WebAuthn) for operators and, optionally, applicants.
CREATE TABLE operator_totp (
    operator_id TEXT PRIMARY KEY REFERENCES operators (id),
    -- Base32, as authenticator apps read it: it must stay readable to check codes.
    secret      TEXT NOT NULL,
    -- The latest 30-second step a code was accepted for: a code is never accepted twice.
    last_step   BIGINT NOT NULL DEFAULT 0,
    enrolled_at BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    operator_id TEXT NOT NULL REFERENCES operators (id),
    code_hash   TEXT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (operator_id, code_hash)
);

CREATE TABLE setup_links (
    token_hash  TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

CREATE TABLE passkeys (
    -- The credential id, base64url.
    id           TEXT PRIMARY KEY,
    operator_id  TEXT REFERENCES operators (id),
    user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
    -- The WebAuthn user handle (a random UUID per account, the same for all its passkeys).
    handle       TEXT NOT NULL,
    name         TEXT NOT NULL,
    -- webauthn-rs's Passkey as JSON (public key, counter, flags).
    passkey      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    CHECK ((operator_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX passkeys_operator ON passkeys (operator_id);
CREATE INDEX passkeys_user ON passkeys (user_id);
