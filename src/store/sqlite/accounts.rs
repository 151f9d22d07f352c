//! Signups, devices, password resets and reminders on SQLite.

use crate::store::rows::saved_language;
use async_trait::async_trait;
use sqlx::Row;

use super::SqliteBackend;
use super::applicants::insert_user;
use super::mail::queue_email;
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::status::ApplicationStatus;
use crate::store::{
    Accounts, ConfirmOutcome, NewUser, PendingSignup, ReminderDue, SignupTarget, StoreError, UserId,
};

const RESET: &str = "reset";

#[async_trait]
impl Accounts for SqliteBackend {
    async fn record_signup(
        &self,
        new: NewUser<'_>,
        language: crate::i18n::Lang,
        token_hash: &str,
        expires_at: Millis,
        email_for: &(dyn for<'n> Fn(SignupTarget<'n>) -> OutgoingEmail + Sync),
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        // Signups nobody confirmed in time are not kept (they hold names, emails and hashes).
        sqlx::query("DELETE FROM signups WHERE expires_at <= ?")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let existing = sqlx::query("SELECT id, first_name, language FROM users WHERE email = ?")
            .bind(new.email)
            .fetch_optional(&mut *tx)
            .await?;
        let (user, email) = match &existing {
            Some(row) => {
                let first_name: String = row.try_get("first_name")?;
                let email = email_for(SignupTarget::Existing {
                    first_name: &first_name,
                    language: saved_language(row)?,
                });
                (Some(UserId(row.try_get("id")?)), email)
            }
            None => {
                sqlx::query(
                    "INSERT INTO signups (token_hash, email, first_name, last_name, password_hash, created_at, expires_at, language) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(token_hash)
                .bind(new.email)
                .bind(new.first_name)
                .bind(new.last_name)
                .bind(new.password_hash)
                .bind(now)
                .bind(expires_at)
                .bind(language.code())
                .execute(&mut *tx)
                .await?;
                (None, email_for(SignupTarget::New))
            }
        };
        queue_email(&mut tx, user.as_ref(), &email, now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(())
    }

    async fn confirm_signup(&self, token_hash: &str) -> Result<ConfirmOutcome, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let signup = sqlx::query(
            "SELECT email, first_name, last_name, password_hash, language FROM signups WHERE token_hash = ? AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(signup) = signup else {
            return Ok(ConfirmOutcome::Invalid);
        };
        let email: String = signup.try_get("email")?;
        let (first_name, last_name, password_hash): (String, String, String) = (
            signup.try_get("first_name")?,
            signup.try_get("last_name")?,
            signup.try_get("password_hash")?,
        );
        sqlx::query("DELETE FROM signups WHERE email = ? OR expires_at <= ?")
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let new = NewUser {
            email: &email,
            first_name: &first_name,
            last_name: &last_name,
            password_hash: &password_hash,
        };
        let language = saved_language(&signup)?;
        let outcome = match insert_user(&mut tx, now, &new).await {
            Ok(id) => {
                if let Some(language) = language {
                    sqlx::query("UPDATE users SET language = ? WHERE id = ?")
                        .bind(language.code())
                        .bind(&id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                ConfirmOutcome::Created(id)
            }
            Err(StoreError::EmailTaken) => ConfirmOutcome::AlreadyExists,
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn pending_signup(&self, token_hash: &str) -> Result<Option<PendingSignup>, StoreError> {
        let row =
            sqlx::query("SELECT email, password_hash FROM signups WHERE token_hash = ? AND expires_at > ?")
                .bind(token_hash)
                .bind(self.clock.now_ms())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(PendingSignup {
                email: r.try_get("email")?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    async fn remember_device(&self, user: &UserId, token_hash: &str) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at \
             WHERE known_devices.user_id = excluded.user_id",
        )
        .bind(token_hash)
        .bind(&user.0)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM known_devices WHERE user_id = ?1 AND token_hash NOT IN \
             (SELECT token_hash FROM known_devices WHERE user_id = ?1 ORDER BY last_used_at DESC LIMIT 10)",
        )
        .bind(&user.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_known_device(&self, email: &str, token_hash: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id WHERE u.email = ? AND d.token_hash = ?",
        )
        .bind(email)
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn request_password_reset(
        &self,
        email: &str,
        token_hash: &str,
        expires_at: Millis,
        email_for: &(dyn for<'n> Fn(&'n str, Option<crate::i18n::Lang>) -> OutgoingEmail + Sync),
    ) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let Some(row) =
            sqlx::query("SELECT id, first_name, language FROM users WHERE email = ? AND held_until IS NULL")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(false);
        };
        let user = UserId(row.try_get("id")?);
        let first_name: String = row.try_get("first_name")?;
        sqlx::query("DELETE FROM tokens WHERE user_id = ? AND purpose = ?")
            .bind(&user.0)
            .bind(RESET)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tokens (hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(&user.0)
        .bind(RESET)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        let language = saved_language(&row)?;
        queue_email(&mut tx, Some(&user), &email_for(&first_name, language), now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(true)
    }

    async fn reset_token_is_valid(&self, token_hash: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 FROM tokens WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(RESET)
        .bind(self.clock.now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        notice_for: &(dyn for<'n> Fn(&'n str, &'n str, Option<crate::i18n::Lang>) -> OutgoingEmail + Sync),
    ) -> Result<Option<UserId>, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let used = sqlx::query(
            "UPDATE tokens SET used_at = ? \
             WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(RESET)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(used) = used else {
            return Ok(None);
        };
        let user = UserId(used.try_get("user_id")?);
        let row = sqlx::query(
            "UPDATE users SET password_hash = ? WHERE id = ? RETURNING email, first_name, language",
        )
        .bind(password_hash)
        .bind(&user.0)
        .fetch_one(&mut *tx)
        .await?;
        let (email, first_name): (String, String) = (row.try_get("email")?, row.try_get("first_name")?);
        let language = saved_language(&row)?;
        queue_email(
            &mut tx,
            Some(&user),
            &notice_for(&email, &first_name, language),
            now,
        )
        .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(Some(user))
    }

    async fn due_reminders(&self, schedule: &[Millis], limit: i64) -> Result<Vec<ReminderDue>, StoreError> {
        let delays = serde_json::to_string(schedule).expect("a list of numbers serialises");
        let rows = sqlx::query(
            "SELECT id, email, first_name, language, application_status, required_fields, reminders_token, \
                    reminders_sent, status_changed_at FROM users \
             WHERE reminders_off_at IS NULL AND reminders_token IS NOT NULL AND budget_held_at IS NULL \
               AND reminders_sent < json_array_length(?1) \
               AND (application_status IN ('notStarted', 'needsInformation', 'needsVerification') \
                    OR (application_status = 'pending' AND returned_at IS NULL)) \
               AND status_changed_at + json_extract(?1, '$[' || reminders_sent || ']') <= ?2 \
               AND (reminders_sent = 0 OR reminded_at IS NULL OR reminded_at \
                    + json_extract(?1, '$[' || reminders_sent || ']') \
                    - json_extract(?1, '$[' || (reminders_sent - 1) || ']') <= ?2) \
             ORDER BY status_changed_at LIMIT ?3",
        )
        .bind(delays)
        .bind(self.clock.now_ms())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let fields: String = r.try_get("required_fields")?;
                Ok(ReminderDue {
                    user: UserId(r.try_get("id")?),
                    email: r.try_get("email")?,
                    first_name: r.try_get("first_name")?,
                    status: ApplicationStatus::parse(r.try_get("application_status")?),
                    required_fields: serde_json::from_str(&fields).unwrap_or_default(),
                    reminders_token: r.try_get("reminders_token")?,
                    language: saved_language(r)?,
                    sent: r.try_get("reminders_sent")?,
                    status_changed_at: r.try_get("status_changed_at")?,
                })
            })
            .collect()
    }

    async fn record_reminder(&self, due: &ReminderDue, email: &OutgoingEmail) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let counted = sqlx::query(
            "UPDATE users SET reminders_sent = reminders_sent + 1, reminded_at = ? \
             WHERE id = ? AND reminders_sent = ? AND status_changed_at = ? AND application_status = ? \
               AND reminders_off_at IS NULL",
        )
        .bind(now)
        .bind(&due.user.0)
        .bind(due.sent)
        .bind(due.status_changed_at)
        .bind(due.status.as_str())
        .execute(&mut *tx)
        .await?;
        if counted.rows_affected() == 0 {
            return Ok(false);
        }
        queue_email(&mut tx, Some(&due.user), email, now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(true)
    }

    async fn set_reminders(&self, reminders_token: &str, on: bool) -> Result<bool, StoreError> {
        let off_at = (!on).then(|| self.clock.now_ms());
        let _turn = self.write_turn().await;
        let updated = sqlx::query("UPDATE users SET reminders_off_at = ? WHERE reminders_token = ?")
            .bind(off_at)
            .bind(reminders_token)
            .execute(&self.pool)
            .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn set_user_reminders(&self, id: &UserId, on: bool) -> Result<(), StoreError> {
        let off_at = (!on).then(|| self.clock.now_ms());
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET reminders_off_at = ? WHERE id = ?")
            .bind(off_at)
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn set_language(&self, id: &UserId, lang: crate::i18n::Lang) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET language = ? WHERE id = ?")
            .bind(lang.code())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reminders_on(&self, reminders_token: &str) -> Result<Option<bool>, StoreError> {
        let row = sqlx::query("SELECT reminders_off_at FROM users WHERE reminders_token = ?")
            .bind(reminders_token)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get::<Option<Millis>, _>("reminders_off_at")?.is_none()))
            .transpose()
    }
}
