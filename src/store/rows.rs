//! Reading domain types out of rows, the same for every backend: the columns are the same, only
//! the SQL around them differs.

use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use super::console::{TimelineEntry, WebhookRow};
use super::console_sql::TimelinePart;
use super::{
    AppealRecord, ApplicantRow, AuditEntry, Job, JobKind, OperatorId, StoreError, UserId, UserRecord,
};
use crate::clock::Millis;
use crate::email::{QueuedEmail, SentEmail};
use crate::kyc::{KycState, StatusSource};
use crate::operators::{OperatorRecord, Role};
use crate::status::ApplicationStatus;

/// What the readers below need of a backend's value types (text and 64-bit integers, which is
/// how both backends store ours).
pub(super) trait Decodes<DB: Database>: for<'r> Decode<'r, DB> + Type<DB> {}

impl<DB: Database, T> Decodes<DB> for T where T: for<'r> Decode<'r, DB> + Type<DB> {}

pub(super) fn job<R>(row: &R) -> Result<Job, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let kind: String = row.try_get("kind")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: JobKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("unknown job kind {kind}")))?,
        user_id: UserId(row.try_get("user_id")?),
        attempts: row.try_get("attempts")?,
    })
}

pub(super) fn kyc<R>(row: &R) -> Result<KycState, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let fields: String = row.try_get("required_fields")?;
    let status: String = row.try_get("application_status")?;
    Ok(KycState {
        status: ApplicationStatus::parse(&status),
        as_of_ms: row.try_get("status_as_of")?,
        required_fields: serde_json::from_str(&fields).unwrap_or_default(),
    })
}

/// A user, from a row of [`super::USER_COLUMNS`].
pub(super) fn user<R>(row: &R) -> Result<UserRecord, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        password_hash: row.try_get("password_hash")?,
        created_at: row.try_get("created_at")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
        verification_url: row.try_get("verification_url")?,
        kyc: kyc(row)?,
        status_changed_at: row.try_get("status_changed_at")?,
        returned_at: row.try_get("returned_at")?,
        appealed_at: row.try_get("appealed_at")?,
        appeal_answered_at: row.try_get("appeal_answered_at")?,
        reminders_off: row.try_get::<Option<Millis>, _>("reminders_off_at")?.is_some(),
        budget_held_at: row.try_get("budget_held_at")?,
        denial_reason: row.try_get("denial_reason")?,
        confirmed_at: row.try_get("confirmed_at")?,
        checked_at: row.try_get("checked_at")?,
        language: saved_language(row)?,
    })
}

/// The `language` column: the language a person chose (or signed up in), if any.
pub(super) fn saved_language<R>(row: &R) -> Result<Option<crate::i18n::Lang>, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
{
    Ok(row
        .try_get::<Option<String>, _>("language")?
        .and_then(|code| crate::i18n::Lang::parse(&code)))
}

/// Emails claimed for delivery, oldest first (`RETURNING` promises no order).
pub(super) fn queued_emails<R>(rows: &[R]) -> Result<Vec<QueuedEmail>, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    Option<String>: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let mut emails = rows
        .iter()
        .map(|row| {
            Ok(QueuedEmail {
                id: row.try_get("id")?,
                to: row.try_get("to_address")?,
                subject: row.try_get("subject")?,
                body: row.try_get::<Option<String>, _>("body")?.unwrap_or_default(),
                unsubscribe_url: row.try_get("unsubscribe_url")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    emails.sort_unstable_by_key(|email| email.id);
    Ok(emails)
}

/// A sent email, for the dev mailbox.
pub(super) fn sent_email<R>(row: &R) -> Result<SentEmail, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    Ok(SentEmail {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        to: row.try_get("to_address")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        sent_at: row.try_get("sent_at")?,
    })
}

/// An operator, from a row of `operators`.
pub(super) fn operator<R>(row: &R) -> Result<OperatorRecord, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let role: String = row.try_get("role")?;
    Ok(OperatorRecord {
        id: OperatorId(row.try_get("id")?),
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?,
        created_at: row.try_get("created_at")?,
    })
}

/// An appeal, from a row of [`APPEAL_QUERY`].
pub(super) fn appeal<R>(row: &R) -> Result<AppealRecord, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    Ok(AppealRecord {
        id: row.try_get("id")?,
        user: UserId(row.try_get("user_id")?),
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        email: row.try_get("email")?,
        language: saved_language(row)?,
        message: row.try_get("message")?,
        created_at: row.try_get("created_at")?,
        answer: row.try_get("answer")?,
        answered_at: row.try_get("answered_at")?,
        answered_by: row.try_get("answered_by")?,
        resolved_at: row.try_get("resolved_at")?,
    })
}

/// The columns [`appeal`] reads, with the applicant and the operator who answered (append a
/// `WHERE` and an `ORDER BY`; the same SQL on every backend).
pub(super) const APPEAL_QUERY: &str = "SELECT a.id, a.user_id, u.first_name, u.last_name, u.email, u.language, \
     a.message, a.created_at, a.answer, a.answered_at, o.email AS answered_by, a.resolved_at \
     FROM appeals a JOIN users u ON u.id = a.user_id LEFT JOIN operators o ON o.id = a.answered_by";

