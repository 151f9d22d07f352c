-- Sessions, in tower-sessions-sqlx-store's layout (the store is ours now, so the table is
-- created here), with the signed-in user's id: loading a session joins the user's row, so a
-- signed-in page reads the database once for both.
CREATE TABLE IF NOT EXISTS tower_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
ALTER TABLE tower_sessions ADD COLUMN user_id TEXT;
