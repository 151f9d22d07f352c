//! The operator console's storage on SQLite.

use async_trait::async_trait;
use sqlx::Row;

use super::SqliteBackend;
use super::mail::queue_email;
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::operators::{OperatorRecord, Role};
use crate::store::console_sql::{Bind, TimelinePart, applicants_sql, audit_sql, views_sql, webhooks_sql};
use crate::store::rows::{self, APPEAL_QUERY};
use crate::store::{
    AppealFilter, AppealRecord, ApplicantQuery, ApplicantRow, AuditEntry, AuditQuery, Console, Figures,
    OperatorId, StoreError, TimelineEntry, UserId, UserRecord,
};
use crate::store::{EventOutcome, WebhookQuery, WebhookRow};

impl SqliteBackend {
    /// Runs `sql` with `binds` (from [`crate::store::console_sql`]) and returns its rows.
    async fn fetch_bound(
        &self,
        sql: &str,
        binds: Vec<Bind>,
    ) -> Result<Vec<sqlx::sqlite::SqliteRow>, StoreError> {
        let mut statement = sqlx::query(sql);
        for bind in binds {
            statement = match bind {
                Bind::Text(text) => statement.bind(text),
                Bind::Int(n) => statement.bind(n),
            };
        }
        Ok(statement.fetch_all(&self.pool).await?)
    }
}

