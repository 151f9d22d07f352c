-- Every failed attempt of a LedgerOS call (the job itself is deleted once it succeeds), for the
-- console's timeline.
CREATE TABLE job_failures (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    attempt BIGINT NOT NULL,
    error   TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX job_failures_user ON job_failures (user_id, at);
