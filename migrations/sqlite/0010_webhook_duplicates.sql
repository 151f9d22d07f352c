-- How many times a stored webhook was delivered again (acknowledged, not applied), for the
-- console's webhook log.
ALTER TABLE webhook_events ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;
