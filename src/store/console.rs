//! What the operator console reads and writes: operators, the audit log and the appeals queue.

use async_trait::async_trait;

use super::{StoreError, UserId};
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::operators::{OperatorRecord, Role};

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
    pub detail: String,
    pub at: Millis,
}

/// Which appeals a queue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppealFilter {
    /// Not resolved yet, oldest first (the queue).
    Open,
    /// Resolved, newest first.
    Resolved,
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

    /// The newest `limit` lines of the audit log, newest first.
    async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    /// Appeals in the queue (`Open`: oldest first) or answered and closed (`Resolved`: newest
    /// first), at most `limit`.
    async fn appeals_queue(&self, filter: AppealFilter, limit: i64) -> Result<Vec<AppealRecord>, StoreError>;

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
