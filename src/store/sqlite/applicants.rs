//! Accounts' verification state on SQLite: users, webhooks, the LedgerOS call queue and reconciling.

use async_trait::async_trait;
use sqlx::{Row, SqliteConnection};

use super::SqliteBackend;
use super::updates::{apply_update, keep_denial_reason, mark_processed};
use crate::clock::Millis;
use crate::kyc::{StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{
    Applicants, EventOutcome, InboxEvent, Job, JobKind, NewUser, PROVISION_GRACE_MS, StoreError,
    USER_COLUMNS, UserId, UserRecord,
};

#[async_trait]
impl Applicants for SqliteBackend {
    async fn create_user(&self, new: NewUser<'_>) -> Result<UserId, StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        let id = insert_user(&mut tx, self.clock.now_ms(), &new).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn user(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        let row = sqlx::query(&sql).bind(&id.0).fetch_optional(&self.pool).await?;
        row.map(|r| rows::user(&r)).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?");
        let row = sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await?;
        row.map(|r| rows::user(&r)).transpose()
    }

    async fn link_ledger_user(&self, id: &UserId, ledger_user_id: &str) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        let updated = sqlx::query("UPDATE users SET ledger_user_id = ? WHERE id = ?")
            .bind(ledger_user_id)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let waiting = sqlx::query(
            "SELECT id, status, required_fields, created_at_ms, reason FROM webhook_events \
             WHERE ledger_user_id = ? AND processed_at IS NULL ORDER BY created_at_ms",
        )
        .bind(ledger_user_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut applied = false;
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
            applied = applied || matches!(outcome, EventOutcome::Applied(_));
        }
        tx.commit().await?;
        if applied {
            let _ = self.changes.send(id.clone());
            self.mail_queued.notify_one();
        }
        Ok(())
    }

    async fn set_verification_url(&self, id: &UserId, url: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET verification_url = ? WHERE id = ?")
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
        let (_writing, mut tx) = self.begin_write().await?;
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
        tx.commit().await?;
        self.announce(id, &outcome);
        Ok(outcome)
    }

    async fn ingest_event(&self, event: InboxEvent) -> Result<EventOutcome, StoreError> {
        // A group of one: one hand-off to the writer thread.
        let mut outcomes = self.ingest_events(vec![event]).await?;
        Ok(outcomes.pop().expect("one outcome per event"))
    }

    async fn ingest_events(&self, events: Vec<InboxEvent>) -> Result<Vec<EventOutcome>, StoreError> {
        let applied = self.webhooks.ingest(events, self.clock.now_ms()).await?;
        Ok(applied
            .into_iter()
            .map(|(outcome, user)| {
                if let Some(user) = user {
                    self.announce(&user, &outcome);
                }
                outcome
            })
            .collect())
    }

    async fn mark_returned(&self, id: &UserId) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET returned_at = ? WHERE id = ?")
            .bind(self.clock.now_ms())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_appeal(&self, id: &UserId, message: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("INSERT INTO appeals (user_id, message, created_at) VALUES (?, ?, ?)")
            .bind(&id.0)
            .bind(message)
            .bind(self.clock.now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn claim_due_job(&self, lease_ms: i64) -> Result<Option<Job>, StoreError> {
        let now = self.clock.now_ms();
        let _turn = self.write_turn().await;
        let row = sqlx::query(
            "UPDATE jobs SET locked_until = ?, attempts = attempts + 1 WHERE id = ( \
               SELECT id FROM jobs WHERE run_at <= ? AND (locked_until IS NULL OR locked_until < ?) \
               ORDER BY run_at LIMIT 1) \
             RETURNING id, kind, user_id, attempts",
        )
        .bind(now + lease_ms)
        .bind(now)
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
        let _turn = self.write_turn().await;
        let row = sqlx::query(
            "UPDATE jobs SET locked_until = ?, attempts = attempts + 1 \
             WHERE kind = ? AND user_id = ? AND (locked_until IS NULL OR locked_until < ?) \
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
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM jobs WHERE id = ?")
            .bind(job.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn hasten_failed_jobs(&self) -> Result<u64, StoreError> {
        let now = self.clock.now_ms();
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "UPDATE jobs SET run_at = ? WHERE run_at > ? AND last_error IS NOT NULL \
             AND (locked_until IS NULL OR locked_until < ?)",
        )
        .bind(now)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn retry_job(&self, job: &Job, run_at: Millis, error: &str) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query("UPDATE jobs SET run_at = ?, locked_until = NULL, last_error = ? WHERE id = ?")
            .bind(run_at)
            .bind(error)
            .bind(job.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO job_failures (user_id, kind, attempt, error, at) VALUES (?, ?, ?, ?, ?)")
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

    async fn stale_users(
        &self,
        statuses: &[ApplicationStatus],
        changed_before: Millis,
        checked_before: Millis,
        limit: i64,
    ) -> Result<Vec<(UserId, String)>, StoreError> {
        let wanted =
            serde_json::to_string(&statuses.iter().map(ApplicationStatus::as_str).collect::<Vec<_>>())
                .expect("a list of strings serialises");
        let rows = sqlx::query(
            "SELECT id, ledger_user_id FROM users \
             WHERE ledger_user_id IS NOT NULL \
               AND application_status IN (SELECT value FROM json_each(?)) \
               AND status_changed_at < ? \
               AND (reconciled_at IS NULL OR reconciled_at < ?) \
             ORDER BY COALESCE(reconciled_at, 0), status_changed_at LIMIT ?",
        )
        .bind(wanted)
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
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET reconciled_at = ? WHERE id = ?")
            .bind(self.clock.now_ms())
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn claim_status_check(&self, id: &UserId, min_gap_ms: i64) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let _turn = self.write_turn().await;
        let claimed = sqlx::query(
            "UPDATE users SET checked_at = ? WHERE id = ? AND (checked_at IS NULL OR checked_at <= ?)",
        )
        .bind(now)
        .bind(&id.0)
        .bind(now - min_gap_ms)
        .execute(&self.pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn mark_confirmed(&self, id: &UserId) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE users SET confirmed_at = ?1, checked_at = MAX(COALESCE(checked_at, 0), ?1) WHERE id = ?2",
        )
        .bind(self.clock.now_ms())
        .bind(&id.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn appeals(&self, id: &UserId) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT message FROM appeals WHERE user_id = ? ORDER BY created_at, id")
                .bind(&id.0)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn pending_jobs(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Inserts an account and the job that provisions it at LedgerOS.
pub(super) async fn insert_user(
    tx: &mut SqliteConnection,
    now: Millis,
    new: &NewUser<'_>,
) -> Result<UserId, StoreError> {
    let id = UserId::generate();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, \
         status_changed_at, reminders_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id.0)
    .bind(new.email)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.password_hash)
    .bind(now)
    .bind(now)
    .bind(crate::tokens::generate())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    // First due after a grace period: the request that created the account provisions inline
    // right away; the worker only steps in if that attempt fails or the process dies first.
    sqlx::query("INSERT INTO jobs (kind, user_id, run_at, created_at) VALUES (?, ?, ?, ?)")
        .bind(JobKind::Provision.as_str())
        .bind(&id.0)
        .bind(now + PROVISION_GRACE_MS)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}
