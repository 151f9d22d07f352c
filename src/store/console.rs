//! What the operator console reads and writes: operators, the audit log and the appeals queue.

use async_trait::async_trait;

use super::{StoreError, UserId, UserRecord};
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::operators::{OperatorRecord, Role};
use crate::status::ApplicationStatus;

/// An operator's id (a UUID).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct OperatorId(pub String);

impl std::fmt::Display for OperatorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A denied applicant's appeal, with the applicant's name and address and support's answer.
#[derive(Clone, Debug)]
pub struct AppealRecord {
    pub id: i64,
    pub user: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The applicant's saved language: the reply's email is written in it.
    pub language: Option<crate::i18n::Lang>,
    pub message: String,
    pub created_at: Millis,
    pub answer: Option<String>,
    pub answered_at: Option<Millis>,
    /// The email of the operator who answered.
    pub answered_by: Option<String>,
    pub resolved_at: Option<Millis>,
}

/// One line of the audit log.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub id: i64,
    /// The operator's email (`None` for the system itself, such as the demo seeding).
    pub operator: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    /// The applicant the entry is about, when its subject is one: (name, email).
    pub applicant: Option<(String, String)>,
    pub detail: String,
    /// Where the operator was (their address), for views and actions in the console.
    pub client: Option<String>,
    pub at: Millis,
}

/// Which lines of the audit log to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this operator's (by email).
    pub operator: Option<String>,
    /// Only those about this subject (an applicant's id).
    pub subject: Option<String>,
    pub limit: i64,
}

/// Which appeals a queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppealFilter {
    /// Not resolved yet, oldest first (the queue).
    Open,
    /// Resolved, newest first.
    Resolved,
}

/// A page of the applicant list: longest in their status first.
#[derive(Clone, Debug, Default)]
pub struct ApplicantQuery {
    /// Part of a name, the start of an email, or a LedgerOS user id (trimmed and lower-cased
    /// here; empty: everyone). A LedgerOS id (`user_…`) and an address with `@` are looked up
    /// on their indexes; anything else is matched against names, emails and ids.
    pub search: String,
    /// Only applicants in this status.
    pub status: Option<ApplicationStatus>,
    /// The page after this applicant (their `status_changed_at` and id): keyset pagination.
    pub after: Option<(Millis, UserId)>,
    pub limit: i64,
}

/// One applicant in the list.
#[derive(Clone, Debug)]
pub struct ApplicantRow {
    pub id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub ledger_user_id: Option<String>,
    pub status: ApplicationStatus,
    pub status_changed_at: Millis,
    pub created_at: Millis,
    /// The language the applicant chose or signed up in, if any.
    pub language: Option<crate::i18n::Lang>,
}

/// Which webhooks the log shows, by what happened to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// Changed (or confirmed) a status.
    Applied,
    /// Delivered more than once (acknowledged, applied once).
    Duplicate,
    /// Older than the status held, or a transition the rules refuse.
    Stale,
    /// Waiting for its user to appear.
    Waiting,
    /// Stored; reports no status.
    Recorded,
}

impl WebhookOutcome {
    pub const ALL: [WebhookOutcome; 5] = [
        Self::Applied,
        Self::Duplicate,
        Self::Stale,
        Self::Waiting,
        Self::Recorded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Duplicate => "duplicate",
            Self::Stale => "stale",
            Self::Waiting => "waiting",
            Self::Recorded => "recorded",
        }
    }

    pub(super) fn condition(self) -> &'static str {
        match self {
            Self::Applied => "w.outcome LIKE 'applied:%'",
            Self::Duplicate => "w.duplicates > 0",
            Self::Stale => "w.outcome LIKE 'ignored:%'",
            Self::Waiting => "w.processed_at IS NULL",
            Self::Recorded => "w.outcome = 'recorded'",
        }
    }
}

/// A page of the webhook log, newest first.
#[derive(Clone, Debug, Default)]
pub struct WebhookQuery {
    pub event_type: Option<String>,
    pub outcome: Option<WebhookOutcome>,
    /// Received at or after.
    pub since: Option<Millis>,
    /// The page after this delivery (its `received_at` and id).
    pub before: Option<(Millis, String)>,
    pub limit: i64,
}

/// A stored webhook, as the log lists it.
#[derive(Clone, Debug)]
pub struct WebhookRow {
    pub id: String,
    pub event_type: String,
    pub ledger_user_id: Option<String>,
    /// Our applicant with that LedgerOS id, if any.
    pub user: Option<UserId>,
    pub created_at_ms: Millis,
    pub received_at: Millis,
    /// `applied:<status>`, `ignored:<why>`, `recorded`, or `None` while waiting.
    pub outcome: Option<String>,
    pub duplicates: i64,
}

/// One line of an applicant's timeline in the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: Millis,
    /// What happened, in words ("Status: approved", "Email sent: …").
    pub what: String,
    /// More about it (the source, an error, a webhook's raw body).
    pub detail: String,
    /// A webhook's raw body, shown as code.
    pub raw: Option<String>,
}

/// What the metrics endpoint reports from the database (shared by every instance).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Applicants per status (wire name).
    pub applicants_by_status: Vec<(String, i64)>,
    /// Emails waiting to leave, and when the oldest was queued.
    pub emails_waiting: i64,
    pub oldest_email_at: Option<Millis>,
    /// LedgerOS calls waiting (the job outbox), and when the oldest was created.
    pub jobs_waiting: i64,
    pub oldest_job_at: Option<Millis>,
}

