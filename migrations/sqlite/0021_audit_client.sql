-- Where staff were when they acted or looked (issue 27: every view of a person's data is recorded).
ALTER TABLE audit_log ADD COLUMN client TEXT;
