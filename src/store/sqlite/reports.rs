//! The console's reports on SQLite: the funnel's rows, the metrics' figures, and the demo's reset.

use sqlx::Row;

use super::SqliteBackend;
use crate::clock::Millis;
use crate::store::console_sql::{DEMO_TABLES, funnel_input, funnel_sql};
use crate::store::{Figures, StoreError};

impl SqliteBackend {
    pub(super) async fn funnel_rows(
        &self,
        from: Millis,
        to: Millis,
    ) -> Result<crate::funnel::FunnelInput, StoreError> {
        let [forms, people, changes, reminders] = funnel_sql("?", "?");
        let forms = sqlx::query(&forms)
            .bind(from)
            .bind(to)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let people = sqlx::query(&people)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("created_at")?,
                    r.try_get("started_at")?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let changes = sqlx::query(&changes)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("user_id")?, r.try_get("status")?, r.try_get("at")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let reminders = sqlx::query(&reminders)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("user_id")?, r.try_get("created_at")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(funnel_input(forms, people, changes, reminders))
    }

    pub(super) async fn empty_demo(&self) -> Result<(), StoreError> {
        let (_writing, mut tx) = self.begin_write().await?;
        for table in DEMO_TABLES {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM audit_log").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn read_figures(&self) -> Result<Figures, StoreError> {
        let applicants_by_status = sqlx::query(
            "SELECT application_status, COUNT(*) AS n FROM users GROUP BY application_status ORDER BY application_status",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("application_status")?, row.try_get("n")?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
        let emails =
            sqlx::query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM emails WHERE sent_at IS NULL")
                .fetch_one(&self.pool)
                .await?;
        let jobs = sqlx::query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs")
            .fetch_one(&self.pool)
            .await?;
        Ok(Figures {
            applicants_by_status,
            emails_waiting: emails.try_get("n")?,
            oldest_email_at: emails.try_get("oldest")?,
            jobs_waiting: jobs.try_get("n")?,
            oldest_job_at: jobs.try_get("oldest")?,
        })
    }
}
