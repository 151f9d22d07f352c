-- The signed-in user's id beside each session: loading a session joins the user's row, so a
-- signed-in page reads the database once for both.
ALTER TABLE tower_sessions.session ADD COLUMN IF NOT EXISTS user_id TEXT;
