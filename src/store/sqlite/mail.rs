//! The email queue on SQLite.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use super::SqliteBackend;
use crate::clock::Millis;
use crate::email::{OutgoingEmail, QueuedEmail, SentEmail};
use crate::store::rows;
use crate::store::{EmailQueue, StoreError, UserId};

#[async_trait]
impl EmailQueue for SqliteBackend {
    async fn claim_due_emails(&self, lease_ms: i64, limit: i64) -> Result<Vec<QueuedEmail>, StoreError> {
        let now = self.clock.now_ms();
        let _turn = self.write_turn().await;
        let claimed = sqlx::query(
            "UPDATE emails SET locked_until = ?, attempts = attempts + 1 WHERE id IN ( \
               SELECT id FROM emails WHERE sent_at IS NULL AND run_at <= ? \
                 AND (locked_until IS NULL OR locked_until < ?) ORDER BY run_at, id LIMIT ?) \
             RETURNING id, to_address, subject, body, unsubscribe_url, attempts",
        )
        .bind(now + lease_ms)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.bookkeeping)
        .await?;
        rows::queued_emails(&claimed)
    }

    async fn emails_sent(&self, ids: &[i64], keep_body: bool) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE emails SET sent_at = ?, locked_until = NULL, last_error = NULL, \
             body = CASE WHEN ? THEN body ELSE NULL END WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(self.clock.now_ms())
        .bind(keep_body)
        .bind(serde_json::to_string(ids).expect("numbers serialise"))
        .execute(&self.bookkeeping)
        .await?;
        Ok(())
    }

    async fn release_emails(&self, ids: &[i64]) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE emails SET locked_until = NULL, attempts = attempts - 1 \
             WHERE sent_at IS NULL AND id IN (SELECT value FROM json_each(?))",
        )
        .bind(serde_json::to_string(ids).expect("numbers serialise"))
        .execute(&self.bookkeeping)
        .await?;
        Ok(())
    }

    async fn email_failed(&self, id: i64, run_at: Option<Millis>, error: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE emails SET run_at = ?, locked_until = NULL, last_error = ? WHERE id = ?")
            .bind(run_at.unwrap_or(Millis::MAX))
            .bind(error)
            .bind(id)
            .execute(&self.bookkeeping)
            .await?;
        Ok(())
    }

    async fn sent_emails(&self, limit: i64) -> Result<Vec<SentEmail>, StoreError> {
        let sent = sqlx::query(
            "SELECT id, kind, to_address, subject, COALESCE(body, '') AS body, sent_at FROM emails \
             WHERE sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        sent.iter().map(rows::sent_email).collect()
    }

    async fn sent_email(&self, id: i64) -> Result<Option<SentEmail>, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, to_address, subject, COALESCE(body, '') AS body, sent_at FROM emails \
             WHERE sent_at IS NOT NULL AND id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::sent_email).transpose()
    }
}

/// Queues an email in the transaction of whatever caused it.
pub(super) async fn queue_email(
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
