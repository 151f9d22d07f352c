-- When the person first opened the hosted verification (the funnel's "verification started").
ALTER TABLE users ADD COLUMN started_at BIGINT;
CREATE INDEX users_created ON users (created_at);
CREATE INDEX emails_kind_created ON emails (kind, created_at);
