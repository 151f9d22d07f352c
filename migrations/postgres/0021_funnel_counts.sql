-- The console's funnel, counted as it happens (issue 28): reading it at a million applicants
-- must not read a million people. The same tables and rules as SQLite's 0024_funnel_counts.sql
-- (read its comment): funnel_people kept by triggers, each change's difference added to
-- funnel_deltas, folded into funnel_counts by the mail worker's rounds.
CREATE TABLE funnel_people (
    user_id      TEXT PRIMARY KEY NOT NULL,
    day          BIGINT NOT NULL,
    confirmed_at BIGINT NOT NULL,
    started_at   BIGINT,
    submitted_at BIGINT,
    approved_at  BIGINT,
    denied_at    BIGINT,
    review_at    BIGINT,
    reminded_at  BIGINT,
    moved_at     BIGINT
);

CREATE TABLE funnel_deltas (
    id      BIGSERIAL PRIMARY KEY,
    day     BIGINT NOT NULL,
    measure TEXT NOT NULL,
    bucket  BIGINT NOT NULL,
    n       BIGINT NOT NULL
);

CREATE TABLE funnel_counts (
    day     BIGINT NOT NULL,
    measure TEXT NOT NULL,
    bucket  BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (day, measure, bucket)
);

-- A duration's bucket: minutes under two hours, hours under two days, then days.
CREATE FUNCTION funnel_bucket(d BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN d IS NULL THEN -1
        WHEN d < 7200000 THEN GREATEST(d, 0) / 60000
        WHEN d < 172800000 THEN 120 + d / 3600000
        ELSE 1000 + d / 86400000 END
$$;

-- A row of funnel_people's contributions, each counted `n` times.
CREATE FUNCTION funnel_contributions(p funnel_people, times BIGINT)
RETURNS TABLE (day BIGINT, measure TEXT, bucket BIGINT, n BIGINT) LANGUAGE sql IMMUTABLE AS $$
    SELECT p.day, m.measure, funnel_bucket(m.d), times FROM (VALUES
        ('confirmed', TRUE, NULL::BIGINT),
        ('started', p.started_at IS NOT NULL OR p.submitted_at IS NOT NULL, p.started_at - p.confirmed_at),
        ('submitted', p.submitted_at IS NOT NULL, p.submitted_at - p.started_at),
        ('approved', p.approved_at IS NOT NULL AND p.submitted_at IS NOT NULL, p.approved_at - p.started_at),
        ('denied', p.denied_at IS NOT NULL AND p.submitted_at IS NOT NULL, p.denied_at - p.started_at),
        ('review', p.review_at IS NOT NULL AND p.submitted_at IS NOT NULL, p.review_at - p.started_at),
        ('reminded', p.reminded_at IS NOT NULL, NULL),
        ('back', p.reminded_at IS NOT NULL AND COALESCE(p.moved_at > p.reminded_at, FALSE), NULL)
    ) AS m (measure, counted, d)
    WHERE m.counted
$$;

-- A change: minus the row before, plus the row after; only what differs is written.
CREATE FUNCTION funnel_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO funnel_deltas (day, measure, bucket, n)
        SELECT c.day, c.measure, c.bucket, SUM(c.n) FROM funnel_contributions(NEW, 1) c
        GROUP BY c.day, c.measure, c.bucket;
    ELSE
        INSERT INTO funnel_deltas (day, measure, bucket, n)
        SELECT c.day, c.measure, c.bucket, SUM(c.n) FROM (
            SELECT * FROM funnel_contributions(OLD, -1)
            UNION ALL SELECT * FROM funnel_contributions(NEW, 1)
        ) c
        GROUP BY c.day, c.measure, c.bucket HAVING SUM(c.n) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER funnel_people_changed AFTER INSERT OR UPDATE ON funnel_people
    FOR EACH ROW EXECUTE FUNCTION funnel_people_changed();

-- What moves a person's row.
CREATE FUNCTION funnel_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO funnel_people (user_id, day, confirmed_at, started_at, moved_at)
        VALUES (NEW.id, NEW.created_at / 86400000, NEW.created_at, NEW.started_at, NEW.started_at);
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM funnel_people WHERE user_id = OLD.id;
    ELSIF NEW.started_at IS DISTINCT FROM OLD.started_at THEN
        UPDATE funnel_people SET started_at = NEW.started_at, moved_at = GREATEST(moved_at, NEW.started_at)
        WHERE user_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER funnel_user_changed AFTER INSERT OR DELETE OR UPDATE OF started_at ON users
    FOR EACH ROW EXECUTE FUNCTION funnel_user_changed();

CREATE FUNCTION funnel_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE funnel_people SET
        submitted_at = CASE WHEN NEW.status NOT IN ('notStarted', 'pending')
            THEN LEAST(submitted_at, NEW.at) ELSE submitted_at END,
        approved_at = CASE WHEN NEW.status = 'approved' THEN LEAST(approved_at, NEW.at) ELSE approved_at END,
        denied_at = CASE WHEN NEW.status = 'denied' THEN LEAST(denied_at, NEW.at) ELSE denied_at END,
        review_at = CASE WHEN NEW.status = 'manualReview' THEN LEAST(review_at, NEW.at) ELSE review_at END,
        moved_at = GREATEST(moved_at, NEW.at)
    WHERE user_id = NEW.user_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER funnel_status_change AFTER INSERT ON status_changes
    FOR EACH ROW EXECUTE FUNCTION funnel_status_change();

CREATE FUNCTION funnel_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'reminder' AND NEW.user_id IS NOT NULL THEN
        UPDATE funnel_people SET reminded_at = LEAST(reminded_at, NEW.created_at) WHERE user_id = NEW.user_id;
    ELSIF NEW.kind = 'confirm_signup' THEN
        INSERT INTO funnel_deltas (day, measure, bucket, n)
        VALUES (NEW.created_at / 86400000, 'signup_forms', -1, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER funnel_email AFTER INSERT ON emails
    FOR EACH ROW EXECUTE FUNCTION funnel_email();

-- Everyone already here, from their history.
INSERT INTO funnel_people (user_id, day, confirmed_at, started_at, submitted_at, approved_at, denied_at,
    review_at, reminded_at, moved_at)
SELECT u.id, u.created_at / 86400000, u.created_at, u.started_at,
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status NOT IN ('notStarted', 'pending')),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'approved'),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'denied'),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'manualReview'),
    (SELECT MIN(e.created_at) FROM emails e WHERE e.user_id = u.id AND e.kind = 'reminder'),
    GREATEST(u.started_at, (SELECT MAX(c.at) FROM status_changes c WHERE c.user_id = u.id))
FROM users u;
INSERT INTO funnel_deltas (day, measure, bucket, n)
SELECT created_at / 86400000, 'signup_forms', -1, COUNT(*) FROM emails WHERE kind = 'confirm_signup'
GROUP BY created_at / 86400000;
