//! A person's data on SQLite: what their export reads, and the record of exports.

use async_trait::async_trait;
use sqlx::{Row, SqliteConnection};

use super::SqliteBackend;
use super::mail::queue_email;
use crate::clock::Millis;
use crate::email::OutgoingEmail;
use crate::store::console_sql::Bind;
use crate::store::data_rights::{
    DELETION_ASKED, DELETION_CANCELLED, DELETION_CONFIRMED, DELETION_LINK, DataRights, EXPORT_ACTION,
    EmailFor, Erasures, IDLE_WARNED, PersonalData, Requester, RetentionRule, RetentionTally, Statement,
    Target, due_for_erasure_sql, erase_statements, export_sql, hold_ended_sql, hold_statements,
    idle_accounts_sql, read_part, tally_sql,
};
use crate::store::rows::saved_language;
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

    async fn request_deletion(
        &self,
        user: &UserId,
        token_hash: &str,
        expires_at: Millis,
        email: &OutgoingEmail,
    ) -> Result<(), StoreError> {
        self.request_deletion_link(user, token_hash, expires_at, email)
            .await
    }

    async fn deletion_link_is_valid(&self, token_hash: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 FROM tokens WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(DELETION_LINK)
        .bind(self.clock.now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    async fn confirm_deletion(
        &self,
        token_hash: &str,
        due_at: Millis,
        notice_for: EmailFor<'_>,
    ) -> Result<Option<UserId>, StoreError> {
        self.use_deletion_link(token_hash, due_at, notice_for).await
    }

    async fn note_login(&self, user: &UserId) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let pending: Option<Option<i64>> =
            sqlx::query_scalar("SELECT deletion_due_at FROM users WHERE id = ?")
                .bind(&user.0)
                .fetch_optional(&mut *tx)
                .await?;
        let cancelled = matches!(pending, Some(Some(_)));
        sqlx::query(
            "UPDATE users SET last_login_at = ?, deletion_due_at = NULL, idle_warned_at = NULL, \
             reminders_off_at = CASE WHEN deletion_due_at IS NULL THEN reminders_off_at END WHERE id = ?",
        )
        .bind(now)
        .bind(&user.0)
        .execute(&mut *tx)
        .await?;
        if cancelled {
            audit_by_person(&mut tx, user, DELETION_CANCELLED, now).await?;
        }
        tx.commit().await?;
        Ok(cancelled)
    }

    async fn apply_retention(
        &self,
        rule: RetentionRule,
        cutoff: Millis,
        limit: i64,
    ) -> Result<u64, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let removed = sqlx::query(&rule.sql(placeholder))
            .bind(cutoff)
            .bind(limit)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(&tally_sql(placeholder))
            .bind(rule.as_str())
            .bind(removed as i64)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(removed)
    }

    async fn warn_idle_accounts(
        &self,
        idle_since: Millis,
        due_at: Millis,
        limit: i64,
        warning_for: EmailFor<'_>,
    ) -> Result<u64, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let idle = sqlx::query(&idle_accounts_sql(placeholder))
            .bind(idle_since)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        for row in &idle {
            let user = UserId(row.try_get("id")?);
            let email: String = row.try_get("email")?;
            let first_name: String = row.try_get("first_name")?;
            sqlx::query("UPDATE users SET idle_warned_at = ?, deletion_due_at = ? WHERE id = ?")
                .bind(now)
                .bind(due_at)
                .bind(&user.0)
                .execute(&mut *tx)
                .await?;
            let warning = warning_for(&email, &first_name, saved_language(row)?);
            queue_email(&mut tx, Some(&user), &warning, now).await?;
            sqlx::query(
                "INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES (NULL, ?, ?, '', ?)",
            )
            .bind(IDLE_WARNED)
            .bind(&user.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(idle.len() as u64)
    }

    async fn retention_tally(&self) -> Result<Vec<RetentionTally>, StoreError> {
        let rows =
            sqlx::query("SELECT rule, removed, last_run_at, last_removed FROM retention_tally ORDER BY rule")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(RetentionTally {
                    rule: row.try_get("rule")?,
                    removed: row.try_get("removed")?,
                    last_run_at: row.try_get("last_run_at")?,
                    last_removed: row.try_get("last_removed")?,
                })
            })
            .collect()
    }

    async fn erase_due(&self, hold_ms: Millis, limit: i64) -> Result<Erasures, StoreError> {
        let now = self.clock.now_ms();
        let mut done = Erasures::default();
        let (_writing, mut tx) = self.begin_write().await?;
        let due = sqlx::query(&due_for_erasure_sql(placeholder))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        for row in &due {
            let who = target(row)?;
            let statements = if row.try_get::<bool, _>("decided")? {
                done.held += 1;
                hold_statements(&who, now, now + hold_ms, placeholder, "tower_sessions")
            } else {
                done.erased += 1;
                erase_statements(&who, now, placeholder, "tower_sessions")
            };
            for statement in &statements {
                run(&mut tx, statement).await?;
            }
        }
        let ended = sqlx::query(&hold_ended_sql(placeholder))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        for row in &ended {
            for statement in &erase_statements(&target(row)?, now, placeholder, "tower_sessions") {
                run(&mut tx, statement).await?;
            }
            done.erased += 1;
        }
        for (rule, n) in [("accounts_erased", done.erased), ("accounts_held", done.held)] {
            if n > 0 {
                sqlx::query(&tally_sql(placeholder))
                    .bind(rule)
                    .bind(n as i64)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(done)
    }
}

/// Runs `statement` in `tx`.
async fn run(tx: &mut SqliteConnection, (sql, binds): &Statement) -> Result<(), StoreError> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text.as_str()),
            Bind::Int(n) => query.bind(*n),
        };
    }
    query.execute(tx).await?;
    Ok(())
}

