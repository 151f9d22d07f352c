-- Deleting an account (issue 26). A confirmed request waits out a grace period (the person
-- can cancel by logging in); then the account is erased, or, for someone LedgerOS decided on,
-- reduced to the due-diligence record that anti-money-laundering law holds until `held_until`.
ALTER TABLE users ADD COLUMN deletion_due_at BIGINT;
ALTER TABLE users ADD COLUMN held_until BIGINT;
CREATE INDEX users_deletion_due ON users (deletion_due_at) WHERE deletion_due_at IS NOT NULL;
CREATE INDEX users_held_until ON users (held_until) WHERE held_until IS NOT NULL;
-- LedgerOS has no deletion call: each erasure is listed for staff to ask LedgerOS, and the
-- LedgerOS id is kept only until they mark it sent.
CREATE TABLE ledger_erasures (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ledger_user_id TEXT,
    erased_at      BIGINT NOT NULL,
    sent_at        BIGINT,
    sent_by        TEXT REFERENCES operators (id)
);
CREATE INDEX ledger_erasures_unsent ON ledger_erasures (erased_at) WHERE sent_at IS NULL;
