//! Data requests handled by staff, on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;

use super::PostgresBackend;
use super::data_rights::schedule_deletion_in;
use crate::clock::Millis;
use crate::store::data_requests::{
    DataRequest, DataRequests, DataRequestsOverview, RequestKind, erasure, overview_sql, person_at,
};
use crate::store::data_rights::{DataRights, EmailFor};
use crate::store::{OperatorId, StoreError, UserId};

#[async_trait]
impl DataRequests for PostgresBackend {
    async fn open_data_request(
        &self,
        user: &UserId,
        kind: RequestKind,
        operator: &OperatorId,
    ) -> Result<i64, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO data_requests (user_id, kind, opened_by, opened_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&user.0)
        .bind(kind.as_str())
        .bind(&operator.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            operator,
            &format!("opened a data request ({})", kind.as_str()),
            &user.0,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn confirm_data_request(
        &self,
        id: i64,
        admin: &OperatorId,
    ) -> Result<Option<DataRequest>, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(
            "UPDATE data_requests SET confirmed_by = $1, confirmed_at = $2 WHERE id = $3 AND confirmed_at IS NULL \
             RETURNING user_id, kind, opened_at",
        )
        .bind(&admin.0)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let kind: String = row.try_get("kind")?;
        let request = DataRequest {
            id,
            user: UserId(row.try_get("user_id")?),
            kind: RequestKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("request kind {kind}")))?,
            opened_at: row.try_get("opened_at")?,
        };
        let action = format!("confirmed a data request ({})", request.kind.as_str());
        audit(&mut tx, admin, &action, &request.user.0, now).await?;
        tx.commit().await?;
        Ok(Some(request))
    }

    async fn schedule_deletion(
        &self,
        user: &UserId,
        due_at: Millis,
        notice_for: EmailFor<'_>,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let scheduled = schedule_deletion_in(&mut tx, user, due_at, now, notice_for).await?;
        tx.commit().await?;
        Ok(scheduled)
    }

    async fn mark_erasure_sent(&self, id: i64, operator: &OperatorId) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE ledger_erasures SET sent_at = $1, sent_by = $2, ledger_user_id = NULL WHERE id = $3 AND sent_at IS NULL",
        )
        .bind(now)
        .bind(&operator.0)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if marked {
            let action = format!("sent erasure {id} to LedgerOS");
            sqlx::query("INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES ($1, $2, NULL, '', $3)")
                .bind(&operator.0)
                .bind(action)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(marked)
    }

    async fn data_requests_overview(&self, limit: i64) -> Result<DataRequestsOverview, StoreError> {
        let [open, pending, held, erasures, exports] = overview_sql("$1");
        let people = |sql: String| async move {
            sqlx::query(&sql)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(person_at)
                .collect::<Result<Vec<_>, StoreError>>()
        };
        Ok(DataRequestsOverview {
            open: people(open).await?,
            pending_deletions: people(pending).await?,
            held: people(held).await?,
            erasures: sqlx::query(&erasures)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(erasure)
                .collect::<Result<_, _>>()?,
            exports: people(exports).await?,
            tally: self.retention_tally().await?,
        })
    }
}

/// An operator's audit entry about `subject`.
async fn audit(
    tx: &mut sqlx::PgConnection,
    operator: &OperatorId,
    action: &str,
    subject: &str,
    now: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES ($1, $2, $3, '', $4)",
    )
    .bind(&operator.0)
    .bind(action)
    .bind(subject)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}
