//! Signups, password resets, the email outbox and reminders.

use sqlx::{Row, SqliteConnection};

use super::{Store, insert_user};
use crate::clock::Millis;
use crate::email::{OutgoingEmail, QueuedEmail, SentEmail};
use crate::status::ApplicationStatus;
use crate::store::{NewUser, StoreError, UserId};

const RESET: &str = "reset";

/// Who a signup form's address belongs to, for choosing the email to send.
pub enum SignupTarget<'a> {
    /// Nobody yet: send the confirmation link.
    New,
    /// An existing account: tell its owner, change nothing.
    Existing { first_name: &'a str },
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
    /// How many were sent for this status before this one.
    pub sent: i64,
    /// The status's start, which the schedule counts from (and which must not move meanwhile).
    pub status_changed_at: Millis,
}

impl Store {
    /// Records a signup form: a pending signup and its confirmation email for a new address, or
    /// only a notice to the owner for an address that has an account. One transaction either way.
    pub async fn record_signup(
        &self,
        new: NewUser<'_>,
        token_hash: &str,
        expires_at: Millis,
        email_for: impl FnOnce(SignupTarget<'_>) -> OutgoingEmail,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        // Signups nobody confirmed in time are not kept (they hold names, emails and hashes).
        sqlx::query("DELETE FROM signups WHERE expires_at <= ?")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let existing = sqlx::query("SELECT id, first_name FROM users WHERE email = ?")
            .bind(new.email)
            .fetch_optional(&mut *tx)
            .await?;
        let (user, email) = match &existing {
            Some(row) => {
                let first_name: String = row.try_get("first_name")?;
                let email = email_for(SignupTarget::Existing {
                    first_name: &first_name,
                });
                (Some(UserId(row.try_get("id")?)), email)
            }
            None => {
                sqlx::query(
                    "INSERT INTO signups (token_hash, email, first_name, last_name, password_hash, created_at, expires_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(token_hash)
                .bind(new.email)
                .bind(new.first_name)
                .bind(new.last_name)
                .bind(new.password_hash)
                .bind(now)
                .bind(expires_at)
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

    /// Turns the signup behind a confirmation link into an account (with its provisioning
    /// job). Every pending signup for the address ends here, so the other links stop working.
    pub async fn confirm_signup(&self, token_hash: &str) -> Result<ConfirmOutcome, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let signup = sqlx::query(
            "SELECT email, first_name, last_name, password_hash FROM signups WHERE token_hash = ? AND expires_at > ?",
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
        let outcome = match insert_user(&mut tx, now, &new).await {
            Ok(id) => ConfirmOutcome::Created(id),
            Err(StoreError::EmailTaken) => ConfirmOutcome::AlreadyExists,
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// The address and password hash of the signup behind a confirmation link, while it can
    /// still be used: the page names the address, and confirming proves the password.
    pub async fn pending_signup(&self, token_hash: &str) -> Result<Option<PendingSignup>, StoreError> {
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

    /// Remembers a browser the account signed in from (by its device token's digest). An
    /// account keeps its ten most recent devices.
    pub async fn remember_device(&self, user: &UserId, token_hash: &str) -> Result<(), StoreError> {
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

    /// Whether the account with `email` has signed in from the device with this token digest.
    pub async fn is_known_device(&self, email: &str, token_hash: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id WHERE u.email = ? AND d.token_hash = ?",
        )
        .bind(email)
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Stores a reset token for the account with `email` (replacing older ones) and queues the
    /// email. Returns whether there is such an account.
    pub async fn request_password_reset(
        &self,
        email: &str,
        token_hash: &str,
        expires_at: Millis,
        email_for: impl FnOnce(&str) -> OutgoingEmail,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let Some(row) = sqlx::query("SELECT id, first_name FROM users WHERE email = ?")
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
        queue_email(&mut tx, Some(&user), &email_for(&first_name), now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(true)
    }

    /// Whether a reset link is still good (for showing the form; using it checks again).
    pub async fn reset_token_is_valid(&self, token_hash: &str) -> Result<bool, StoreError> {
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

    /// Uses a reset token (once, before it expires) to set a new password, and queues the
    /// "password changed" notice. `None` when the token is unknown, used or expired.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        notice_for: impl FnOnce(&str, &str) -> OutgoingEmail,
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
        let row = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ? RETURNING email, first_name")
            .bind(password_hash)
            .bind(&user.0)
            .fetch_one(&mut *tx)
            .await?;
        let (email, first_name): (String, String) = (row.try_get("email")?, row.try_get("first_name")?);
        queue_email(&mut tx, Some(&user), &notice_for(&email, &first_name), now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(Some(user))
    }

    /// Users whose next reminder is due at `now` under `schedule` (delays in ms after the
    /// status began; reminder n waits `schedule[n]`), oldest first.
    pub async fn due_reminders(
        &self,
        schedule: &[Millis],
        limit: i64,
    ) -> Result<Vec<ReminderDue>, StoreError> {
        let delays = serde_json::to_string(schedule).expect("a list of numbers serialises");
        let rows = sqlx::query(
            "SELECT id, email, first_name, application_status, required_fields, reminders_token, \
                    reminders_sent, status_changed_at FROM users \
             WHERE reminders_off_at IS NULL AND reminders_token IS NOT NULL \
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
                    sent: r.try_get("reminders_sent")?,
                    status_changed_at: r.try_get("status_changed_at")?,
                })
            })
            .collect()
    }

    /// Counts the reminder and queues its email in one transaction, only if nothing moved since
    /// `due` was read (status, count, opt-out): a reminder is decided exactly once, even with
    /// several workers or a restart in between.
    pub async fn record_reminder(
        &self,
        due: &ReminderDue,
        email: &OutgoingEmail,
    ) -> Result<bool, StoreError> {
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

    /// Turns reminders off (or back on) for the account whose opt-out token this is.
    pub async fn set_reminders(&self, reminders_token: &str, on: bool) -> Result<bool, StoreError> {
        let off_at = (!on).then(|| self.clock.now_ms());
        let updated = sqlx::query("UPDATE users SET reminders_off_at = ? WHERE reminders_token = ?")
            .bind(off_at)
            .bind(reminders_token)
            .execute(&self.pool)
            .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Turns reminders off (or back on) for a signed-in account.
    pub async fn set_user_reminders(&self, id: &UserId, on: bool) -> Result<(), StoreError> {
        let off_at = (!on).then(|| self.clock.now_ms());
        sqlx::query("UPDATE users SET reminders_off_at = ? WHERE id = ?")
            .bind(off_at)
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether reminders are on for the account with this opt-out token (`None`: no such token).
    pub async fn reminders_on(&self, reminders_token: &str) -> Result<Option<bool>, StoreError> {
        let row = sqlx::query("SELECT reminders_off_at FROM users WHERE reminders_token = ?")
            .bind(reminders_token)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get::<Option<Millis>, _>("reminders_off_at")?.is_none()))
            .transpose()
    }

    /// Takes the next email due for delivery, holding it for `lease_ms`.
    pub async fn claim_due_email(&self, lease_ms: i64) -> Result<Option<QueuedEmail>, StoreError> {
        let now = self.clock.now_ms();
        let row = sqlx::query(
            "UPDATE emails SET locked_until = ?, attempts = attempts + 1 WHERE id = ( \
               SELECT id FROM emails WHERE sent_at IS NULL AND run_at <= ? \
                 AND (locked_until IS NULL OR locked_until < ?) ORDER BY run_at, id LIMIT 1) \
             RETURNING id, to_address, subject, body, unsubscribe_url, attempts",
        )
        .bind(now + lease_ms)
        .bind(now)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(QueuedEmail {
                id: r.try_get("id")?,
                to: r.try_get("to_address")?,
                subject: r.try_get("subject")?,
                body: r.try_get::<Option<String>, _>("body")?.unwrap_or_default(),
                unsubscribe_url: r.try_get("unsubscribe_url")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .transpose()
    }

    /// The email left. Unless `keep_body` (the dev mailbox), its body is erased: it may hold a
    /// link that signs someone in, and it has no use once sent.
    pub async fn email_sent(&self, id: i64, keep_body: bool) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE emails SET sent_at = ?, locked_until = NULL, last_error = NULL, \
             body = CASE WHEN ? THEN body ELSE NULL END WHERE id = ?",
        )
        .bind(self.clock.now_ms())
        .bind(keep_body)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Delivery failed: try again at `run_at` (`None`: never, it cannot succeed).
    pub async fn email_failed(&self, id: i64, run_at: Option<Millis>, error: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE emails SET run_at = ?, locked_until = NULL, last_error = ? WHERE id = ?")
            .bind(run_at.unwrap_or(Millis::MAX))
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Waits until an email is queued in this process, or `idle` passes.
    pub async fn wait_for_mail(&self, idle: std::time::Duration) {
        let _ = tokio::time::timeout(idle, self.mail_queued.notified()).await;
    }

    /// Sent emails, newest first, for the dev mailbox.
    pub async fn sent_emails(&self, limit: i64) -> Result<Vec<SentEmail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, to_address, subject, COALESCE(body, '') AS body, sent_at FROM emails \
             WHERE sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sent_from_row).collect()
    }

    pub async fn sent_email(&self, id: i64) -> Result<Option<SentEmail>, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, to_address, subject, COALESCE(body, '') AS body, sent_at FROM emails \
             WHERE sent_at IS NOT NULL AND id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(sent_from_row).transpose()
    }
}

fn sent_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<SentEmail, StoreError> {
    Ok(SentEmail {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        to: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        sent_at: r.try_get("sent_at")?,
    })
}

async fn queue_email(
    tx: &mut SqliteConnection,
    user: Option<&UserId>,
    email: &OutgoingEmail,
    now: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO emails (user_id, kind, to_address, subject, body, unsubscribe_url, created_at, run_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user.map(|u| u.0.as_str()))
    .bind(email.kind.as_str())
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(&email.unsubscribe_url)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
