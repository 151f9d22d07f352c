-- The console's funnel, counted as it happens (issue 28): reading it at a million applicants
-- must not read a million people.
--
-- funnel_people: one row per person, when each stage was first reached (kept by triggers on
-- users, status_changes and emails). Each change of a row adds its difference to
-- funnel_deltas: for the person's day of confirmation, per measure and per bucket of the
-- stage's duration (minutes under two hours, hours under two days, then days: the units the
-- console shows a median in). The mail worker's rounds fold deltas into funnel_counts; a read
-- adds both. An erased person's row goes, their counts stay (counts are anonymous).
-- src/funnel.rs holds the same rules in Rust (`Funnel::of`), the reference the tests compare
-- these counts with.
CREATE TABLE funnel_people (
    user_id      TEXT PRIMARY KEY NOT NULL,
    day          INTEGER NOT NULL,
    confirmed_at INTEGER NOT NULL,
    started_at   INTEGER,
    submitted_at INTEGER,
    approved_at  INTEGER,
    denied_at    INTEGER,
    review_at    INTEGER,
    reminded_at  INTEGER,
    moved_at     INTEGER
);

CREATE TABLE funnel_deltas (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    day     INTEGER NOT NULL,
    measure TEXT NOT NULL,
    bucket  INTEGER NOT NULL,
    n       INTEGER NOT NULL
);

CREATE TABLE funnel_counts (
    day     INTEGER NOT NULL,
    measure TEXT NOT NULL,
    bucket  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (day, measure, bucket)
);

-- A person's contributions: one row per measure they count in, with the stage's duration
-- (NULL: not timed). Read for a row of funnel_people by the triggers below.
CREATE TABLE funnel_measures (measure TEXT PRIMARY KEY NOT NULL);
INSERT INTO funnel_measures (measure) VALUES
    ('confirmed'), ('started'), ('submitted'), ('approved'), ('denied'), ('review'), ('reminded'), ('back');

CREATE TRIGGER funnel_people_insert AFTER INSERT ON funnel_people BEGIN
    INSERT INTO funnel_deltas (day, measure, bucket, n)
    SELECT day, measure, bucket, SUM(n) FROM (
        SELECT day, measure, n, CASE
            WHEN d IS NULL THEN -1
            WHEN d < 7200000 THEN MAX(d, 0) / 60000
            WHEN d < 172800000 THEN 120 + d / 3600000
            ELSE 1000 + d / 86400000 END AS bucket
        FROM (
            SELECT r.day, m.measure, r.n, CASE m.measure
                WHEN 'started' THEN r.s - r.c
                WHEN 'submitted' THEN r.sub - r.s
                WHEN 'approved' THEN r.ap - r.s
                WHEN 'denied' THEN r.de - r.s
                WHEN 'review' THEN r.rv - r.s
                END AS d
            FROM (
                SELECT NEW.day AS day, NEW.confirmed_at AS c, NEW.started_at AS s, NEW.submitted_at AS sub,
                    NEW.approved_at AS ap, NEW.denied_at AS de, NEW.review_at AS rv,
                    NEW.reminded_at AS rem, NEW.moved_at AS mv, 1 AS n
            ) AS r
            JOIN funnel_measures m ON CASE m.measure
                WHEN 'confirmed' THEN 1
                WHEN 'started' THEN r.s IS NOT NULL OR r.sub IS NOT NULL
                WHEN 'submitted' THEN r.sub IS NOT NULL
                WHEN 'approved' THEN r.ap IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'denied' THEN r.de IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'review' THEN r.rv IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'reminded' THEN r.rem IS NOT NULL
                WHEN 'back' THEN r.rem IS NOT NULL AND r.mv > r.rem
                END
        ) AS timed
    ) AS bucketed WHERE 1 GROUP BY day, measure, bucket;
END;

