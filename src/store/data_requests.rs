//! Data requests handled by staff (issue 26): a person writes in, support opens an export or a
//! deletion, an admin confirms it; and what the console's "Data requests" page lists. The SQL
//! is the same on both backends but for placeholders.

use async_trait::async_trait;
use sqlx::{ColumnIndex, Row};

use super::data_rights::{EmailFor, RetentionTally};
use super::rows::Decodes;
use super::{OperatorId, StoreError, UserId};
use crate::clock::Millis;

/// What a person asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    Export,
    Deletion,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Export => "export",
            Self::Deletion => "deletion",
        }
    }

    pub fn parse(wire: &str) -> Option<Self> {
        match wire {
            "export" => Some(Self::Export),
            "deletion" => Some(Self::Deletion),
            _ => None,
        }
    }
}

/// A request, as opened by support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRequest {
    pub id: i64,
    pub user: UserId,
    pub kind: RequestKind,
    pub opened_at: Millis,
}

/// A person and a time (a deletion's grace end, a hold's end, an export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonAt {
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub at: Millis,
    /// What it was (a request's kind and who opened it, who asked for an export).
    pub detail: String,
    /// A request's id (for the confirm button).
    pub request: Option<i64>,
}

/// An erasure to send to LedgerOS, which has no deletion call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureToSend {
    pub id: i64,
    pub ledger_user_id: String,
    pub erased_at: Millis,
}

/// The console's "Data requests" page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataRequestsOverview {
    /// Opened by support and waiting for an admin, oldest first.
    pub open: Vec<PersonAt>,
    /// Deletions in their grace period, by when they happen.
    pub pending_deletions: Vec<PersonAt>,
    /// Due-diligence records under the hold, by its end.
    pub held: Vec<PersonAt>,
    pub erasures: Vec<ErasureToSend>,
    /// The latest exports.
    pub exports: Vec<PersonAt>,
    pub tally: Vec<RetentionTally>,
}

#[async_trait]
pub trait DataRequests {
    /// Support opens a request for `user` (audited). Returns its id.
    async fn open_data_request(
        &self,
        user: &UserId,
        kind: RequestKind,
        operator: &OperatorId,
    ) -> Result<i64, StoreError>;

    /// An admin confirms request `id`, once (audited). `None` when it is unknown or was
    /// confirmed already.
    async fn confirm_data_request(
        &self,
        id: i64,
        admin: &OperatorId,
    ) -> Result<Option<DataRequest>, StoreError>;

    /// Schedules `user`'s deletion at `due_at` for a confirmed request, as their own link
    /// would: sessions end, reminders stop, the notice is queued. `false` for a held record.
    async fn schedule_deletion(
        &self,
        user: &UserId,
        due_at: Millis,
        notice_for: EmailFor<'_>,
    ) -> Result<bool, StoreError>;

    /// Marks erasure `id` sent to LedgerOS, forgetting its LedgerOS id (audited). `false`
    /// when it is unknown or was marked already.
    async fn mark_erasure_sent(&self, id: i64, operator: &OperatorId) -> Result<bool, StoreError>;

    /// What the "Data requests" page lists, at most `limit` of each.
    async fn data_requests_overview(&self, limit: i64) -> Result<DataRequestsOverview, StoreError>;
}

/// The overview's queries, each with `p` the placeholder of its one bind, the limit.
pub(super) fn overview_sql(p: &str) -> [String; 5] {
    [
        format!(
            "SELECT r.id AS request, r.user_id, u.first_name, u.last_name, u.email, r.opened_at AS at, \
             r.kind || ', opened by ' || o.email AS detail FROM data_requests r JOIN users u ON u.id = r.user_id \
             JOIN operators o ON o.id = r.opened_by WHERE r.confirmed_at IS NULL ORDER BY r.opened_at LIMIT {p}"
        ),
        format!(
            "SELECT CAST(NULL AS BIGINT) AS request, id AS user_id, first_name, last_name, email, deletion_due_at AS at, \
             CASE WHEN idle_warned_at IS NULL THEN 'asked for' ELSE 'idle, warned' END AS detail \
             FROM users WHERE deletion_due_at IS NOT NULL ORDER BY deletion_due_at LIMIT {p}"
        ),
        format!(
            "SELECT CAST(NULL AS BIGINT) AS request, id AS user_id, first_name, last_name, email, held_until AS at, \
             application_status AS detail FROM users WHERE held_until IS NOT NULL ORDER BY held_until LIMIT {p}"
        ),
        format!(
            "SELECT id, ledger_user_id, erased_at FROM ledger_erasures WHERE sent_at IS NULL ORDER BY erased_at \
             LIMIT {p}"
        ),
        format!(
            "SELECT CAST(NULL AS BIGINT) AS request, e.user_id, u.first_name, u.last_name, u.email, e.at, e.requested_by AS detail \
             FROM data_exports e JOIN users u ON u.id = e.user_id ORDER BY e.at DESC LIMIT {p}"
        ),
    ]
}

pub(super) fn person_at<R>(row: &R) -> Result<PersonAt, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    let first: String = row.try_get("first_name")?;
    let last: String = row.try_get("last_name")?;
    Ok(PersonAt {
        user: UserId(row.try_get("user_id")?),
        name: format!("{first} {last}"),
        email: row.try_get("email")?,
        at: row.try_get("at")?,
        detail: row.try_get("detail")?,
        request: row.try_get("request")?,
    })
}

pub(super) fn erasure<R>(row: &R) -> Result<ErasureToSend, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: Decodes<R::Database>,
    i64: Decodes<R::Database>,
{
    Ok(ErasureToSend {
        id: row.try_get("id")?,
        ledger_user_id: row
            .try_get::<Option<String>, _>("ledger_user_id")?
            .unwrap_or_default(),
        erased_at: row.try_get("erased_at")?,
    })
}
