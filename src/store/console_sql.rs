//! The console's SQL, the same on every backend but for placeholders (and one index use on
//! PostgreSQL): the applicant list, the webhook log, an applicant's timeline, the funnel, and
//! the demo's reset.

use super::console::{ApplicantQuery, WebhookQuery};
use crate::clock::Millis;
use crate::status::ApplicationStatus;

/// The applicant list's SQL for `query`, with the backend's placeholder for bind `n` (from 1),
/// and the values to bind in order. On PostgreSQL (`postgres`), an email prefix is a `LIKE` on
/// a `text_pattern_ops` index (a range would follow the database's collation); on SQLite, a
/// range on the binary-ordered index.
pub(super) fn applicants_sql(
    query: &ApplicantQuery,
    placeholder: impl Fn(usize) -> String,
    postgres: bool,
) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        placeholder(binds.len())
    };
    if let Some(status) = &query.status {
        let p = next(Bind::Text(status.as_str().to_owned()), &mut binds);
        conditions.push(format!("application_status = {p}"));
    }
    let search = query.search.trim().to_lowercase();
    let exact = query.search.trim();
    if exact.starts_with("user_") && !exact.contains(char::is_whitespace) {
        // A LedgerOS user id: one indexed lookup.
        let p = next(Bind::Text(exact.to_owned()), &mut binds);
        conditions.push(format!("ledger_user_id = {p}"));
    } else if search.contains('@') && postgres {
        // The start of an email (stored lower-cased), on the email pattern index.
        let p = next(Bind::Text(format!("{}%", escape_like(&search))), &mut binds);
        conditions.push(format!("email LIKE {p} ESCAPE '\\'"));
    } else if search.contains('@') {
        // The start of an email (stored lower-cased): a range on the email index.
        let from = next(Bind::Text(search.clone()), &mut binds);
        let to = next(Bind::Text(format!("{search}\u{10FFFF}")), &mut binds);
        conditions.push(format!("email >= {from} AND email < {to}"));
    } else if !search.is_empty() {
        // Part of a name, the start of an email, or a whole id: each on an index of its own
        // (the name's is a trigram index: a part of three characters or more).
        let escaped = escape_like(&search);
        let email = if postgres {
            let prefix = next(Bind::Text(format!("{escaped}%")), &mut binds);
            format!("email LIKE {prefix} ESCAPE '\\'")
        } else {
            let from = next(Bind::Text(search.clone()), &mut binds);
            let to = next(Bind::Text(format!("{search}\u{10FFFF}")), &mut binds);
            format!("(email >= {from} AND email < {to})")
        };
        let name = if postgres || search.chars().count() < 3 {
            // PostgreSQL: on the pg_trgm index of this very expression (a part under three
            // characters is a scan, stopped at the page size: such parts match many).
            let anywhere = next(Bind::Text(format!("%{escaped}%")), &mut binds);
            format!("LOWER(first_name || ' ' || last_name) LIKE {anywhere} ESCAPE '\\'")
        } else {
            // SQLite: the FTS5 trigram table `users_names`, as one quoted phrase.
            let phrase = next(
                Bind::Text(format!("\"{}\"", search.replace('"', "\"\""))),
                &mut binds,
            );
            format!("rowid IN (SELECT rowid FROM users_names WHERE users_names MATCH {phrase})")
        };
        let whole = next(Bind::Text(exact.to_owned()), &mut binds);
        conditions.push(format!("({email} OR {name} OR ledger_user_id = {whole})"));
    }
    if let Some((at, id)) = &query.after {
        let at = next(Bind::Int(*at), &mut binds);
        let id = next(Bind::Text(id.0.clone()), &mut binds);
        conditions.push(format!("(status_changed_at, id) > ({at}, {id})"));
    }
    let limit = next(Bind::Int(query.limit), &mut binds);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT id, first_name, last_name, email, ledger_user_id, application_status, status_changed_at, created_at, language \
         FROM users {filter} ORDER BY status_changed_at, id LIMIT {limit}"
    );
    (sql, binds)
}

