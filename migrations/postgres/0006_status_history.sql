-- Every status change of a user, with how it reached us (a webhook, a read on return, the
-- reconciler…), for the console's timeline.
CREATE TABLE status_changes (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status   TEXT NOT NULL,
    source   TEXT NOT NULL,
    event_id TEXT,
    at       BIGINT NOT NULL
);
CREATE INDEX status_changes_user ON status_changes (user_id, at);

-- Documents a person sent (their type and when; the files themselves go to LedgerOS only).
CREATE TABLE document_uploads (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_type TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX document_uploads_user ON document_uploads (user_id, at);

-- Webhook deliveries refused before anything was stored (a bad signature, an unreadable
-- body): counted per minute, because a spike means a misconfigured secret.
CREATE TABLE webhook_refusals (
    minute BIGINT NOT NULL,
    reason TEXT NOT NULL,
    count  BIGINT NOT NULL,
    PRIMARY KEY (minute, reason)
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);
CREATE INDEX emails_user ON emails (user_id, created_at);
