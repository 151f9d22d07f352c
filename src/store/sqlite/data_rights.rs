//! A person's data on SQLite: what their export reads, and the record of exports.

use async_trait::async_trait;

use super::SqliteBackend;
use crate::clock::Millis;
use crate::store::data_rights::{DataRights, EXPORT_ACTION, PersonalData, Requester, export_sql, read_part};
use crate::store::{StoreError, UserId};

#[async_trait]
impl DataRights for SqliteBackend {
    async fn personal_data(&self, user: &UserId) -> Result<PersonalData, StoreError> {
        let mut data = PersonalData::default();
        // One read transaction: the parts agree with each other.
        let mut tx = self.pool.begin().await?;
        for (part, sql) in export_sql("?1", "tower_sessions").iter().enumerate() {
            let rows = sqlx::query(sql).bind(&user.0).fetch_all(&mut *tx).await?;
            read_part(&mut data, part, &rows)?;
        }
        tx.commit().await?;
        Ok(data)
    }

    async fn record_export(
        &self,
        user: &UserId,
        by: Requester,
        since: Millis,
    ) -> Result<Result<(), Millis>, StoreError> {
        let now = self.clock.now_ms();
        // The write gate and `BEGIN IMMEDIATE` make the check and the insert one step.
        let (_writing, mut tx) = self.begin_write().await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(at) FROM data_exports WHERE user_id = ?")
            .bind(&user.0)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(at) = last.filter(|at| *at >= since) {
            return Ok(Err(at));
        }
        sqlx::query("INSERT INTO data_exports (user_id, requested_by, at) VALUES (?, ?, ?)")
            .bind(&user.0)
            .bind(by.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_log (operator_id, action, subject, detail, at, by_person) VALUES (NULL, ?, ?, ?, ?, ?)",
        )
        .bind(EXPORT_ACTION)
        .bind(&user.0)
        .bind(format!("requested by {}", by.as_str()))
        .bind(now)
        .bind(by == Requester::Person)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
