-- Operators' lists of email domains (issue 30), on top of the maintained list of throwaway
-- providers: `block` refuses a domain (and the domains under it) at signup, `allow` accepts one
-- the list would refuse. Configuration, not personal data: kept by the demo's reset and by
-- erasure.
CREATE TABLE email_domain_rules (
    domain   TEXT PRIMARY KEY NOT NULL,
    rule     TEXT NOT NULL CHECK (rule IN ('block', 'allow')),
    added_by TEXT,
    added_at BIGINT NOT NULL
);