/// The operator console's storage.
#[async_trait]
pub trait Console {
    /// Creates an operator; [`StoreError::EmailTaken`] when the address has one.
    async fn create_operator(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<OperatorId, StoreError>;

    async fn operator(&self, id: &OperatorId) -> Result<Option<OperatorRecord>, StoreError>;

    async fn operator_by_email(&self, email: &str) -> Result<Option<OperatorRecord>, StoreError>;

    /// Every operator, by email.
    async fn operators(&self) -> Result<Vec<OperatorRecord>, StoreError>;

    /// Writes one line of the audit log (`operator` `None`: the system).
    async fn audit(
        &self,
        operator: Option<&OperatorId>,
        action: &str,
        subject: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError>;

    /// The newest lines of the audit log that `query` asks for, newest first.
    async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;

    /// Records that `operator`, at `client`, looked at `subject`'s data (`action` says what).
    async fn record_view(
        &self,
        operator: &OperatorId,
        action: &str,
        subject: &str,
        client: &str,
    ) -> Result<(), StoreError>;

    /// How many times staff looked at `subject`'s data since `since`.
    async fn views_of(&self, subject: &str, since: Millis) -> Result<i64, StoreError>;

    /// Appeals in the queue (`Open`: oldest first) or answered and closed (`Resolved`: newest
    /// first), at most `limit`.
    async fn appeals_queue(&self, filter: AppealFilter, limit: i64) -> Result<Vec<AppealRecord>, StoreError>;

    /// A page of applicants (see [`ApplicantQuery`]).
    async fn applicants(&self, query: &ApplicantQuery) -> Result<Vec<ApplicantRow>, StoreError>;

    /// Everything that happened to `user`, oldest first: signup, status changes with their
    /// source, webhooks received (raw), emails, LedgerOS calls still due and their errors,
    /// appeals, documents sent (type only) and operators' actions.
    async fn applicant_timeline(&self, user: &UserRecord) -> Result<Vec<TimelineEntry>, StoreError>;

    /// Queues `email` to `user` on an operator's request, with its audit line, in one
    /// transaction.
    async fn operator_email(
        &self,
        user: &UserId,
        operator: &OperatorId,
        action: &str,
        email: &OutgoingEmail,
    ) -> Result<(), StoreError>;

    /// A page of the webhook log (see [`WebhookQuery`]).
    async fn webhook_log(&self, query: &WebhookQuery) -> Result<Vec<WebhookRow>, StoreError>;

    /// Applies a stored webhook again, through the same rules as when it arrived (a regression
    /// is still refused). `None`: no such event.
    async fn reapply_event(&self, event_id: &str) -> Result<Option<super::EventOutcome>, StoreError>;

    /// Notes that `user` sent LedgerOS a document of `document_type` (never the file).
    async fn record_document(&self, user: &UserId, document_type: &str) -> Result<(), StoreError>;

    /// Adds `count` webhook deliveries refused before anything was stored (`reason`:
    /// "signature", "malformed") to the current minute's tally.
    async fn count_webhook_refusals(&self, reason: &str, count: i64) -> Result<(), StoreError>;

    /// Refused webhook deliveries since `since`, by reason.
    async fn webhook_refusals(&self, since: Millis) -> Result<Vec<(String, i64)>, StoreError>;

    /// The histories of the accounts created in `[from, to)`, read row by row: the reference
    /// [`Console::funnel_counts`] is checked against (the console reads the counts).
    async fn funnel(&self, from: Millis, to: Millis) -> Result<crate::funnel::FunnelInput, StoreError>;

    /// The funnel's counts for the people confirmed on days `[from_day, to_day)` (whole UTC
    /// days since the epoch), kept by the database as their statuses change.
    async fn funnel_counts(&self, from_day: i64, to_day: i64) -> Result<crate::funnel::Counts, StoreError>;

    /// Folds the counts' recent differences into their totals (any instance, any time: a
    /// read adds both); returns how many differences were folded.
    async fn fold_funnel(&self) -> Result<u64, StoreError>;

    /// Notes that `user` opened the hosted verification (the first time counts).
    async fn mark_started(&self, user: &UserId) -> Result<(), StoreError>;

    /// Empties the demo: every applicant and everything about them (emails, webhooks, appeals,
    /// jobs, signups, rate limits, the audit log); operators stay. Demo mode only.
    async fn reset_demo(&self) -> Result<(), StoreError>;

    /// The figures the metrics endpoint reports (a few aggregate queries).
    async fn figures(&self) -> Result<Figures, StoreError>;

    /// How many appeals are not resolved yet.
    async fn open_appeals(&self) -> Result<i64, StoreError>;

    async fn appeal(&self, id: i64) -> Result<Option<AppealRecord>, StoreError>;

    /// Keeps support's reply to an appeal, queues `email` (the reply, to the applicant) and writes
    /// the audit line, in one transaction; `resolve` also closes the case. False when there is
    /// no such appeal.
    async fn answer_appeal(
        &self,
        id: i64,
        operator: &OperatorId,
        reply: &str,
        resolve: bool,
        email: &OutgoingEmail,
    ) -> Result<bool, StoreError>;
}
