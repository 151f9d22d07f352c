//! The fintech's staff: operator accounts for the console at `/admin`, their roles, and what
//! they do to applicants (answering appeals). Operators are not customers: their own table, their
//! own login, and a customer account never opens the console.

use crate::accounts::{hash_password, verify_password};
use crate::clock::Millis;
use crate::email::templates;
use crate::forms::{Email, check_new_password};
use crate::i18n::Lang;
use crate::services::Services;
use crate::store::{OperatorId, Store, StoreError};

/// What an operator may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Reads everything, answers appeals, refreshes a status.
    Support,
    /// Also replays webhooks and manages operators.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Support => "support",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "support" => Some(Self::Support),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// An operator account as stored.
#[derive(Clone)]
pub struct OperatorRecord {
    pub id: OperatorId,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: Millis,
}

impl std::fmt::Debug for OperatorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorRecord")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("{0}")]
    Invalid(String),
    #[error("an operator with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OperatorError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::EmailTaken => Self::EmailTaken,
            e => Self::Store(e),
        }
    }
}

/// Creates an operator (the same password rules as customers: 12 characters, not a common one).
pub async fn create_operator(
    store: &Store,
    email: &str,
    password: String,
    role: Role,
) -> Result<OperatorId, OperatorError> {
    // The console speaks English.
    let email = Email::parse(email).map_err(|p| OperatorError::Invalid(p.message(Lang::En)))?;
    check_new_password(&password).map_err(|p| OperatorError::Invalid(p.message(Lang::En)))?;
    let hash = hash_password(password).await;
    let id = store.create_operator(email.as_str(), &hash, role).await?;
    store
        .audit(
            None,
            "operator created",
            Some(&id.0),
            &format!("role {}", role.as_str()),
        )
        .await?;
    Ok(id)
}

/// The demo's operator: an admin with a published password, for the product team's laptop.
pub const DEMO_OPERATOR_EMAIL: &str = "admin@demo.example";
pub const DEMO_OPERATOR_PASSWORD: &str = "demo console passphrase";

/// Creates the demo's operator unless it exists, with the published authenticator secret
/// (demo mode only: its password and secret are public).
pub async fn ensure_demo_operator(store: &Store) -> Result<(), OperatorError> {
    if let Some(operator) = store.operator_by_email(DEMO_OPERATOR_EMAIL).await? {
        // A demo database from before second factors.
        if store.totp_secret(&operator.id).await?.is_none() {
            store
                .save_totp(&operator.id, crate::second_factor::DEMO_OPERATOR_TOTP_SECRET, 0)
                .await?;
        }
        return Ok(());
    }
    // The password is public and the same everywhere: hash it once per process (test runs
    // start many demo apps, and argon2 is slow on purpose).
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = HASH
        .get_or_init(|| hash_password(DEMO_OPERATOR_PASSWORD.to_owned()))
        .await;
    match store
        .create_operator(DEMO_OPERATOR_EMAIL, hash, Role::Admin)
        .await
    {
        Ok(id) => {
            store
                .save_totp(&id, crate::second_factor::DEMO_OPERATOR_TOTP_SECRET, 0)
                .await?;
            store
                .audit(None, "operator created", Some(&id.0), "role admin (the demo's)")
                .await?;
            Ok(())
        }
        // Another instance made it meanwhile.
        Err(StoreError::EmailTaken) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Checks an operator's credentials; unknown emails and wrong passwords look the same.
pub async fn log_in_operator(
    services: &Services,
    email: &str,
    password: String,
) -> Result<Option<OperatorRecord>, StoreError> {
    let operator = match Email::parse(email) {
        Ok(email) => services.store.operator_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let hash = operator.as_ref().map(|o| o.password_hash.clone());
    Ok(if verify_password(hash, password).await {
        operator
    } else {
        None
    })
}

/// Longest appeal reply, in characters.
pub const REPLY_MAX_CHARS: usize = 4000;

/// Why an appeal could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("{0}")]
    Invalid(&'static str),
    #[error("no such appeal")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Answers a denied applicant's appeal: the reply is kept, emailed to them through the outbox,
/// and written to the audit log, in one transaction. `resolve` also closes the case.
pub async fn answer_appeal(
    services: &Services,
    operator: &OperatorId,
    appeal_id: i64,
    reply: &str,
    resolve: bool,
) -> Result<(), AnswerError> {
    let reply = reply.trim();
    if reply.is_empty() {
        return Err(AnswerError::Invalid("Write a reply to send to the applicant."));
    }
    if reply.chars().count() > REPLY_MAX_CHARS {
        return Err(AnswerError::Invalid(
            "This reply is too long (4000 characters at most).",
        ));
    }
    let Some(appeal) = services.store.appeal(appeal_id).await? else {
        return Err(AnswerError::NotFound);
    };
    let email = templates::appeal_answer(
        appeal.language.unwrap_or_default(),
        &appeal.email,
        &appeal.first_name,
        &services.public_url,
        reply,
    );
    if services
        .store
        .answer_appeal(appeal_id, operator, reply, resolve, &email)
        .await?
    {
        Ok(())
    } else {
        Err(AnswerError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_read_back_as_written() {
        for role in [Role::Support, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin > Role::Support);
    }
}