/// The audit log's SQL for `query` (see [`applicants_sql`]): each line with its operator's email
/// and, when it is about an applicant, their name and email.
pub(super) fn audit_sql(
    query: &super::console::AuditQuery,
    placeholder: impl Fn(usize) -> String,
) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    if let Some(operator) = &query.operator {
        binds.push(Bind::Text(operator.clone()));
        conditions.push(format!("o.email = {}", placeholder(binds.len())));
    }
    if let Some(subject) = &query.subject {
        binds.push(Bind::Text(subject.clone()));
        conditions.push(format!("l.subject = {}", placeholder(binds.len())));
    }
    binds.push(Bind::Int(query.limit));
    let limit = placeholder(binds.len());
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT l.id, o.email AS operator_email, l.action, l.subject, l.detail, l.client, l.at, \
         u.first_name, u.last_name, u.email AS applicant_email FROM audit_log l \
         LEFT JOIN operators o ON o.id = l.operator_id LEFT JOIN users u ON u.id = l.subject \
         {filter} ORDER BY l.id DESC LIMIT {limit}"
    );
    (sql, binds)
}

/// Staff's views of one subject's data since a time (`p` the placeholder style).
pub(super) fn views_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "SELECT COUNT(*) FROM audit_log WHERE subject = {} AND at >= {} AND action LIKE 'viewed %'",
        p(1),
        p(2)
    )
}

/// `text` with `LIKE`'s wildcards (and the escape character) escaped by `\`.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A value for [`applicants_sql`]'s placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Bind {
    Text(String),
    Int(i64),
}

/// The webhook log's SQL for `query` (see [`applicants_sql`]).
pub(super) fn webhooks_sql(
    query: &WebhookQuery,
    placeholder: impl Fn(usize) -> String,
) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        placeholder(binds.len())
    };
    if let Some(event_type) = &query.event_type {
        let p = next(Bind::Text(event_type.clone()), &mut binds);
        conditions.push(format!("w.event_type = {p}"));
    }
    if let Some(outcome) = query.outcome {
        conditions.push(outcome.condition().to_owned());
    }
    if let Some(since) = query.since {
        let p = next(Bind::Int(since), &mut binds);
        conditions.push(format!("w.received_at >= {p}"));
    }
    if let Some((at, id)) = &query.before {
        let at = next(Bind::Int(*at), &mut binds);
        let id = next(Bind::Text(id.clone()), &mut binds);
        conditions.push(format!("(w.received_at, w.id) < ({at}, {id})"));
    }
    let limit = next(Bind::Int(query.limit), &mut binds);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT w.id, w.event_type, w.ledger_user_id, u.id AS user_id, w.created_at_ms, w.received_at, \
         w.outcome, w.duplicates FROM webhook_events w LEFT JOIN users u ON u.ledger_user_id = w.ledger_user_id \
         {filter} ORDER BY w.received_at DESC, w.id DESC LIMIT {limit}"
    );
    (sql, binds)
}

/// The parts of an applicant's timeline, each read with one query keyed by the user id (or,
/// for webhooks, their LedgerOS id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TimelinePart {
    StatusChanges,
    Webhooks,
    Emails,
    Jobs,
    JobFailures,
    Appeals,
    Documents,
    Audit,
}

impl TimelinePart {
    pub(super) const ALL: [TimelinePart; 8] = [
        Self::StatusChanges,
        Self::Webhooks,
        Self::Emails,
        Self::Jobs,
        Self::JobFailures,
        Self::Appeals,
        Self::Documents,
        Self::Audit,
    ];