#[async_trait]
impl Console for SqliteBackend {
    async fn create_operator(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<OperatorId, StoreError> {
        let id = OperatorId(uuid::Uuid::new_v4().to_string());
        let (_writing, mut tx) = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO operators (id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&id.0)
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(self.clock.now_ms())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::EmailTaken),
            other => other?,
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn operator(&self, id: &OperatorId) -> Result<Option<OperatorRecord>, StoreError> {
        sqlx::query("SELECT * FROM operators WHERE id = ?")
            .bind(&id.0)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(rows::operator)
            .transpose()
    }

    async fn operator_by_email(&self, email: &str) -> Result<Option<OperatorRecord>, StoreError> {
        sqlx::query("SELECT * FROM operators WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(rows::operator)
            .transpose()
    }

    async fn operators(&self) -> Result<Vec<OperatorRecord>, StoreError> {
        sqlx::query("SELECT * FROM operators ORDER BY email")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(rows::operator)
            .collect()
    }

    async fn audit(
        &self,
        operator: Option<&OperatorId>,
        action: &str,
        subject: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query(crate::store::AUDIT_SQL)
            .bind(operator.map(|o| o.0.as_str()))
            .bind(action)
            .bind(subject)
            .bind(detail)
            .bind(self.clock.now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let (sql, binds) = audit_sql(query, |n: usize| format!("?{n}"));
        self.fetch_bound(&sql, binds)
            .await?
            .iter()
            .map(rows::audit_entry)
            .collect()
    }

    async fn record_view(
        &self,
        operator: &OperatorId,
        action: &str,
        subject: &str,
        client: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO audit_log (operator_id, action, subject, detail, at, client) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(&operator.0)
            .bind(action)
            .bind(subject)
            .bind("")
            .bind(self.clock.now_ms())
            .bind(client)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn views_of(&self, subject: &str, since: Millis) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&views_sql(|n: usize| format!("?{n}")))
            .bind(subject)
            .bind(since)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn appeals_queue(&self, filter: AppealFilter, limit: i64) -> Result<Vec<AppealRecord>, StoreError> {
        let condition = match filter {
            AppealFilter::Open => "a.resolved_at IS NULL ORDER BY a.created_at, a.id",
            AppealFilter::Resolved => "a.resolved_at IS NOT NULL ORDER BY a.resolved_at DESC, a.id DESC",
        };
        sqlx::query(&format!("{APPEAL_QUERY} WHERE {condition} LIMIT ?"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(rows::appeal)
            .collect()
    }

    async fn applicants(&self, query: &ApplicantQuery) -> Result<Vec<ApplicantRow>, StoreError> {
        let (sql, binds) = applicants_sql(query, |_| "?".to_owned(), false);
        self.fetch_bound(&sql, binds)
            .await?
            .iter()
            .map(rows::applicant_row)
            .collect()
    }

    async fn applicant_timeline(&self, user: &UserRecord) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut entries = vec![TimelineEntry {
            at: user.created_at,
            what: "Signed up and confirmed their email".to_owned(),
            detail: String::new(),
            raw: None,
        }];
        for part in TimelinePart::ALL {
            let key = match part {
                TimelinePart::Webhooks => match &user.ledger_user_id {
                    Some(ledger_id) => ledger_id.as_str(),
                    None => continue,
                },
                _ => user.id.0.as_str(),
            };
            for row in sqlx::query(&part.sql("?"))
                .bind(key)
                .fetch_all(&self.pool)
                .await?
            {
                entries.push(rows::timeline_entry(part, &row)?);
            }
        }
        entries.sort_by_key(|e| e.at);
        Ok(entries)
    }

    async fn operator_email(
        &self,
        user: &UserId,
        operator: &OperatorId,
        action: &str,
        email: &OutgoingEmail,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        queue_email(&mut tx, Some(user), email, now).await?;
        sqlx::query(crate::store::AUDIT_SQL)
            .bind(&operator.0)
            .bind(action)
            .bind(&user.0)
            .bind("")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(())
    }

    async fn webhook_log(&self, query: &WebhookQuery) -> Result<Vec<WebhookRow>, StoreError> {
        let (sql, binds) = webhooks_sql(query, |_| "?".to_owned());
        self.fetch_bound(&sql, binds)
            .await?
            .iter()
            .map(rows::webhook_row)
            .collect()
    }

    async fn reapply_event(&self, event_id: &str) -> Result<Option<EventOutcome>, StoreError> {
        self.reapply_stored_event(event_id).await
    }

    async fn record_document(&self, user: &UserId, document_type: &str) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query("INSERT INTO document_uploads (user_id, document_type, at) VALUES (?, ?, ?)")
            .bind(&user.0)
            .bind(document_type)
            .bind(self.clock.now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn count_webhook_refusals(&self, reason: &str, count: i64) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query("INSERT INTO webhook_refusals (minute, reason, count) VALUES (?, ?, ?) ON CONFLICT (minute, reason) DO UPDATE SET count = count + excluded.count")
            .bind(self.clock.now_ms() / 60_000 * 60_000)
            .bind(reason)
            .bind(count)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn webhook_refusals(&self, since: Millis) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT reason, SUM(count) AS n FROM webhook_refusals WHERE minute >= ? GROUP BY reason ORDER BY reason")
            .bind(since / 60_000 * 60_000)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("reason")?, row.try_get("n")?)))
            .collect()
    }

    async fn funnel(&self, from: Millis, to: Millis) -> Result<crate::funnel::FunnelInput, StoreError> {
        self.funnel_rows(from, to).await
    }

    async fn funnel_counts(&self, from_day: i64, to_day: i64) -> Result<crate::funnel::Counts, StoreError> {
        sqlx::query(&crate::store::console_sql::funnel_counts_sql("?1", "?2"))
            .bind(from_day)
            .bind(to_day)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("measure")?, r.try_get("bucket")?, r.try_get("n")?)))
            .collect()
    }

    async fn fold_funnel(&self) -> Result<u64, StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM funnel_deltas")
            .fetch_one(&mut *tx)
            .await?;
        let Some(last) = last else { return Ok(0) };
        // (`WHERE true`: an upsert after a SELECT needs a WHERE to be read as one.)
        sqlx::query(
            "INSERT INTO funnel_counts (day, measure, bucket, n) \
             SELECT day, measure, bucket, n FROM (SELECT day, measure, bucket, SUM(n) AS n FROM funnel_deltas \
               WHERE id <= ?1 GROUP BY day, measure, bucket) WHERE true \
             ON CONFLICT (day, measure, bucket) DO UPDATE SET n = funnel_counts.n + excluded.n",
        )
        .bind(last)
        .execute(&mut *tx)
        .await?;
        let folded = sqlx::query("DELETE FROM funnel_deltas WHERE id <= ?1")
            .bind(last)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(folded)
    }

    async fn mark_started(&self, user: &UserId) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE users SET started_at = COALESCE(started_at, ?) WHERE id = ?")
            .bind(self.clock.now_ms())
            .bind(&user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reset_demo(&self) -> Result<(), StoreError> {
        self.empty_demo().await
    }

    async fn figures(&self) -> Result<Figures, StoreError> {
        self.read_figures().await
    }

    async fn open_appeals(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM appeals WHERE resolved_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn appeal(&self, id: i64) -> Result<Option<AppealRecord>, StoreError> {
        sqlx::query(&format!("{APPEAL_QUERY} WHERE a.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(rows::appeal)
            .transpose()
    }

    async fn answer_appeal(
        &self,
        id: i64,
        operator: &OperatorId,
        reply: &str,
        resolve: bool,
        email: &OutgoingEmail,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let user: Option<String> = sqlx::query_scalar(
            "UPDATE appeals SET answer = ?, answered_at = ?, answered_by = ?, \
             resolved_at = CASE WHEN ? THEN ? ELSE resolved_at END WHERE id = ? RETURNING user_id",
        )
        .bind(reply)
        .bind(now)
        .bind(&operator.0)
        .bind(resolve)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user) = user else {
            return Ok(false);
        };
        let user = crate::store::UserId(user);
        queue_email(&mut tx, Some(&user), email, now).await?;
        let action = if resolve {
            "appeal answered and resolved"
        } else {
            "appeal answered"
        };
        sqlx::query(crate::store::AUDIT_SQL)
            .bind(&operator.0)
            .bind(action)
            .bind(&user.0)
            .bind(format!("appeal {id}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        // The applicant's open status page shows the answer at once.
        let _ = self.changes.send(user);
        Ok(true)
    }
}
