//! Status updates on SQLite other than arriving webhooks (those are in [`super::group`]): a
//! check, a return from the hosted page, an operator's replay, applied inside the caller's
//! write transaction through the state machine in `kyc`.

use sqlx::{Row, SqliteConnection};

use super::SqliteBackend;
use super::mail::queue_email;
use crate::clock::{Clock, Millis};
use crate::email::templates;
use crate::kyc::{self, StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{EventOutcome, StoreError, UserId};

impl SqliteBackend {
    /// Applies a stored webhook again (for the console's replay): through the same rules as
    /// when it arrived, so a regression is still refused. `None`: no such event.
    pub(super) async fn reapply_stored_event(
        &self,
        event_id: &str,
    ) -> Result<Option<EventOutcome>, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT ledger_user_id, status, required_fields, created_at_ms, reason FROM webhook_events WHERE id = ?",
        )
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let ledger_id: Option<String> = row.try_get("ledger_user_id")?;
        let user = match &ledger_id {
            Some(ledger_id) => sqlx::query("SELECT id FROM users WHERE ledger_user_id = ?")
                .bind(ledger_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| UserId(row.get("id"))),
            None => None,
        };
        let status: Option<String> = row.try_get("status")?;
        let outcome = match (&user, status) {
            (Some(user), Some(status)) => {
                let fields: String = row.try_get("required_fields")?;
                let update = StatusUpdate {
                    status: ApplicationStatus::parse(&status),
                    at_ms: row.try_get("created_at_ms")?,
                    required_fields: serde_json::from_str(&fields).unwrap_or_default(),
                };
                let outcome = apply_update(
                    &mut tx,
                    &self.clock,
                    &self.public_url,
                    user,
                    Some(update),
                    StatusSource::Replay,
                    Some(event_id),
                )
                .await?;
                let reason: Option<String> = row.try_get("reason")?;
                keep_denial_reason(&mut tx, user, &outcome, reason.as_deref()).await?;
                outcome
            }
            (None, Some(_)) if ledger_id.is_some() => EventOutcome::Waiting,
            _ => EventOutcome::Recorded,
        };
        mark_processed(&mut tx, event_id, &outcome, now).await?;
        tx.commit().await?;
        if let Some(user) = &user {
            self.announce(user, &outcome);
        }
        Ok(Some(outcome))
    }
}

pub(super) async fn apply_update(
    tx: &mut SqliteConnection,
    clock: &Clock,
    base: &str,
    id: &UserId,
    update: Option<StatusUpdate>,
    source: StatusSource,
    event_id: Option<&str>,
) -> Result<EventOutcome, StoreError> {
    let Some(update) = update else {
        return Ok(EventOutcome::Recorded);
    };
    let row = sqlx::query(
        "SELECT application_status, status_as_of, required_fields, status_changed_at, email, first_name, language \
         FROM users WHERE id = ?",
    )
    .bind(&id.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let current = rows::kyc(&row)?;
    match kyc::apply(&current, &update) {
        Ok(next) => {
            let changed_at: Millis = if next.status != current.status {
                clock.now_ms()
            } else {
                row.try_get("status_changed_at")?
            };
            if let ApplicationStatus::Unknown(wire) = &next.status {
                tracing::warn!(user = %id, status = %wire, "LedgerOS reported a status we do not know; shown as under review");
            }
            let changed = next.status != current.status;
            sqlx::query(
                "UPDATE users SET application_status = ?, status_as_of = ?, required_fields = ?, \
                 status_changed_at = ?, returned_at = CASE WHEN ? THEN NULL ELSE returned_at END, \
                 reminders_sent = CASE WHEN ? THEN 0 ELSE reminders_sent END, confirmed_at = ? \
                 WHERE id = ?",
            )
            .bind(next.status.as_str())
            .bind(next.as_of_ms)
            .bind(serde_json::to_string(&next.required_fields).expect("a list of strings serialises"))
            .bind(changed_at)
            .bind(changed)
            .bind(changed)
            .bind(clock.now_ms())
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
            if changed {
                sqlx::query(
                    "INSERT INTO status_changes (user_id, status, source, event_id, at) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(&id.0)
                .bind(next.status.as_str())
                .bind(source.as_str())
                .bind(event_id)
                .bind(clock.now_ms())
                .execute(&mut *tx)
                .await?;
                let (to, first_name): (String, String) = (row.try_get("email")?, row.try_get("first_name")?);
                let lang = crate::store::rows::saved_language(&row)?.unwrap_or_default();
                if let Some(email) =
                    templates::decision(lang, &to, &first_name, &next.status, &next.required_fields, base)
                {
                    queue_email(&mut *tx, Some(id), &email, clock.now_ms()).await?;
                }
            }
            Ok(EventOutcome::Applied(next.status))
        }
        Err(rejection) => Ok(EventOutcome::Ignored(rejection.to_string())),
    }
}

/// Keeps LedgerOS's reason when an event denied the user (for operators).
pub(super) async fn keep_denial_reason(
    tx: &mut SqliteConnection,
    id: &UserId,
    outcome: &EventOutcome,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    if let (EventOutcome::Applied(ApplicationStatus::Denied), Some(reason)) = (outcome, reason) {
        sqlx::query("UPDATE users SET denial_reason = ? WHERE id = ?")
            .bind(reason)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn mark_processed(
    tx: &mut SqliteConnection,
    event_id: &str,
    outcome: &EventOutcome,
    now: Millis,
) -> Result<(), StoreError> {
    if let Some(outcome) = outcome.as_db() {
        sqlx::query("UPDATE webhook_events SET processed_at = ?, outcome = ? WHERE id = ?")
            .bind(now)
            .bind(outcome)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