/// SQLite's placeholder for bind `n`.
fn placeholder(n: usize) -> String {
    format!("?{n}")
}

fn target(row: &sqlx::sqlite::SqliteRow) -> Result<Target, StoreError> {
    Ok(Target {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
    })
}

impl SqliteBackend {
    pub(super) async fn request_deletion_link(
        &self,
        user: &UserId,
        token_hash: &str,
        expires_at: Millis,
        email: &OutgoingEmail,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM tokens WHERE user_id = ? AND purpose = ?")
            .bind(&user.0)
            .bind(DELETION_LINK)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tokens (hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(&user.0)
        .bind(DELETION_LINK)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        queue_email(&mut tx, Some(user), email, now).await?;
        audit_by_person(&mut tx, user, DELETION_ASKED, now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(())
    }

    pub(super) async fn use_deletion_link(
        &self,
        token_hash: &str,
        due_at: Millis,
        notice_for: EmailFor<'_>,
    ) -> Result<Option<UserId>, StoreError> {
        let now = self.clock.now_ms();
        let (_writing, mut tx) = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT u.id, u.email, u.first_name, u.language FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.hash = ? AND t.purpose = ? AND t.used_at IS NULL AND t.expires_at > ? AND u.held_until IS NULL",
        )
        .bind(token_hash)
        .bind(DELETION_LINK)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let user = UserId(row.try_get("id")?);
        sqlx::query("UPDATE tokens SET used_at = ? WHERE hash = ?")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        schedule_deletion_in(&mut tx, &user, due_at, now, notice_for).await?;
        audit_by_person(&mut tx, &user, DELETION_CONFIRMED, now).await?;
        tx.commit().await?;
        self.mail_queued.notify_one();
        Ok(Some(user))
    }
}

/// Schedules `user`'s deletion at `due_at` (unless theirs is a held record): their sessions
/// end, reminders stop, and the notice is queued. Returns whether it was scheduled.
pub(super) async fn schedule_deletion_in(
    tx: &mut SqliteConnection,
    user: &UserId,
    due_at: Millis,
    now: Millis,
    notice_for: EmailFor<'_>,
) -> Result<bool, StoreError> {
    let Some(row) =
        sqlx::query("SELECT email, first_name, language FROM users WHERE id = ? AND held_until IS NULL")
            .bind(&user.0)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(false);
    };
    let email: String = row.try_get("email")?;
    let first_name: String = row.try_get("first_name")?;
    sqlx::query(
        "UPDATE users SET deletion_due_at = ?, reminders_off_at = COALESCE(reminders_off_at, ?) WHERE id = ?",
    )
    .bind(due_at)
    .bind(now)
    .bind(&user.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM tower_sessions WHERE user_id = ?")
        .bind(&user.0)
        .execute(&mut *tx)
        .await?;
    let notice = notice_for(&email, &first_name, saved_language(&row)?);
    queue_email(&mut *tx, Some(user), &notice, now).await?;
    Ok(true)
}

/// An audit entry that `user` made themselves.
async fn audit_by_person(
    tx: &mut SqliteConnection,
    user: &UserId,
    action: &str,
    now: Millis,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (operator_id, action, subject, detail, at, by_person) VALUES (NULL, ?, ?, '', ?, 1)")
        .bind(action)
        .bind(&user.0)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}
