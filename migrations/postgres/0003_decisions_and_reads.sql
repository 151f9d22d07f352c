-- LedgerOS's reason for a denial (`data.reason` of the webhook), kept for operators; the
-- customer sees a respectful, generic message instead.
ALTER TABLE webhook_events ADD COLUMN reason TEXT;
ALTER TABLE users ADD COLUMN denial_reason TEXT;
-- When we last read this user's status from LedgerOS (any path): at most one read a minute
-- per person, whichever instance asks.
ALTER TABLE users ADD COLUMN checked_at BIGINT;
-- When LedgerOS last told us this user's status (a read or a webhook), shown on the status page.
ALTER TABLE users ADD COLUMN confirmed_at BIGINT;