-- A change: minus the row before, plus the row after; only what differs is written.
CREATE TRIGGER funnel_people_update AFTER UPDATE ON funnel_people BEGIN
    INSERT INTO funnel_deltas (day, measure, bucket, n)
    SELECT day, measure, bucket, SUM(n) FROM (
        SELECT day, measure, n, CASE
            WHEN d IS NULL THEN -1
            WHEN d < 7200000 THEN MAX(d, 0) / 60000
            WHEN d < 172800000 THEN 120 + d / 3600000
            ELSE 1000 + d / 86400000 END AS bucket
        FROM (
            SELECT r.day, m.measure, r.n, CASE m.measure
                WHEN 'started' THEN r.s - r.c
                WHEN 'submitted' THEN r.sub - r.s
                WHEN 'approved' THEN r.ap - r.s
                WHEN 'denied' THEN r.de - r.s
                WHEN 'review' THEN r.rv - r.s
                END AS d
            FROM (
                SELECT OLD.day AS day, OLD.confirmed_at AS c, OLD.started_at AS s, OLD.submitted_at AS sub,
                    OLD.approved_at AS ap, OLD.denied_at AS de, OLD.review_at AS rv,
                    OLD.reminded_at AS rem, OLD.moved_at AS mv, -1 AS n
                UNION ALL
                SELECT NEW.day, NEW.confirmed_at, NEW.started_at, NEW.submitted_at,
                    NEW.approved_at, NEW.denied_at, NEW.review_at,
                    NEW.reminded_at, NEW.moved_at, 1
            ) AS r
            JOIN funnel_measures m ON CASE m.measure
                WHEN 'confirmed' THEN 1
                WHEN 'started' THEN r.s IS NOT NULL OR r.sub IS NOT NULL
                WHEN 'submitted' THEN r.sub IS NOT NULL
                WHEN 'approved' THEN r.ap IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'denied' THEN r.de IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'review' THEN r.rv IS NOT NULL AND r.sub IS NOT NULL
                WHEN 'reminded' THEN r.rem IS NOT NULL
                WHEN 'back' THEN r.rem IS NOT NULL AND r.mv > r.rem
                END
        ) AS timed
    ) AS bucketed WHERE 1 GROUP BY day, measure, bucket HAVING SUM(n) <> 0;
END;

-- What moves a person's row.
CREATE TRIGGER funnel_user_insert AFTER INSERT ON users BEGIN
    INSERT INTO funnel_people (user_id, day, confirmed_at, started_at, moved_at)
    VALUES (NEW.id, NEW.created_at / 86400000, NEW.created_at, NEW.started_at, NEW.started_at);
END;

CREATE TRIGGER funnel_user_started AFTER UPDATE OF started_at ON users
WHEN NEW.started_at IS NOT OLD.started_at BEGIN
    UPDATE funnel_people SET started_at = NEW.started_at,
        moved_at = MAX(COALESCE(moved_at, NEW.started_at), COALESCE(NEW.started_at, moved_at))
    WHERE user_id = NEW.id;
END;

CREATE TRIGGER funnel_user_delete AFTER DELETE ON users BEGIN
    DELETE FROM funnel_people WHERE user_id = OLD.id;
END;

CREATE TRIGGER funnel_status_change AFTER INSERT ON status_changes BEGIN
    UPDATE funnel_people SET
        submitted_at = CASE WHEN NEW.status NOT IN ('notStarted', 'pending')
            THEN MIN(COALESCE(submitted_at, NEW.at), NEW.at) ELSE submitted_at END,
        approved_at = CASE WHEN NEW.status = 'approved'
            THEN MIN(COALESCE(approved_at, NEW.at), NEW.at) ELSE approved_at END,
        denied_at = CASE WHEN NEW.status = 'denied'
            THEN MIN(COALESCE(denied_at, NEW.at), NEW.at) ELSE denied_at END,
        review_at = CASE WHEN NEW.status = 'manualReview'
            THEN MIN(COALESCE(review_at, NEW.at), NEW.at) ELSE review_at END,
        moved_at = MAX(COALESCE(moved_at, NEW.at), NEW.at)
    WHERE user_id = NEW.user_id;
END;

CREATE TRIGGER funnel_reminder AFTER INSERT ON emails
WHEN NEW.kind = 'reminder' AND NEW.user_id IS NOT NULL BEGIN
    UPDATE funnel_people SET reminded_at = MIN(COALESCE(reminded_at, NEW.created_at), NEW.created_at)
    WHERE user_id = NEW.user_id;
END;

CREATE TRIGGER funnel_signup_form AFTER INSERT ON emails
WHEN NEW.kind = 'confirm_signup' BEGIN
    INSERT INTO funnel_deltas (day, measure, bucket, n)
    VALUES (NEW.created_at / 86400000, 'signup_forms', -1, 1);
END;

-- Everyone already here, from their history.
INSERT INTO funnel_people (user_id, day, confirmed_at, started_at, submitted_at, approved_at, denied_at,
    review_at, reminded_at, moved_at)
SELECT u.id, u.created_at / 86400000, u.created_at, u.started_at,
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status NOT IN ('notStarted', 'pending')),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'approved'),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'denied'),
    (SELECT MIN(c.at) FROM status_changes c WHERE c.user_id = u.id AND c.status = 'manualReview'),
    (SELECT MIN(e.created_at) FROM emails e WHERE e.user_id = u.id AND e.kind = 'reminder'),
    (SELECT MAX(at) FROM (SELECT c.at FROM status_changes c WHERE c.user_id = u.id
        UNION ALL SELECT u.started_at WHERE u.started_at IS NOT NULL))
FROM users u;
INSERT INTO funnel_deltas (day, measure, bucket, n)
SELECT created_at / 86400000, 'signup_forms', -1, COUNT(*) FROM emails WHERE kind = 'confirm_signup'
GROUP BY created_at / 86400000;
