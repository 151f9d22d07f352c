-- The verification budget (issue 30). When a person's verification was created (what the
-- budget counts), and since when they wait for the budget to open.
ALTER TABLE users ADD COLUMN verification_spent_at BIGINT;
ALTER TABLE users ADD COLUMN budget_held_at BIGINT;
CREATE INDEX users_verification_spent_at ON users (verification_spent_at)
    WHERE verification_spent_at IS NOT NULL;
CREATE INDEX users_budget_held_at ON users (budget_held_at) WHERE budget_held_at IS NOT NULL;

-- Verifications admins allowed beyond the budget ("Allow N more today"), per UTC day.
CREATE TABLE verification_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day         BIGINT NOT NULL,
    count       BIGINT NOT NULL CHECK (count > 0),
    operator_id TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX verification_grants_day ON verification_grants (day);

-- The days the budget ran out (the admins are emailed once a day).
CREATE TABLE budget_alerts (
    day BIGINT PRIMARY KEY NOT NULL,
    at  BIGINT NOT NULL
);
