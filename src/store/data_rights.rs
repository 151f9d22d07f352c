//! A person's rights over their data (issue 26), as storage sees them: everything kept about
//! them, read for their export, and the record of each export. The SQL is the same on both
//! backends but for placeholders and the sessions table's name.

use async_trait::async_trait;
use sqlx::{ColumnIndex, Row};

pub(super) use super::erasure::{
    Statement, Target, due_for_erasure_sql, erase_statements, hold_ended_sql, hold_statements,
};
pub use super::retention::{RetentionRule, RetentionTally};
pub(super) use super::retention::{idle_accounts_sql, tally_sql};

use super::rows::Decodes;
use super::{StoreError, UserId};
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::i18n::Lang;

/// Who asked for an export: the person on their account page, or support for a person who
/// wrote in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requester {
    Person,
    Support,
}

impl Requester {
    pub fn as_str(self) -> &'static str {
        match self {
            Requester::Person => "person",
            Requester::Support => "support",
        }
    }
}

/// The audit log's action for an export.
pub const EXPORT_ACTION: &str = "exported personal data";
/// The audit log's actions along a deletion.
pub const DELETION_ASKED: &str = "asked to delete their account";
pub const DELETION_CONFIRMED: &str = "confirmed the deletion of their account";
pub const DELETION_CANCELLED: &str = "cancelled the deletion by logging in";
pub const ACCOUNT_HELD: &str = "account closed; the due-diligence record is held";
pub const IDLE_WARNED: &str = "warned of deletion after months without a login";

/// What the erasure job did in one round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erasures {
    /// Accounts erased (never decided, or their hold ended).
    pub erased: u64,
    /// Accounts reduced to the due-diligence record, under a hold.
    pub held: u64,
}

