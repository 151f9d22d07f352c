//! Storage behind a narrow API: callers never see SQL or the database engine.
//!
//! The API is four traits by area ([`Applicants`], [`Accounts`], [`EmailQueue`], [`Console`]) bundled as
//! [`Backend`]; domain types in, domain types out. Each backend lives in its own module with
//! its own migrations: SQLite (`migrations/sqlite/`, the embedded default) and PostgreSQL
//! (`migrations/postgres/`, for several instances). [`Store::connect`] picks one by the
//! `DATABASE_URL` scheme; everything else holds a [`Store`].

/// The columns a [`UserRecord`] is read from, named by table so they also read through a join
/// (the session load), as a literal for `concat!`.
macro_rules! user_columns {
    () => {
        "users.id, users.email, users.first_name, users.last_name, users.password_hash, \
         users.created_at, users.ledger_user_id, users.verification_url, users.application_status, \
         users.status_as_of, users.required_fields, users.status_changed_at, users.returned_at, \
         users.reminders_off_at, users.denial_reason, users.confirmed_at, users.checked_at, users.language, users.budget_held_at, \
         (SELECT MAX(created_at) FROM appeals WHERE appeals.user_id = users.id) AS appealed_at, \
         (SELECT MAX(answered_at) FROM appeals WHERE appeals.user_id = users.id) AS appeal_answered_at"
    };
}

mod backend;
pub mod budget;
mod console;
mod console_sql;
pub mod data_requests;
pub mod data_rights;
mod erasure;
pub mod factors;
mod group_commit;
mod group_plan;
mod postgres;
mod retention;
mod rows;
mod sessions;
pub mod signup_guards;
mod sqlite;

/// An operator's line in the audit log: `$1` operator, `$2` action, `$3` subject, `$4` detail,
/// `$5` time (numbered placeholders, which both engines read).
pub(crate) const AUDIT_SQL: &str =
    "INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)";

pub use backend::{
    Accounts, Applicants, Backend, ConfirmOutcome, EmailQueue, PendingSignup, ReminderDue, SignupTarget,
};
pub use budget::Budget;
pub use console::{
    AppealFilter, AppealRecord, ApplicantQuery, ApplicantRow, AuditEntry, AuditQuery, Console, Figures,
    OperatorId, TimelineEntry, WebhookOutcome, WebhookQuery, WebhookRow,
};
pub use data_requests::DataRequests;
pub use data_rights::DataRights;
pub use factors::{Factors, PasskeyOwner, PasskeyRow};
pub use group_commit::{GroupCommit, MAX_GROUP};
pub use sessions::{SessionStore, take_loaded_user, with_loaded_users};
pub use signup_guards::{DomainRule, DomainRuleKind, SignupGuards, SignupSignals};

use std::sync::Arc;

use crate::clock::Clock;

/// The app's database, whichever backend holds it. Cheap to clone; call the [`Backend`]
/// methods on it directly.
#[derive(Clone)]
pub struct Store(Arc<dyn Backend>);

impl Store {
    /// Opens the database at `url` (`sqlite:…` or `postgres://…`) and applies pending
    /// migrations. `public_url` is where links in the emails the store queues point (the
    /// decision emails it writes with a status change).
    pub async fn connect(url: &str, clock: Clock, public_url: &str) -> Result<Self, StoreError> {
        let public_url = public_url.trim_end_matches('/').to_owned();
        if url.starts_with("sqlite:") {
            let backend = sqlite::SqliteBackend::connect(url, clock, public_url).await?;
            Ok(Self(Arc::new(backend)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let backend = postgres::PostgresBackend::connect(url, clock, public_url).await?;
            Ok(Self(Arc::new(backend)))
        } else {
            Err(StoreError::Config(
                "DATABASE_URL must start with sqlite: or postgres://".to_owned(),
            ))
        }
    }
}

impl Store {
    /// The same database, with every time it writes (accounts, status changes, webhooks,
    /// emails, reminders) read from `clock`: the demo writes its history of the last 30 days
    /// through the ordinary code paths with a manual clock. Shares connections and signals.
    pub fn with_clock(&self, clock: Clock) -> Self {
        Self(self.0.with_clock(clock))
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Backend;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Store").field(&self.0.kind()).finish()
    }
}

use crate::clock::Millis;
use crate::kyc::KycState;
use crate::status::ApplicationStatus;

/// How long a new account's provisioning job is left to the signup request itself.
const PROVISION_GRACE_MS: Millis = 30_000;

/// The columns a [`UserRecord`] is read from (the same SQL on every backend).
const USER_COLUMNS: &str = user_columns!();

/// Our own id for an account (a UUID), never shown to LedgerOS.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct UserId(pub String);

impl UserId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What signup stores.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password_hash: &'a str,
}

/// An account with its verification state.
#[derive(Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub created_at: Millis,
    pub ledger_user_id: Option<String>,
    pub verification_url: Option<String>,
    pub kyc: KycState,
    pub status_changed_at: Millis,
    /// When the user came back from the hosted page in the current status.
    pub returned_at: Option<Millis>,
    /// When the user last sent an appeal, if ever.
    pub appealed_at: Option<Millis>,
    /// When support last answered an appeal of the user's.
    pub appeal_answered_at: Option<Millis>,
    /// The person turned reminder emails off.
    pub reminders_off: bool,
    /// Since when their verification waits for the budget to open ([`crate::budget`]).
    pub budget_held_at: Option<Millis>,
    /// LedgerOS's reason for a denial, for operators only.
    pub denial_reason: Option<String>,
    /// When LedgerOS last told us the status (a webhook applied or a read).
    pub confirmed_at: Option<Millis>,
    /// When a read of the status at LedgerOS was last claimed or made (see
    /// [`Applicants::claim_status_check`]).
    pub checked_at: Option<Millis>,
    /// The language chosen with the switcher; their pages and emails follow it.
    pub language: Option<crate::i18n::Lang>,
}

