-- Applicant search by part of a name (the console): a trigram index on the very expression
-- the search filters on. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension:
-- the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_name_trgm ON users USING gin (LOWER(first_name || ' ' || last_name) gin_trgm_ops);
