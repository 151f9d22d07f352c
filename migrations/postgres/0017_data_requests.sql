-- Data requests from people who write in (issue 26): support opens one (an export or a
-- deletion), an admin confirms it; the law gives a month to answer.
CREATE TABLE data_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('export', 'deletion')),
    opened_by    TEXT NOT NULL REFERENCES operators (id),
    opened_at    BIGINT NOT NULL,
    confirmed_by TEXT REFERENCES operators (id),
    confirmed_at BIGINT
);
CREATE INDEX data_requests_open ON data_requests (opened_at) WHERE confirmed_at IS NULL;
