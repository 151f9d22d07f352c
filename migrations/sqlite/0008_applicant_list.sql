-- The console's applicant list: keyset pages ordered by time in status, all or one status.
CREATE INDEX users_time_in_status ON users (status_changed_at, id);
CREATE INDEX users_status_time ON users (application_status, status_changed_at, id);