/// A line of the audit log, from `audit_log` joined with `operators` (as `operator_email`).
pub(super) fn audit_entry<R>(row: &R) -> Result<AuditEntry, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let first: Option<String> = row.try_get("first_name")?;
    let last: Option<String> = row.try_get("last_name")?;
    let email: Option<String> = row.try_get("applicant_email")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        operator: row.try_get("operator_email")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        applicant: first
            .zip(last)
            .zip(email)
            .map(|((first, last), email)| (format!("{first} {last}"), email)),
        detail: row.try_get("detail")?,
        client: row.try_get("client")?,
        at: row.try_get("at")?,
    })
}

/// An applicant of the console's list, from a row of [`super::console::applicants_sql`].
pub(super) fn applicant_row<R>(row: &R) -> Result<ApplicantRow, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let status: String = row.try_get("application_status")?;
    Ok(ApplicantRow {
        id: UserId(row.try_get("id")?),
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        email: row.try_get("email")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
        status: ApplicationStatus::parse(&status),
        status_changed_at: row.try_get("status_changed_at")?,
        created_at: row.try_get("created_at")?,
        language: saved_language(row)?,
    })
}

/// A timeline line from a row of `part`'s query.
pub(super) fn timeline_entry<R>(part: TimelinePart, row: &R) -> Result<TimelineEntry, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let entry = |at: Millis, what: String, detail: String| TimelineEntry {
        at,
        what,
        detail,
        raw: None,
    };
    Ok(match part {
        TimelinePart::StatusChanges => {
            let status: String = row.try_get("status")?;
            let source: String = row.try_get("source")?;
            let event: Option<String> = row.try_get("event_id")?;
            let mut detail = format!("From {}", StatusSource::describe(&source));
            if let Some(event) = event {
                detail.push_str(&format!(" (event {event})"));
            }
            entry(
                row.try_get("at")?,
                format!("Status: {}", ApplicationStatus::parse(&status).label()),
                detail,
            )
        }
        TimelinePart::Webhooks => {
            let outcome: Option<String> = row.try_get("outcome")?;
            let event_type: String = row.try_get("event_type")?;
            TimelineEntry {
                at: row.try_get("received_at")?,
                what: format!("Webhook received: {event_type}"),
                detail: format!(
                    "Signature verified; {}; event {} created at LedgerOS {} ms",
                    outcome.as_deref().unwrap_or("waiting for the user"),
                    row.try_get::<String, _>("id")?,
                    row.try_get::<i64, _>("created_at_ms")?
                ),
                raw: Some(row.try_get("payload")?),
            }
        }
        TimelinePart::Emails => {
            let kind: String = row.try_get("kind")?;
            let subject: String = row.try_get("subject")?;
            let sent: Option<Millis> = row.try_get("sent_at")?;
            let error: Option<String> = row.try_get("last_error")?;
            let attempts: i64 = row.try_get("attempts")?;
            let detail = match (sent, error) {
                (Some(_), _) => format!("{kind}; delivered after {attempts} attempt(s)"),
                (None, Some(error)) => format!("{kind}; not delivered yet, last error: {error}"),
                (None, None) => format!("{kind}; waiting to be sent"),
            };
            entry(row.try_get("created_at")?, format!("Email: {subject}"), detail)
        }
        TimelinePart::Jobs => {
            let kind: String = row.try_get("kind")?;
            let attempts: i64 = row.try_get("attempts")?;
            let error: Option<String> = row.try_get("last_error")?;
            entry(
                row.try_get("created_at")?,
                format!("LedgerOS call due: {kind}"),
                match error {
                    Some(error) => format!("{attempts} attempt(s) so far; last error: {error}"),
                    None => format!("{attempts} attempt(s) so far"),
                },
            )
        }
        TimelinePart::JobFailures => {
            let kind: String = row.try_get("kind")?;
            let attempt: i64 = row.try_get("attempt")?;
            entry(
                row.try_get("at")?,
                format!("LedgerOS call failed: {kind} (attempt {attempt})"),
                format!("{}; tried again later", row.try_get::<String, _>("error")?),
            )
        }
        TimelinePart::Appeals => {
            let answered: Option<Millis> = row.try_get("answered_at")?;
            let resolved: Option<Millis> = row.try_get("resolved_at")?;
            let detail = match (answered, resolved) {
                (_, Some(_)) => "Answered and resolved",
                (Some(_), None) => "Answered, still open",
                (None, None) => "Waiting for a reply",
            };
            entry(
                row.try_get("created_at")?,
                "Appeal sent".to_owned(),
                detail.to_owned(),
            )
        }
        TimelinePart::Documents => {
            let kind: String = row.try_get("document_type")?;
            entry(
                row.try_get("at")?,
                format!("Document sent to LedgerOS: {kind}"),
                String::new(),
            )
        }
        TimelinePart::Audit => {
            let audit = audit_entry(row)?;
            entry(
                audit.at,
                format!("Operator: {}", audit.action),
                format!(
                    "{} {}",
                    audit.operator.unwrap_or_else(|| "the system".to_owned()),
                    audit.detail
                ),
            )
        }
    })
}

/// A stored webhook, from a row of [`super::console::webhooks_sql`].
pub(super) fn webhook_row<R>(row: &R) -> Result<WebhookRow, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    Ok(WebhookRow {
        id: row.try_get("id")?,
        event_type: row.try_get("event_type")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
        user: row.try_get::<Option<String>, _>("user_id")?.map(UserId),
        created_at_ms: row.try_get("created_at_ms")?,
        received_at: row.try_get("received_at")?,
        outcome: row.try_get("outcome")?,
        duplicates: row.try_get("duplicates")?,
    })
}
