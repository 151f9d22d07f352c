//! Second factors and passkeys (issue 27): operators' TOTP secrets, their single-use recovery
//! codes (digests only), one-time setup links (digests only), and passkeys for operators and
//! applicants. The SQL is written once with `$n` placeholders, which SQLite reads too; one
//! macro implements the trait on both backends.

use async_trait::async_trait;

use super::{OperatorId, StoreError, UserId};
use crate::clock::Millis;

/// Whose passkey it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasskeyOwner {
    Operator(OperatorId),
    User(UserId),
}

impl PasskeyOwner {
    /// The column that holds this kind of owner, and the owner's id.
    pub(super) fn column(&self) -> (&'static str, &str) {
        match self {
            Self::Operator(id) => ("operator_id", &id.0),
            Self::User(id) => ("user_id", &id.0),
        }
    }
}

/// A stored passkey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyRow {
    /// The credential id, base64url.
    pub id: String,
    pub owner: PasskeyOwner,
    /// The account's WebAuthn user handle.
    pub handle: String,
    /// What its owner calls it ("Work laptop").
    pub name: String,
    /// webauthn-rs's `Passkey`, as JSON.
    pub passkey: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

/// Storage for second factors and passkeys.
#[async_trait]
pub trait Factors {
    /// The operator's TOTP secret (base32), if they set up an authenticator app.
    async fn totp_secret(&self, operator: &OperatorId) -> Result<Option<String>, StoreError>;

    /// Keeps `secret` as the operator's TOTP secret, with `step` (the code that confirmed it)
    /// already used.
    async fn save_totp(&self, operator: &OperatorId, secret: &str, step: i64) -> Result<(), StoreError>;

    /// Accepts a code of time step `step` unless one of this step or a later one was accepted
    /// before (a code works once). `false` when it was.
    async fn accept_totp_step(&self, operator: &OperatorId, step: i64) -> Result<bool, StoreError>;

    /// Replaces the operator's recovery codes with these digests.
    async fn replace_recovery_codes(
        &self,
        operator: &OperatorId,
        digests: &[String],
    ) -> Result<(), StoreError>;

    /// Uses the recovery code with this digest: `false` if it is not theirs or was used.
    async fn use_recovery_code(&self, operator: &OperatorId, digest: &str) -> Result<bool, StoreError>;

    /// How many of the operator's recovery codes are unused.
    async fn recovery_codes_left(&self, operator: &OperatorId) -> Result<i64, StoreError>;

    /// Keeps a one-time setup link (its digest) for `operator`, valid until `expires_at`.
    async fn add_setup_link(
        &self,
        operator: &OperatorId,
        digest: &str,
        expires_at: Millis,
    ) -> Result<(), StoreError>;

    /// Uses the setup link with this digest: the operator it is for, unless it was used or
    /// has expired.
    async fn use_setup_link(&self, digest: &str) -> Result<Option<OperatorId>, StoreError>;

    /// Removes every second factor of `operator` (TOTP, recovery codes, passkeys, unused setup
    /// links): they set one up again with a new link.
    async fn remove_second_factors(&self, operator: &OperatorId) -> Result<(), StoreError>;

    /// The passkeys of `owner`, oldest first.
    async fn passkeys_of(&self, owner: &PasskeyOwner) -> Result<Vec<PasskeyRow>, StoreError>;

    /// The passkey with credential id `id`.
    async fn passkey(&self, id: &str) -> Result<Option<PasskeyRow>, StoreError>;

    /// Keeps a new passkey, and queues `email` (to an applicant: "a passkey was added") in the
    /// same transaction: `false` if this credential is registered already (to anyone).
    async fn add_passkey(
        &self,
        passkey: &PasskeyRow,
        email: Option<&crate::email::OutgoingEmail>,
    ) -> Result<bool, StoreError>;

    /// Notes a passkey's use, with its updated state (its signature counter) when it changed.
    async fn passkey_used(&self, id: &str, passkey: Option<&str>) -> Result<(), StoreError>;

    /// Removes `owner`'s passkey `id`: `false` if they have none of that id.
    async fn remove_passkey(&self, owner: &PasskeyOwner, id: &str) -> Result<bool, StoreError>;

    /// When `operator`'s second factor was refused since `since` (the audit log's lines),
    /// oldest first.
    async fn factor_refusals(&self, operator: &OperatorId, since: Millis) -> Result<Vec<Millis>, StoreError>;
}

