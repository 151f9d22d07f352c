-- The language the person chose with the switcher (en, es, ar); NULL until they choose one,
-- and then their pages and emails follow it.
ALTER TABLE users ADD COLUMN language TEXT;