/// An email to write to a person (their address and first name) in their language.
pub type EmailFor<'a> = &'a (dyn for<'n> Fn(&'n str, &'n str, Option<Lang>) -> OutgoingEmail + Sync);

#[async_trait]
pub trait DataRights {
    /// Everything kept about `user` beyond their account row, for their export.
    async fn personal_data(&self, user: &UserId) -> Result<PersonalData, StoreError>;

    /// Records an export of `user`'s data, with its audit entry, unless one was made at or
    /// after `since`: then `Err(at)`, the time of that one. Safe with several instances.
    async fn record_export(
        &self,
        user: &UserId,
        by: Requester,
        since: Millis,
    ) -> Result<Result<(), Millis>, StoreError>;

    /// Stores a link that confirms the deletion of `user`'s account (replacing older ones),
    /// queues its email and audits the request, in one transaction.
    async fn request_deletion(
        &self,
        user: &UserId,
        token_hash: &str,
        expires_at: Millis,
        email: &OutgoingEmail,
    ) -> Result<(), StoreError>;

    /// Whether a deletion link is still good (for the page that shows its button).
    async fn deletion_link_is_valid(&self, token_hash: &str) -> Result<bool, StoreError>;

    /// Uses a deletion link (once, before it expires): the account will be erased at `due_at`
    /// unless the person logs in before; their sessions end, reminders stop, and the notice
    /// is queued. `None` when the link is unknown, used or expired.
    async fn confirm_deletion(
        &self,
        token_hash: &str,
        due_at: Millis,
        notice_for: EmailFor<'_>,
    ) -> Result<Option<UserId>, StoreError>;

    /// Notes a login: the time (an idle account is one nobody logged into for months), and it
    /// cancels a pending deletion, which is returned (`true`) and audited.
    async fn note_login(&self, user: &UserId) -> Result<bool, StoreError>;

    /// Applies `rule` to at most `limit` rows older than `cutoff`, and adds them to the rule's
    /// tally; one short transaction, safe with several instances. Returns the rows removed or
    /// emptied.
    async fn apply_retention(
        &self,
        rule: RetentionRule,
        cutoff: Millis,
        limit: i64,
    ) -> Result<u64, StoreError>;

    /// Warns at most `limit` accounts that never started verification and nobody logged into
    /// since `idle_since`: the warning is queued and their deletion scheduled at `due_at` (a
    /// login cancels it, as for a deletion they asked for). Returns how many.
    async fn warn_idle_accounts(
        &self,
        idle_since: Millis,
        due_at: Millis,
        limit: i64,
        warning_for: EmailFor<'_>,
    ) -> Result<u64, StoreError>;

    /// What each retention rule has removed so far, for the console and `/metrics`.
    async fn retention_tally(&self) -> Result<Vec<RetentionTally>, StoreError>;

    /// One round of the erasure job, at most `limit` accounts of each kind: accounts whose
    /// grace period ended are erased, or reduced to the due-diligence record held for
    /// `hold_ms` when LedgerOS ever decided on them (approved, denied or locked); held records
    /// whose hold ended are erased. Safe with several instances.
    async fn erase_due(&self, hold_ms: Millis, limit: i64) -> Result<Erasures, StoreError>;
}

/// What the tables hold about one person (their account row is read as a
/// [`super::UserRecord`]). Never password hashes, tokens or LedgerOS's denial reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonalData {
    pub status_changes: Vec<StatusChange>,
    pub appeals: Vec<Appeal>,
    pub emails: Vec<EmailSent>,
    pub documents: Vec<DocumentSent>,
    pub devices: Vec<Device>,
    pub open_sessions: i64,
    pub audit: Vec<AuditAbout>,
    pub exports: Vec<Export>,
    /// Their passkeys (names and dates; the public keys stay out).
    pub passkeys: Vec<PasskeyUse>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyUse {
    pub name: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub status: String,
    pub source: String,
    pub at: Millis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appeal {
    pub message: String,
    pub sent_at: Millis,
    pub answer: Option<String>,
    pub answered_at: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailSent {
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// `None` once the retention job has removed it.
    pub body: Option<String>,
    pub queued_at: Millis,
    pub sent_at: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSent {
    pub document_type: String,
    pub at: Millis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub first_seen_at: Millis,
    pub last_used_at: Millis,
}

/// An audit entry about the person. The operator's identity is not part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditAbout {
    pub action: String,
    /// An operator did it (`true`), or the person or the system (`by_person` tells which).
    pub by_operator: bool,
    pub by_person: bool,
    pub at: Millis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub requested_by: String,
    pub at: Millis,
}

/// The export's queries, with `p` the backend's placeholder for the user's id (which may occur
/// twice: `?1` on SQLite) and `sessions` the name of its sessions table. The emails include
/// those sent to their address before the account existed (the signup's confirmation).
pub(super) fn export_sql(p: &str, sessions: &str) -> [String; 8] {
    [
        format!("SELECT status, source, at FROM status_changes WHERE user_id = {p} ORDER BY at, id"),
        format!(
            "SELECT message, created_at, answer, answered_at FROM appeals WHERE user_id = {p} ORDER BY created_at, id"
        ),
        format!(
            "SELECT kind, to_address, subject, body, created_at, sent_at FROM emails WHERE user_id = {p} \
             OR (user_id IS NULL AND to_address = (SELECT email FROM users WHERE id = {p})) ORDER BY created_at, id"
        ),
        format!("SELECT document_type, at FROM document_uploads WHERE user_id = {p} ORDER BY at, id"),
        format!("SELECT created_at, last_used_at FROM known_devices WHERE user_id = {p} ORDER BY created_at"),
        format!("SELECT COUNT(*) AS n FROM {sessions} WHERE user_id = {p}"),
        format!(
            "SELECT action, operator_id IS NOT NULL AS by_operator, by_person, at FROM audit_log \
             WHERE subject = {p} ORDER BY at, id"
        ),
        format!("SELECT requested_by, at FROM data_exports WHERE user_id = {p} ORDER BY at, id"),
    ]
}

/// Fills `data` from the rows of query `part` of [`export_sql`].
pub(super) fn read_part<R>(data: &mut PersonalData, part: usize, rows: &[R]) -> Result<(), StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
    bool: Decodes<R::Database>,
{
    for row in rows {
        match part {
            0 => data.status_changes.push(StatusChange {
                status: row.try_get("status")?,
                source: row.try_get("source")?,
                at: row.try_get("at")?,
            }),
            1 => data.appeals.push(Appeal {
                message: row.try_get("message")?,
                sent_at: row.try_get("created_at")?,
                answer: row.try_get("answer")?,
                answered_at: row.try_get("answered_at")?,
            }),
            2 => data.emails.push(EmailSent {
                kind: row.try_get("kind")?,
                to: row.try_get("to_address")?,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                queued_at: row.try_get("created_at")?,
                sent_at: row.try_get("sent_at")?,
            }),
            3 => data.documents.push(DocumentSent {
                document_type: row.try_get("document_type")?,
                at: row.try_get("at")?,
            }),
            4 => data.devices.push(Device {
                first_seen_at: row.try_get("created_at")?,
                last_used_at: row.try_get("last_used_at")?,
            }),
            5 => data.open_sessions = row.try_get("n")?,
            6 => data.audit.push(AuditAbout {
                action: row.try_get("action")?,
                by_operator: row.try_get("by_operator")?,
                by_person: row.try_get("by_person")?,
                at: row.try_get("at")?,
            }),
            7 => data.exports.push(Export {
                requested_by: row.try_get("requested_by")?,
                at: row.try_get("at")?,
            }),
            _ => return Err(StoreError::Corrupt(format!("no export part {part}"))),
        }
    }
    Ok(())
}

/// The purpose of deletion links in the tokens table.
pub(super) const DELETION_LINK: &str = "delete_account";
