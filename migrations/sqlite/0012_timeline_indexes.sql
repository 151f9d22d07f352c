-- An applicant's timeline reads these by applicant.
CREATE INDEX webhook_events_ledger_user ON webhook_events (ledger_user_id, received_at);
CREATE INDEX audit_log_subject ON audit_log (subject, at);
CREATE INDEX jobs_user ON jobs (user_id);
