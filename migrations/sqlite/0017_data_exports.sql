-- Exports of a person's data (issue 26): one a day each, listed in the export itself and,
-- later, in the console's data requests.
CREATE TABLE data_exports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_by TEXT NOT NULL CHECK (requested_by IN ('person', 'support')),
    at           INTEGER NOT NULL
);
CREATE INDEX data_exports_user ON data_exports (user_id, at);
-- An audit entry that the person it is about made themselves (an export, a deletion request):
-- their export names the actor "you" rather than "the system".
ALTER TABLE audit_log ADD COLUMN by_person INTEGER NOT NULL DEFAULT 0;