    /// The query, with `p` the backend's placeholder for its one bind.
    pub(super) fn sql(self, p: &str) -> String {
        match self {
            Self::StatusChanges => {
                format!("SELECT status, source, event_id, at FROM status_changes WHERE user_id = {p}")
            }
            Self::Webhooks => format!(
                "SELECT id, event_type, payload, received_at, created_at_ms, outcome FROM webhook_events \
                 WHERE ledger_user_id = {p}"
            ),
            Self::Emails => format!(
                "SELECT kind, subject, created_at, sent_at, attempts, last_error FROM emails WHERE user_id = {p}"
            ),
            Self::Jobs => {
                format!("SELECT kind, attempts, last_error, created_at FROM jobs WHERE user_id = {p}")
            }
            Self::JobFailures => {
                format!("SELECT kind, attempt, error, at FROM job_failures WHERE user_id = {p}")
            }
            Self::Appeals => {
                format!("SELECT created_at, answered_at, resolved_at FROM appeals WHERE user_id = {p}")
            }
            Self::Documents => format!("SELECT document_type, at FROM document_uploads WHERE user_id = {p}"),
            Self::Audit => format!(
                "SELECT l.id, o.email AS operator_email, l.action, l.subject, l.detail, l.client, l.at, \
                 CAST(NULL AS TEXT) AS first_name, CAST(NULL AS TEXT) AS last_name, \
                 CAST(NULL AS TEXT) AS applicant_email FROM audit_log l \
                 LEFT JOIN operators o ON o.id = l.operator_id WHERE l.subject = {p}"
            ),
        }
    }
}

/// The funnel's queries for accounts created in `[from, to)`, with the backend's placeholders
/// `a` and `b` for the two bounds: signup forms, people, their status changes, their reminders.
pub(super) fn funnel_sql(a: &str, b: &str) -> [String; 4] {
    let cohort = format!("u.created_at >= {a} AND u.created_at < {b}");
    [
        format!(
            "SELECT COUNT(*) AS n FROM emails WHERE kind = 'confirm_signup' AND created_at >= {a} AND created_at < {b}"
        ),
        format!("SELECT u.id, u.created_at, u.started_at FROM users u WHERE {cohort}"),
        format!(
            "SELECT c.user_id, c.status, c.at FROM status_changes c JOIN users u ON u.id = c.user_id WHERE {cohort}"
        ),
        format!(
            "SELECT e.user_id, e.created_at FROM emails e JOIN users u ON u.id = e.user_id \
             WHERE e.kind = 'reminder' AND {cohort}"
        ),
    ]
}

/// The funnel's counts for days `[a, b)`: the folded totals and the differences not yet
/// folded, added up.
pub(super) fn funnel_counts_sql(a: &str, b: &str) -> String {
    format!(
        "SELECT measure, bucket, CAST(SUM(n) AS BIGINT) AS n FROM ( \
           SELECT measure, bucket, n FROM funnel_counts WHERE day >= {a} AND day < {b} \
           UNION ALL SELECT measure, bucket, n FROM funnel_deltas WHERE day >= {a} AND day < {b}) AS t \
         GROUP BY measure, bucket"
    )
}

/// Puts the funnel's rows together: people by id, with their changes and reminders.
pub(super) fn funnel_input(
    signup_forms: i64,
    people: Vec<(String, Millis, Option<Millis>)>,
    changes: Vec<(String, String, Millis)>,
    reminders: Vec<(String, Millis)>,
) -> crate::funnel::FunnelInput {
    use std::collections::HashMap;
    let mut by_id: HashMap<String, crate::funnel::Person> = people
        .into_iter()
        .map(|(id, confirmed_at, started_at)| {
            let person = crate::funnel::Person {
                confirmed_at,
                started_at,
                ..Default::default()
            };
            (id, person)
        })
        .collect();
    for (id, status, at) in changes {
        if let Some(person) = by_id.get_mut(&id) {
            person.changes.push((ApplicationStatus::parse(&status), at));
        }
    }
    for (id, at) in reminders {
        if let Some(person) = by_id.get_mut(&id) {
            person.reminders.push(at);
        }
    }
    crate::funnel::FunnelInput {
        signup_forms,
        people: by_id.into_values().collect(),
    }
}

