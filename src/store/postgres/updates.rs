//! Status updates on PostgreSQL: one webhook stored and applied, and a reported status applied
//! to a user through the state machine, each inside the caller's transaction.

use sqlx::{PgConnection, Row};

use super::mail::queue_email;
use super::{announce, lock_ledger_user};
use crate::clock::{Clock, Millis};
use crate::email::templates;
use crate::kyc::{self, StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{EventOutcome, InboxEvent, StoreError, UserId};

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
        "SELECT application_status, status_as_of, required_fields, status_changed_at, email, first_name \
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
                if let Some(email) =
                    templates::decision(&to, &first_name, &next.status, &next.required_fields, base)
                {
                    queue_email(&mut *tx, Some(id), &email, clock.now_ms()).await?;
                }
            }
            Ok(EventOutcome::Applied(next.status))
        }
        Err(rejection) => Ok(EventOutcome::Ignored(rejection.to_string())),
    }
}

/// Stores one webhook and applies it, inside the caller's transaction. Events for one LedgerOS
/// user wait for each other (an advisory lock held to the end of the transaction), whichever
/// instance received them. The change is announced with the transaction (`pg_notify`).
pub(super) async fn ingest(
    tx: &mut PgConnection,
    clock: &Clock,
    public_url: &str,
    event: InboxEvent,
) -> Result<EventOutcome, StoreError> {
    let now = clock.now_ms();
    if let Some(ledger_id) = &event.ledger_user_id {
        lock_ledger_user(&mut *tx, ledger_id).await?;
    }
    let inserted = sqlx::query(
        "INSERT INTO webhook_events \
         (id, event_type, ledger_user_id, created_at_ms, payload, status, required_fields, received_at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.event_type)
    .bind(&event.ledger_user_id)
    .bind(event.created_at_ms)
    .bind(&event.payload)
    .bind(event.status.as_ref().map(ApplicationStatus::as_str))
    .bind(serde_json::to_string(&event.required_fields).expect("a list of strings serialises"))
    .bind(now)
    .bind(&event.reason)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        sqlx::query("UPDATE webhook_events SET duplicates = duplicates + 1 WHERE id = $1")
            .bind(&event.id)
            .execute(&mut *tx)
            .await?;
        return Ok(EventOutcome::Duplicate);
    }
    let user = match &event.ledger_user_id {
        Some(ledger_id) => sqlx::query("SELECT id FROM users WHERE ledger_user_id = $1")
            .bind(ledger_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| UserId(row.get("id"))),
        None => None,
    };
    let outcome = match (user, event.status) {
        (None, Some(_)) if event.ledger_user_id.is_some() => EventOutcome::Waiting,
        (Some(user), Some(status)) => {
            let update = StatusUpdate {
                status,
                at_ms: event.created_at_ms,
                required_fields: event.required_fields,
            };
            let outcome = apply_update(
                &mut *tx,
                clock,
                public_url,
                &user,
                Some(update),
                StatusSource::Webhook,
                Some(&event.id),
            )
            .await?;
            keep_denial_reason(&mut *tx, &user, &outcome, event.reason.as_deref()).await?;
            announce(&mut *tx, &user, &outcome).await?;
            outcome
        }
        _ => EventOutcome::Recorded,
    };
    mark_processed(&mut *tx, &event.id, &outcome, now).await?;
    Ok(outcome)
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
