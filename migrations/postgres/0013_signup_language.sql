-- The language of the page the signup form was sent from: the account starts with it, so
-- reminders and decisions reach the person in the language they signed up in.
ALTER TABLE signups ADD COLUMN language TEXT;