impl std::fmt::Debug for UserRecord {
    // Names, email and the hash stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("ledger_user_id", &self.ledger_user_id)
            .field("status", &self.kyc.status)
            .finish_non_exhaustive()
    }
}

/// A webhook as the inbox stores it.
#[derive(Clone, Debug)]
pub struct InboxEvent {
    pub id: String,
    pub event_type: String,
    pub ledger_user_id: Option<String>,
    pub created_at_ms: Millis,
    pub payload: String,
    /// The status the event reports, if it reports one.
    pub status: Option<ApplicationStatus>,
    pub required_fields: Vec<String>,
    /// `data.reason` (denials): kept for operators, never shown to the customer.
    pub reason: Option<String>,
}

impl InboxEvent {
    /// What the inbox keeps of a webhook whose signature was verified: the parsed event and
    /// its body as received.
    pub fn from_webhook(event: &crate::webhook::ParsedEvent, body: &[u8]) -> Self {
        Self {
            id: event.id.as_str().to_owned(),
            event_type: event.type_name.clone(),
            ledger_user_id: event.ledger_user_id.clone(),
            created_at_ms: event.created_at_ms,
            payload: String::from_utf8_lossy(body).into_owned(),
            status: event.target_status(),
            required_fields: event.required_fields.clone(),
            reason: event.reason.clone(),
        }
    }

    /// The order a group of events is applied in: by LedgerOS user, then oldest first. Per
    /// person that is the order LedgerOS created them in; across people it is one fixed order,
    /// so two transactions that lock the same people lock them in the same order.
    pub fn apply_order(&self) -> (Option<&str>, Millis, &str) {
        (self.ledger_user_id.as_deref(), self.created_at_ms, &self.id)
    }
}

/// What happened to a webhook we were given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Seen before (same id): acknowledged, not applied again.
    Duplicate,
    /// Stored; the user's status changed (or was confirmed) to this one.
    Applied(ApplicationStatus),
    /// Stored; older than the status we hold, or not a transition the rules allow.
    Ignored(String),
    /// Stored; it reports no status (an event type we do not act on).
    Recorded,
    /// Stored; no local user has this LedgerOS id yet. Applied when that user appears.
    Waiting,
}

impl EventOutcome {
    pub(crate) fn as_db(&self) -> Option<String> {
        match self {
            Self::Duplicate | Self::Waiting => None,
            Self::Applied(status) => Some(format!("applied:{status}")),
            Self::Ignored(why) => Some(format!("ignored:{why}")),
            Self::Recorded => Some("recorded".to_owned()),
        }
    }
}

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// Create the LedgerOS user and initiate verification.
    Provision,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provision => "provision",
        }
    }

    pub fn parse(wire: &str) -> Option<Self> {
        (wire == "provision").then_some(Self::Provision)
    }
}

/// A claimed job from the LedgerOS call queue.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub user_id: UserId,
    /// Including the current one.
    pub attempts: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("no such user")]
    NotFound,
    #[error("database configuration: {0}")]
    Config(String),
    /// The database's own message (no values: sqlx reports the failure, not the data).
    #[error("database error: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// A part of the store that runs on its own (the webhook committer) has stopped.
    #[error("{0}")]
    Unavailable(&'static str),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(Box::new(e))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(Box::new(e))
    }
}
