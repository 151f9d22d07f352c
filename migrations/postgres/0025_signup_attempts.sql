-- Signup forms, for the console's signals (issue 30): when, from which network (the /24 or /64,
-- never the address), and whether it was accepted or refused for a throwaway address. Kept
-- eight days (the same hour last week is compared), then deleted as new ones come.
CREATE TABLE signup_attempts (
    id BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    network  TEXT NOT NULL,
    accepted BOOLEAN NOT NULL
);
CREATE INDEX signup_attempts_at ON signup_attempts (at);
