-- Applicant search by part of a name (the console): an FTS5 trigram index over
-- "first last", case-folded by the tokenizer, kept in step with users by triggers. Its rows
-- are users' rowids: users has no INTEGER PRIMARY KEY, and a VACUUM may renumber rowids, so
-- after a VACUUM rebuild it with the two statements that fill it below (the app never
-- vacuums). secure-delete takes an erased person's trigrams out of the index at once, not at
-- the next merge of its segments.
CREATE VIRTUAL TABLE users_names USING fts5(name, tokenize = 'trigram');
INSERT INTO users_names (users_names, rank) VALUES ('secure-delete', 1);
INSERT INTO users_names (rowid, name) SELECT rowid, first_name || ' ' || last_name FROM users;

CREATE TRIGGER users_names_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_names (rowid, name) VALUES (NEW.rowid, NEW.first_name || ' ' || NEW.last_name);
END;

CREATE TRIGGER users_names_update AFTER UPDATE OF first_name, last_name ON users BEGIN
    DELETE FROM users_names WHERE rowid = OLD.rowid;
    INSERT INTO users_names (rowid, name) VALUES (NEW.rowid, NEW.first_name || ' ' || NEW.last_name);
END;

CREATE TRIGGER users_names_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_names WHERE rowid = OLD.rowid;
END;
