//! Accounts' verification state on PostgreSQL: users, webhooks, the LedgerOS call queue and reconciling.

use async_trait::async_trait;
use sqlx::Row;

use super::accounts::insert_user;
use super::group::ingest_group;
use super::updates::{apply_update, keep_denial_reason, mark_processed};
use super::{PostgresBackend, announce, lock_ledger_user};
use crate::clock::Millis;
use crate::kyc::{StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{
    Applicants, EventOutcome, InboxEvent, Job, JobKind, NewUser, StoreError, USER_COLUMNS, UserId, UserRecord,
};

#[async_trait]
impl Applicants for PostgresBackend {
    async fn create_user(&self, new: NewUser<'_>) -> Result<UserId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = insert_user(&mut tx, self.clock.now_ms(), &new)
            .await?
            .ok_or(StoreError::EmailTaken)?;
        tx.commit().await?;
        Ok(id)
    }

    async fn user(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql).bind(&id.0).fetch_optional(&self.pool).await?;
        row.map(|r| rows::user(&r)).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row = sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await?;
        row.map(|r| rows::user(&r)).transpose()
    }

    async fn link_ledger_user(&self, id: &UserId, ledger_user_id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_ledger_user(&mut tx, ledger_user_id).await?;
        let updated = sqlx::query("UPDATE users SET ledger_user_id = $1 WHERE id = $2")
            .bind(ledger_user_id)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let waiting = sqlx::query(
            "SELECT id, status, required_fields, created_at_ms, reason FROM webhook_events \
             WHERE ledger_user_id = $1 AND processed_at IS NULL ORDER BY created_at_ms",
        )
        .bind(ledger_user_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut applied = EventOutcome::Recorded;
        for row in waiting {
            let event_id: String = row.try_get("id")?;
            let status: Option<String> = row.try_get("status")?;
            let fields: String = row.try_get("required_fields")?;
            let update = status.map(|status| StatusUpdate {
                status: ApplicationStatus::parse(&status),
                at_ms: row.get("created_at_ms"),
                required_fields: serde_json::from_str(&fields).unwrap_or_default(),
            });
            let outcome = apply_update(
                &mut tx,
                &self.clock,
                &self.public_url,
                id,
                update,
                StatusSource::Webhook,
                Some(&event_id),
            )
            .await?;
            let reason: Option<String> = row.try_get("reason")?;
            keep_denial_reason(&mut tx, id, &outcome, reason.as_deref()).await?;
            mark_processed(&mut tx, &event_id, &outcome, self.clock.now_ms()).await?;
            if matches!(outcome, EventOutcome::Applied(_)) {
                applied = outcome;
            }
        }
        announce(&mut tx, id, &applied).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_verification_url(&self, id: &UserId, url: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET verification_url = $1 WHERE id = $2")
            .bind(url)
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn apply_status(
        &self,
        id: &UserId,
        update: StatusUpdate,
        source: StatusSource,
    ) -> Result<EventOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let outcome = apply_update(
            &mut tx,
            &self.clock,
            &self.public_url,
            id,
            Some(update),
            source,
            None,
        )
        .await?;
        announce(&mut tx, id, &outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn ingest_event(&self, event: InboxEvent) -> Result<EventOutcome, StoreError> {
        // A group of one: five statements, not a dozen.
        let mut outcomes = self.ingest_events(vec![event]).await?;
        Ok(outcomes.pop().expect("one outcome per event"))
    }

    async fn ingest_events(&self, events: Vec<InboxEvent>) -> Result<Vec<EventOutcome>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let applied = ingest_group(&mut tx, self.clock.now_ms(), &self.public_url, &events).await?;
        tx.commit().await?;
        Ok(applied.into_iter().map(|(outcome, _)| outcome).collect())
    }

    async fn mark_returned(&self, id: &UserId) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET returned_at = $1 WHERE id = $2")
            .bind(self.clock.now_ms())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_appeal(&self, id: &UserId, message: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO appeals (user_id, message, created_at) VALUES ($1, $2, $3)")
            .bind(&id.0)
            .bind(message)
            .bind(self.clock.now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn claim_status_check(&self, id: &UserId, min_gap_ms: i64) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let claimed = sqlx::query(
            "UPDATE users SET checked_at = $1 WHERE id = $2 AND (checked_at IS NULL OR checked_at <= $3)",
        )
        .bind(now)
        .bind(&id.0)
        .bind(now - min_gap_ms)
        .execute(&self.pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn mark_confirmed(&self, id: &UserId) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET confirmed_at = $1, checked_at = GREATEST(COALESCE(checked_at, 0), $1) WHERE id = $2")
            .bind(self.clock.now_ms())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn appeals(&self, id: &UserId) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT message FROM appeals WHERE user_id = $1 ORDER BY created_at, id")
                .bind(&id.0)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn claim_due_job(&self, lease_ms: i64) -> Result<Option<Job>, StoreError> {
        let now = self.clock.now_ms();
        let row = sqlx::query(
            "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id = ( \
               SELECT id FROM jobs WHERE run_at <= $2 AND (locked_until IS NULL OR locked_until < $2) \
               ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, kind, user_id, attempts",
        )
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| rows::job(&r)).transpose()
    }

    async fn claim_job(
        &self,
        kind: JobKind,
        user: &UserId,
        lease_ms: i64,
    ) -> Result<Option<Job>, StoreError> {
        let now = self.clock.now_ms();
        // A racing claim waits for the row, then re-checks the lease and finds it taken.
        let row = sqlx::query(
            "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 \
             WHERE kind = $2 AND user_id = $3 AND (locked_until IS NULL OR locked_until < $4) \
             RETURNING id, kind, user_id, attempts",
        )
        .bind(now + lease_ms)
        .bind(kind.as_str())
        .bind(&user.0)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| rows::job(&r)).transpose()
    }

    async fn complete_job(&self, job: &Job) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM jobs WHERE id = $1")
            .bind(job.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn hasten_failed_jobs(&self) -> Result<u64, StoreError> {
        let now = self.clock.now_ms();
        let done = sqlx::query(
            "UPDATE jobs SET run_at = $1 WHERE run_at > $1 AND last_error IS NOT NULL \
             AND (locked_until IS NULL OR locked_until < $1)",
        )
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn retry_job(&self, job: &Job, run_at: Millis, error: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE jobs SET run_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3")
            .bind(run_at)
            .bind(error)
            .bind(job.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO job_failures (user_id, kind, attempt, error, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&job.user_id.0)
        .bind(job.kind.as_str())
        .bind(job.attempts)
        .bind(error)
        .bind(self.clock.now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pending_jobs(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn stale_users(
        &self,
        statuses: &[ApplicationStatus],
        changed_before: Millis,
        checked_before: Millis,
        limit: i64,
    ) -> Result<Vec<(UserId, String)>, StoreError> {
        let wanted: Vec<&str> = statuses.iter().map(ApplicationStatus::as_str).collect();
        let rows = sqlx::query(
            "SELECT id, ledger_user_id FROM users \
             WHERE ledger_user_id IS NOT NULL \
               AND application_status = ANY($1) \
               AND status_changed_at < $2 \
               AND (reconciled_at IS NULL OR reconciled_at < $3) \
             ORDER BY COALESCE(reconciled_at, 0), status_changed_at LIMIT $4",
        )
        .bind(&wanted)
        .bind(changed_before)
        .bind(checked_before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id")?), r.try_get("ledger_user_id")?)))
            .collect()
    }

    async fn mark_reconciled(&self, id: &UserId) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET reconciled_at = $1 WHERE id = $2")
            .bind(self.clock.now_ms())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Inserts an account and the job that provisions it at LedgerOS; `None` when the address has
/// an account (without aborting the transaction, which PostgreSQL would do on an error).
impl PostgresBackend {
    /// Applies a stored webhook again (for the console's replay): through the same rules as
    /// when it arrived, so a regression is still refused. `None`: no such event.
    pub(super) async fn reapply_stored_event(
        &self,
        event_id: &str,
    ) -> Result<Option<EventOutcome>, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(
            "SELECT ledger_user_id, status, required_fields, created_at_ms, reason FROM webhook_events WHERE id = $1",
        )
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let ledger_id: Option<String> = row.try_get("ledger_user_id")?;
        if let Some(ledger_id) = &ledger_id {
            lock_ledger_user(&mut tx, ledger_id).await?;
        }
        let user = match &ledger_id {
            Some(ledger_id) => sqlx::query("SELECT id FROM users WHERE ledger_user_id = $1")
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
                announce(&mut tx, user, &outcome).await?;
                outcome
            }
            (None, Some(_)) if ledger_id.is_some() => EventOutcome::Waiting,
            _ => EventOutcome::Recorded,
        };
        mark_processed(&mut tx, event_id, &outcome, now).await?;
        tx.commit().await?;
        Ok(Some(outcome))
    }
}
