//! Status updates on PostgreSQL: a reported status applied to a user through the state
//! machine, inside the caller's transaction (webhooks go through [`super::group`]).

use sqlx::{PgConnection, Row};

use super::mail::queue_email;
use crate::clock::{Clock, Millis};
use crate::email::templates;
use crate::kyc::{self, StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{EventOutcome, StoreError, UserId};

/// Applies a reported status to the user under a row lock, through the state machine's rules.
pub(super) async fn apply_update(
    tx: &mut PgConnection,
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
         FROM users WHERE id = $1 FOR UPDATE",
    )
    .bind(&id.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let current = rows::kyc(&row)?;
    match kyc::apply(&current, &update) {
        Ok(next) => {
            let changed = next.status != current.status;
            let changed_at: Millis = if changed {
                clock.now_ms()
            } else {
                row.try_get("status_changed_at")?
            };
            if let ApplicationStatus::Unknown(wire) = &next.status {
                tracing::warn!(user = %id, status = %wire, "LedgerOS reported a status we do not know; shown as under review");
            }
            sqlx::query(
                "UPDATE users SET application_status = $1, status_as_of = $2, required_fields = $3, \
                 status_changed_at = $4, returned_at = CASE WHEN $5 THEN NULL ELSE returned_at END, \
                 reminders_sent = CASE WHEN $5 THEN 0 ELSE reminders_sent END, confirmed_at = $7 \
                 WHERE id = $6",
            )
            .bind(next.status.as_str())
            .bind(next.as_of_ms)
            .bind(serde_json::to_string(&next.required_fields).expect("a list of strings serialises"))
            .bind(changed_at)
            .bind(changed)
            .bind(&id.0)
            .bind(clock.now_ms())
            .execute(&mut *tx)
            .await?;
            if changed {
                sqlx::query(
                    "INSERT INTO status_changes (user_id, status, source, event_id, at) VALUES ($1, $2, $3, $4, $5)",
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
    tx: &mut PgConnection,
    id: &UserId,
    outcome: &EventOutcome,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    if let (EventOutcome::Applied(ApplicationStatus::Denied), Some(reason)) = (outcome, reason) {
        sqlx::query("UPDATE users SET denial_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn mark_processed(
    tx: &mut PgConnection,
    event_id: &str,
    outcome: &EventOutcome,
    now: Millis,
) -> Result<(), StoreError> {
    if let Some(outcome) = outcome.as_db() {
        sqlx::query("UPDATE webhook_events SET processed_at = $1, outcome = $2 WHERE id = $3")
            .bind(now)
            .bind(outcome)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
