//! What a storage backend does, by area. Every method is one transaction (or one statement):
//! when it returns `Ok`, what it wrote is durable.

use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::{EventOutcome, InboxEvent, Job, JobKind, NewUser, SessionStore, StoreError, UserId, UserRecord};
use crate::clock::Millis;
use crate::email::{OutgoingEmail, QueuedEmail, SentEmail};
use crate::kyc::{StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;

/// A storage backend: everything the app keeps, plus the signals several instances share.
#[async_trait]
pub trait Backend:
    Applicants
    + Accounts
    + EmailQueue
    + super::Console
    + super::DataRights
    + super::DataRequests
    + super::Factors
    + super::SignupGuards
    + super::Budget
    + Send
    + Sync
    + 'static
{
    /// "sqlite" or "postgres", for logs and benchmarks.
    fn kind(&self) -> &'static str;

    /// The same database, connections and signals, with every time it writes read from
    /// `clock` instead (see [`super::Store::with_clock`]).
    fn with_clock(&self, clock: crate::clock::Clock) -> std::sync::Arc<dyn Backend>;

    /// How durable a commit is, in the backend's words (for benchmark reports).
    async fn durability(&self) -> Result<String, StoreError>;

    /// Hears the id of every user whose status changes from now on, whichever instance wrote it.
    fn subscribe(&self) -> broadcast::Receiver<UserId>;

    /// Waits until an email is queued (by any instance), or `idle` passes.
    async fn wait_for_mail(&self, idle: Duration);

    /// Takes one attempt from the rate limit `key` (a burst of `burst`, then one more every
    /// `period_ms`), counted in the database so that every instance shares it. `Some(wait)`
    /// when the attempt is refused.
    async fn rate_limit(&self, key: &str, burst: u32, period_ms: i64)
    -> Result<Option<Duration>, StoreError>;

    /// Forgets rate-limit keys that have fully recovered.
    async fn prune_rate_limits(&self) -> Result<u64, StoreError>;

    /// The session store that keeps sessions in this database.
    fn session_store(&self) -> SessionStore;

    /// Runs one statement that returns a single integer. For tests and benchmarks that check
    /// what is stored; the app itself never builds SQL outside a backend.
    #[doc(hidden)]
    async fn scalar_for_tests(&self, sql: &str) -> Result<i64, StoreError>;

    /// Runs one statement, returning the rows it touched. For tests only.
    #[doc(hidden)]
    async fn execute_for_tests(&self, sql: &str) -> Result<u64, StoreError>;
}

/// Accounts' verification state: users, webhooks, LedgerOS calls to make and reconciling.
#[async_trait]
pub trait Applicants {
    /// Creates an account (the email must be unused: normalise it first) together with the job
    /// that provisions it at LedgerOS, in one transaction: no account is ever left without one.
    async fn create_user(&self, new: NewUser<'_>) -> Result<UserId, StoreError>;

    async fn user(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError>;

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError>;

    /// Links an account to its LedgerOS user, then applies any webhooks that arrived for that
    /// LedgerOS user before we knew it.
    async fn link_ledger_user(&self, id: &UserId, ledger_user_id: &str) -> Result<(), StoreError>;

    async fn set_verification_url(&self, id: &UserId, url: &str) -> Result<(), StoreError>;

    /// Applies a status LedgerOS reported outside a webhook (a fetch on return, the
    /// reconciler) through the same rules as webhooks.
    /// A change is kept in the user's status history with `source`.
    async fn apply_status(
        &self,
        id: &UserId,
        update: StatusUpdate,
        source: StatusSource,
    ) -> Result<EventOutcome, StoreError>;

    /// Stores a verified webhook and applies it, in one transaction: when this returns `Ok`,
    /// the event is durable and acknowledging it is safe. A second delivery of the same event
    /// id is reported as [`EventOutcome::Duplicate`] and changes nothing. Events for one user
    /// are applied one at a time, whichever instance receives them.
    async fn ingest_event(&self, event: InboxEvent) -> Result<EventOutcome, StoreError>;

    /// Stores and applies several webhooks in one transaction, in the order given (callers
    /// sort them with [`InboxEvent::apply_order`]): one commit, one disk flush, for all of them.
    /// All or nothing: on an error nothing is stored, and the caller can retry them one by one.
    /// The outcomes are in the order of `events`.
    async fn ingest_events(&self, events: Vec<InboxEvent>) -> Result<Vec<EventOutcome>, StoreError>;

    /// Notes that the user came back from the hosted page (cleared when the status changes).
    async fn mark_returned(&self, id: &UserId) -> Result<(), StoreError>;

    /// Stores a denied applicant's appeal for the support team.
    async fn add_appeal(&self, id: &UserId, message: &str) -> Result<(), StoreError>;

    /// The appeals a user sent, oldest first.
    async fn appeals(&self, id: &UserId) -> Result<Vec<String>, StoreError>;

    /// Takes the next job that is due and not held by another worker, holding it for
    /// `lease_ms`. Two workers never hold one job.
    async fn claim_due_job(&self, lease_ms: i64) -> Result<Option<Job>, StoreError>;

    /// Takes `kind` for `user` now, due or not, unless another worker holds it.
    async fn claim_job(&self, kind: JobKind, user: &UserId, lease_ms: i64)
    -> Result<Option<Job>, StoreError>;

    /// The job succeeded: it is done for good.
    async fn complete_job(&self, job: &Job) -> Result<(), StoreError>;

    /// The job failed: release it to run again at `run_at`, keeping the reason for operators.
    async fn retry_job(&self, job: &Job, run_at: Millis, error: &str) -> Result<(), StoreError>;

    /// LedgerOS answered again after failing: every job waiting after a failure becomes due
    /// now rather than at the end of its backoff. Returns how many were brought forward.
    async fn hasten_failed_jobs(&self) -> Result<u64, StoreError>;

    /// How many jobs wait in the queue (due or not).
    async fn pending_jobs(&self) -> Result<i64, StoreError>;

    /// Users whose status is one of `statuses`, unchanged since `changed_before` and not
    /// reconciled since `checked_before`: candidates for a poll when webhooks may have been lost.
    async fn stale_users(
        &self,
        statuses: &[ApplicationStatus],
        changed_before: Millis,
        checked_before: Millis,
        limit: i64,
    ) -> Result<Vec<(UserId, String)>, StoreError>;

    async fn mark_reconciled(&self, id: &UserId) -> Result<(), StoreError>;

    /// Claims the right to read `id`'s status from LedgerOS now: true unless somebody (any
    /// path, any instance) read it within `min_gap_ms`. Claiming counts as reading.
    async fn claim_status_check(&self, id: &UserId, min_gap_ms: i64) -> Result<bool, StoreError>;

    /// LedgerOS just told us `id`'s status (a read): the status page says when, and it counts
    /// as a check for [`Applicants::claim_status_check`].
    async fn mark_confirmed(&self, id: &UserId) -> Result<(), StoreError>;
}

/// Who a signup form's address belongs to, for choosing the email to send.
pub enum SignupTarget<'a> {
    /// Nobody yet: send the confirmation link.
    New,
    /// An existing account: tell its owner (in the language saved on it, if any), change nothing.
    Existing {
        first_name: &'a str,
        language: Option<crate::i18n::Lang>,
    },
}

/// What opening a signup confirmation link did.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// The account now exists.
    Created(UserId),
    /// The address got an account in the meantime (another link was opened first).
    AlreadyExists,
    /// Unknown, used or expired link.
    Invalid,
    /// The link is good but the password is not the one chosen at signup (nothing changed).
    WrongPassword,
}

/// A signup waiting for its link to be opened.
pub struct PendingSignup {
    pub email: String,
    pub password_hash: String,
}

impl std::fmt::Debug for PendingSignup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingSignup(<redacted>)")
    }
}