pub(super) const PASSKEY_COLUMNS: &str =
    "id, operator_id, user_id, handle, name, passkey, created_at, last_used_at";

/// A passkey row, read from [`PASSKEY_COLUMNS`].
pub(super) fn passkey_row<R>(row: &R) -> Result<PasskeyRow, StoreError>
where
    R: sqlx::Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let operator: Option<String> = row.try_get("operator_id")?;
    let user: Option<String> = row.try_get("user_id")?;
    let owner = match (operator, user) {
        (Some(op), _) => PasskeyOwner::Operator(OperatorId(op)),
        (None, Some(user)) => PasskeyOwner::User(UserId(user)),
        (None, None) => return Err(StoreError::Corrupt("a passkey without an owner".to_owned())),
    };
    Ok(PasskeyRow {
        id: row.try_get("id")?,
        owner,
        handle: row.try_get("handle")?,
        name: row.try_get("name")?,
        passkey: row.try_get("passkey")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

pub(super) fn passkeys_of_sql(owner: &PasskeyOwner) -> String {
    let (column, _) = owner.column();
    format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE {column} = $1 ORDER BY created_at, id")
}

pub(super) fn remove_passkey_sql(owner: &PasskeyOwner) -> (String, String) {
    let (column, id) = owner.column();
    (
        format!("DELETE FROM passkeys WHERE {column} = $1 AND id = $2"),
        id.to_owned(),
    )
}

/// Implements [`Factors`] for a backend: `$begin` opens a write transaction (as a pair whose
/// first part is held until the commit), `self.pool` reads.
macro_rules! impl_factors {
    ($backend:ty, |$this:ident| $begin:expr) => {
        #[async_trait::async_trait]
        impl $crate::store::factors::Factors for $backend {
            async fn totp_secret(
                &self,
                operator: &$crate::store::OperatorId,
            ) -> Result<Option<String>, $crate::store::StoreError> {
                Ok(sqlx::query_scalar("SELECT secret FROM operator_totp WHERE operator_id = $1")
                    .bind(&operator.0)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn save_totp(
                &self,
                operator: &$crate::store::OperatorId,
                secret: &str,
                step: i64,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                sqlx::query(
                    "INSERT INTO operator_totp (operator_id, secret, last_step, enrolled_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (operator_id) DO UPDATE SET secret = excluded.secret, \
                     last_step = excluded.last_step, enrolled_at = excluded.enrolled_at",
                )
                .bind(&operator.0)
                .bind(secret)
                .bind(step)
                .bind(self.clock.now_ms())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn accept_totp_step(
                &self,
                operator: &$crate::store::OperatorId,
                step: i64,
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                let done = sqlx::query(
                    "UPDATE operator_totp SET last_step = $1 WHERE operator_id = $2 AND last_step < $1",
                )
                .bind(step)
                .bind(&operator.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(done == 1)
            }

            async fn replace_recovery_codes(
                &self,
                operator: &$crate::store::OperatorId,
                digests: &[String],
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                sqlx::query("DELETE FROM recovery_codes WHERE operator_id = $1")
                    .bind(&operator.0)
                    .execute(&mut *tx)
                    .await?;
                for digest in digests {
                    sqlx::query("INSERT INTO recovery_codes (operator_id, code_hash) VALUES ($1, $2)")
                        .bind(&operator.0)
                        .bind(digest)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn use_recovery_code(
                &self,
                operator: &$crate::store::OperatorId,
                digest: &str,
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                let done = sqlx::query(
                    "UPDATE recovery_codes SET used_at = $1 \
                     WHERE operator_id = $2 AND code_hash = $3 AND used_at IS NULL",
                )
                .bind(self.clock.now_ms())
                .bind(&operator.0)
                .bind(digest)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(done == 1)
            }

            async fn recovery_codes_left(
                &self,
                operator: &$crate::store::OperatorId,
            ) -> Result<i64, $crate::store::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM recovery_codes WHERE operator_id = $1 AND used_at IS NULL",
                )
                .bind(&operator.0)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn add_setup_link(
                &self,
                operator: &$crate::store::OperatorId,
                digest: &str,
                expires_at: $crate::clock::Millis,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                sqlx::query(
                    "INSERT INTO setup_links (token_hash, operator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(digest)
                .bind(&operator.0)
                .bind(self.clock.now_ms())
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn use_setup_link(
                &self,
                digest: &str,
            ) -> Result<Option<$crate::store::OperatorId>, $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                let now = self.clock.now_ms();
                let operator: Option<String> = sqlx::query_scalar(
                    "UPDATE setup_links SET used_at = $1 \
                     WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING operator_id",
                )
                .bind(now)
                .bind(digest)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(operator.map($crate::store::OperatorId))
            }

            async fn remove_second_factors(
                &self,
                operator: &$crate::store::OperatorId,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                for table in ["operator_totp", "recovery_codes", "passkeys"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE operator_id = $1"))
                        .bind(&operator.0)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("DELETE FROM setup_links WHERE operator_id = $1 AND used_at IS NULL")
                    .bind(&operator.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn passkeys_of(
                &self,
                owner: &$crate::store::factors::PasskeyOwner,
            ) -> Result<Vec<$crate::store::factors::PasskeyRow>, $crate::store::StoreError> {
                let (_, id) = owner.column();
                sqlx::query(&$crate::store::factors::passkeys_of_sql(owner))
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map($crate::store::factors::passkey_row)
                    .collect()
            }

            async fn passkey(
                &self,
                id: &str,
            ) -> Result<Option<$crate::store::factors::PasskeyRow>, $crate::store::StoreError> {
                sqlx::query(&format!(
                    "SELECT {} FROM passkeys WHERE id = $1",
                    $crate::store::factors::PASSKEY_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .as_ref()
                .map($crate::store::factors::passkey_row)
                .transpose()
            }

            async fn add_passkey(
                &self,
                passkey: &$crate::store::factors::PasskeyRow,
                email: Option<&$crate::email::OutgoingEmail>,
            ) -> Result<bool, $crate::store::StoreError> {
                use $crate::store::factors::PasskeyOwner;
                let (operator, user) = match &passkey.owner {
                    PasskeyOwner::Operator(id) => (Some(id.0.as_str()), None),
                    PasskeyOwner::User(id) => (None, Some(id.0.as_str())),
                };
                let $this = self;
                let (_writing, mut tx) = $begin;
                let done = sqlx::query(
                    "INSERT INTO passkeys (id, operator_id, user_id, handle, name, passkey, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&passkey.id)
                .bind(operator)
                .bind(user)
                .bind(&passkey.handle)
                .bind(&passkey.name)
                .bind(&passkey.passkey)
                .bind(passkey.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done == 1 {
                    if let Some(email) = email {
                        let user = match &passkey.owner {
                            PasskeyOwner::User(id) => Some(id),
                            PasskeyOwner::Operator(_) => None,
                        };
                        mail::queue_email(&mut tx, user, email, self.clock.now_ms()).await?;
                    }
                }
                tx.commit().await?;
                if done == 1 && email.is_some() {
                    self.mail_queued.notify_one();
                }
                Ok(done == 1)
            }

            async fn passkey_used(
                &self,
                id: &str,
                passkey: Option<&str>,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                sqlx::query(
                    "UPDATE passkeys SET last_used_at = $1, passkey = COALESCE($2, passkey) WHERE id = $3",
                )
                .bind(self.clock.now_ms())
                .bind(passkey)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn remove_passkey(
                &self,
                owner: &$crate::store::factors::PasskeyOwner,
                id: &str,
            ) -> Result<bool, $crate::store::StoreError> {
                let (sql, owner_id) = $crate::store::factors::remove_passkey_sql(owner);
                let $this = self;
                let (_writing, mut tx) = $begin;
                let done = sqlx::query(&sql)
                    .bind(owner_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(done == 1)
            }

            async fn factor_refusals(
                &self,
                operator: &$crate::store::OperatorId,
                since: $crate::clock::Millis,
            ) -> Result<Vec<$crate::clock::Millis>, $crate::store::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT at FROM audit_log WHERE at >= $1 AND operator_id = $2 AND action = $3 ORDER BY at",
                )
                .bind(since)
                .bind(&operator.0)
                .bind($crate::store::factors::FACTOR_REFUSED)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}
pub(super) use impl_factors;

/// The audit log's action for a refused second factor.
pub const FACTOR_REFUSED: &str = "second factor refused";
