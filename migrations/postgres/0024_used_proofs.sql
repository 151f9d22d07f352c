-- Proofs of work from the signup form already used (issue 30): each works once, on every
-- instance, until it expires (minutes); expired ones are deleted as new ones come.
CREATE TABLE used_proofs (
    signature  TEXT PRIMARY KEY NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_proofs_expires_at ON used_proofs (expires_at);