/// A user a reminder is due for.
#[derive(Clone, Debug)]
pub struct ReminderDue {
    pub user: UserId,
    pub email: String,
    pub first_name: String,
    pub status: ApplicationStatus,
    pub required_fields: Vec<String>,
    pub reminders_token: String,
    /// The language saved on the account, if any.
    pub language: Option<crate::i18n::Lang>,
    /// How many were sent for this status before this one.
    pub sent: i64,
    /// The status's start, which the schedule counts from (and which must not move meanwhile).
    pub status_changed_at: Millis,
}

/// Signups, devices, password resets and reminders: the account side, with the emails each
/// one queues in the same transaction.
#[async_trait]
pub trait Accounts {
    /// Records a signup form: a pending signup and its confirmation email for a new address, or
    /// only a notice to the owner for an address that has an account. One transaction either way.
    /// `language` is the form's: the account starts with it when the link is opened.
    async fn record_signup(
        &self,
        new: NewUser<'_>,
        language: crate::i18n::Lang,
        token_hash: &str,
        expires_at: Millis,
        email_for: &(dyn for<'n> Fn(SignupTarget<'n>) -> OutgoingEmail + Sync),
    ) -> Result<(), StoreError>;

    /// Turns the signup behind a confirmation link into an account (with its provisioning
    /// job). Every pending signup for the address ends here, so the other links stop working.
    /// Two requests with one link never both create an account.
    async fn confirm_signup(&self, token_hash: &str) -> Result<ConfirmOutcome, StoreError>;

    /// The address and password hash of the signup behind a confirmation link, while it can
    /// still be used: the page names the address, and confirming proves the password.
    async fn pending_signup(&self, token_hash: &str) -> Result<Option<PendingSignup>, StoreError>;

    /// Remembers a browser the account signed in from (by its device token's digest). An
    /// account keeps its ten most recent devices.
    async fn remember_device(&self, user: &UserId, token_hash: &str) -> Result<(), StoreError>;

    /// Whether the account with `email` has signed in from the device with this token digest.
    async fn is_known_device(&self, email: &str, token_hash: &str) -> Result<bool, StoreError>;

    /// Stores a reset token for the account with `email` (replacing older ones) and queues the
    /// email. Returns whether there is such an account.
    async fn request_password_reset(
        &self,
        email: &str,
        token_hash: &str,
        expires_at: Millis,
        email_for: &(dyn for<'n> Fn(&'n str, Option<crate::i18n::Lang>) -> OutgoingEmail + Sync),
    ) -> Result<bool, StoreError>;

    /// Whether a reset link is still good (for showing the form; using it checks again).
    async fn reset_token_is_valid(&self, token_hash: &str) -> Result<bool, StoreError>;

    /// Uses a reset token (once, before it expires, even when two requests race) to set a new
    /// password, and queues the "password changed" notice. `None` when the token is unknown,
    /// used or expired.
    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        notice_for: &(dyn for<'n> Fn(&'n str, &'n str, Option<crate::i18n::Lang>) -> OutgoingEmail + Sync),
    ) -> Result<Option<UserId>, StoreError>;

    /// Users whose next reminder is due now under `schedule` (delays in ms after the status
    /// began; reminder n waits `schedule[n]`), oldest first.
    async fn due_reminders(&self, schedule: &[Millis], limit: i64) -> Result<Vec<ReminderDue>, StoreError>;

    /// Counts the reminder and queues its email in one transaction, only if nothing moved since
    /// `due` was read (status, count, opt-out): a reminder is decided exactly once, even with
    /// several workers or instances, or a restart in between.
    async fn record_reminder(&self, due: &ReminderDue, email: &OutgoingEmail) -> Result<bool, StoreError>;

    /// Turns reminders off (or back on) for the account whose opt-out token this is.
    async fn set_reminders(&self, reminders_token: &str, on: bool) -> Result<bool, StoreError>;

    /// Turns reminders off (or back on) for a signed-in account.
    async fn set_user_reminders(&self, id: &UserId, on: bool) -> Result<(), StoreError>;

    /// Saves the language the person chose: their pages and emails follow it from now on.
    async fn set_language(&self, id: &UserId, lang: crate::i18n::Lang) -> Result<(), StoreError>;

    /// Whether reminders are on for the account with this opt-out token (`None`: no such token).
    async fn reminders_on(&self, reminders_token: &str) -> Result<Option<bool>, StoreError>;
}