/// What [`Console::reset_demo`] empties, children first.
pub(super) const DEMO_TABLES: [&str; 23] = [
    // Cost controls' traffic (the admins' domain lists are settings, and stay).
    "signup_attempts",
    "used_proofs",
    "verification_grants",
    "budget_alerts",
    "funnel_deltas",
    "funnel_counts",
    "data_exports",
    "data_requests",
    "ledger_erasures",
    "retention_tally",
    "status_changes",
    "document_uploads",
    "appeals",
    "jobs",
    "tokens",
    "known_devices",
    "emails",
    "webhook_events",
    "webhook_refusals",
    "signups",
    "rate_limits",
    "users",
    "funnel_people",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::UserId;
    use crate::store::console::ApplicantQuery;

    #[test]
    fn the_applicant_query_binds_what_it_filters_on_in_order() {
        let query = ApplicantQuery {
            search: " 50%_Off ".into(),
            status: Some(ApplicationStatus::Denied),
            after: Some((42, UserId("u1".into()))),
            limit: 50,
        };
        let (sql, binds) = applicants_sql(&query, |n| format!("${n}"), true);
        assert!(sql.contains("application_status = $1"), "{sql}");
        assert!(sql.contains("(status_changed_at, id) > ($5, $6)"), "{sql}");
        assert!(sql.ends_with("ORDER BY status_changed_at, id LIMIT $7"), "{sql}");
        assert_eq!(
            binds,
            [
                Bind::Text("denied".into()),
                Bind::Text("50\\%\\_off%".into()),
                Bind::Text("%50\\%\\_off%".into()),
                Bind::Text("50%_Off".into()),
                Bind::Int(42),
                Bind::Text("u1".into()),
                Bind::Int(50),
            ]
        );
        // On SQLite: a range for the email, a phrase for the trigram table (quotes doubled).
        let quoted = ApplicantQuery {
            search: "Ann \"Lee".into(),
            limit: 5,
            ..Default::default()
        };
        let (sql, binds) = applicants_sql(&quoted, |_| "?".into(), false);
        assert!(sql.contains("users_names MATCH ?"), "{sql}");
        assert_eq!(binds[2], Bind::Text("\"ann \"\"lee\"".into()));
        let short = ApplicantQuery {
            search: "Al".into(),
            limit: 5,
            ..Default::default()
        };
        let (sql, _) = applicants_sql(&short, |_| "?".into(), false);
        assert!(sql.contains("LIKE ? ESCAPE"), "two letters are a scan: {sql}");
        let by_id = ApplicantQuery {
            search: "user_abc123".into(),
            limit: 5,
            ..Default::default()
        };
        let (sql, binds) = applicants_sql(&by_id, |n| format!("${n}"), true);
        assert!(sql.contains("WHERE ledger_user_id = $1 ORDER"), "{sql}");
        assert_eq!(binds[0], Bind::Text("user_abc123".into()));
        let by_email = ApplicantQuery {
            search: "Ada@Ex".into(),
            limit: 5,
            ..Default::default()
        };
        let (sql, binds) = applicants_sql(&by_email, |n| format!("${n}"), false);
        assert!(sql.contains("WHERE email >= $1 AND email < $2 ORDER"), "{sql}");
        assert_eq!(
            binds[..2],
            [Bind::Text("ada@ex".into()), Bind::Text("ada@ex\u{10FFFF}".into())]
        );
        let (sql, binds) = applicants_sql(&by_email, |n| format!("${n}"), true);
        assert!(sql.contains("WHERE email LIKE $1 ESCAPE"), "{sql}");
        assert_eq!(binds[0], Bind::Text("ada@ex%".into()));
        let (sql, binds) = applicants_sql(
            &ApplicantQuery {
                limit: 10,
                ..Default::default()
            },
            |_| "?".into(),
            false,
        );
        assert!(!sql.contains("WHERE"), "{sql}");
        assert_eq!(binds, [Bind::Int(10)]);
    }
}