/// The queue of emails to deliver, and the dev mailbox's view of what left.
#[async_trait]
pub trait EmailQueue {
    /// Takes up to `limit` emails due for delivery, oldest first, holding them for `lease_ms`.
    /// Two workers never hold one email.
    async fn claim_due_emails(&self, lease_ms: i64, limit: i64) -> Result<Vec<QueuedEmail>, StoreError>;

    /// These emails left. Unless `keep_body` (the dev mailbox), their bodies are erased: one
    /// may hold a link that signs someone in, and it has no use once sent.
    async fn emails_sent(&self, ids: &[i64], keep_body: bool) -> Result<(), StoreError>;

    /// Gives claimed emails back untried (their lease would run out before the worker reached
    /// them): any worker may take them at once.
    async fn release_emails(&self, ids: &[i64]) -> Result<(), StoreError>;

    /// Delivery failed: try again at `run_at` (`None`: never, it cannot succeed).
    async fn email_failed(&self, id: i64, run_at: Option<Millis>, error: &str) -> Result<(), StoreError>;

    /// Sent emails, newest first, for the dev mailbox.
    async fn sent_emails(&self, limit: i64) -> Result<Vec<SentEmail>, StoreError>;

    async fn sent_email(&self, id: i64) -> Result<Option<SentEmail>, StoreError>;
}
