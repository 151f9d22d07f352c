//! A person's data on PostgreSQL: what their export reads, and the record of exports.

use async_trait::async_trait;
use sqlx::{PgConnection, Row};

use super::PostgresBackend;
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

/// The sessions table.
const SESSIONS: &str = "tower_sessions.session";

#[async_trait]
impl DataRights for PostgresBackend {
    async fn personal_data(&self, user: &UserId) -> Result<PersonalData, StoreError> {
        let mut data = PersonalData::default();
        // One snapshot: the parts agree with each other.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        for (part, sql) in export_sql("$1", "tower_sessions.session").iter().enumerate() {
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
        let mut tx = self.pool.begin().await?;
        // The account's row, locked: two instances asked at once take turns here.
        sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
            .bind(&user.0)
            .fetch_optional(&mut *tx)
            .await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(at) FROM data_exports WHERE user_id = $1")
            .bind(&user.0)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(at) = last.filter(|at| *at >= since) {
            return Ok(Err(at));
        }
        sqlx::query("INSERT INTO data_exports (user_id, requested_by, at) VALUES ($1, $2, $3)")
            .bind(&user.0)
            .bind(by.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_log (operator_id, action, subject, detail, at, by_person) \
             VALUES (NULL, $1, $2, $3, $4, $5)",
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
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM tokens WHERE user_id = $1 AND purpose = $2")
            .bind(&user.0)
            .bind(DELETION_LINK)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tokens (hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
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
        Ok(())
    }

    async fn deletion_link_is_valid(&self, token_hash: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 FROM tokens WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
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
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        // Used once even when two requests race: the token row is taken by the first.
        let Some(row) = sqlx::query(
            "UPDATE tokens t SET used_at = $1 FROM users u WHERE u.id = t.user_id AND t.hash = $2 \
             AND t.purpose = $3 AND t.used_at IS NULL AND t.expires_at > $1 AND u.held_until IS NULL \
             RETURNING u.id, u.email, u.first_name, u.language",
        )
        .bind(now)
        .bind(token_hash)
        .bind(DELETION_LINK)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let user = UserId(row.try_get("id")?);
        schedule_deletion_in(&mut tx, &user, due_at, now, notice_for).await?;
        audit_by_person(&mut tx, &user, DELETION_CONFIRMED, now).await?;
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn note_login(&self, user: &UserId) -> Result<bool, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let pending: Option<Option<i64>> =
            sqlx::query_scalar("SELECT deletion_due_at FROM users WHERE id = $1")
                .bind(&user.0)
                .fetch_optional(&mut *tx)
                .await?;
        let cancelled = matches!(pending, Some(Some(_)));
        sqlx::query(
            "UPDATE users SET last_login_at = $1, deletion_due_at = NULL, idle_warned_at = NULL, \
             reminders_off_at = CASE WHEN deletion_due_at IS NULL THEN reminders_off_at END WHERE id = $2",
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
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
        let idle = sqlx::query(&format!(
            "{} FOR UPDATE SKIP LOCKED",
            idle_accounts_sql(placeholder)
        ))
        .bind(idle_since)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        for row in &idle {
            let user = UserId(row.try_get("id")?);
            let email: String = row.try_get("email")?;
            let first_name: String = row.try_get("first_name")?;
            sqlx::query("UPDATE users SET idle_warned_at = $1, deletion_due_at = $2 WHERE id = $3")
                .bind(now)
                .bind(due_at)
                .bind(&user.0)
                .execute(&mut *tx)
                .await?;
            let warning = warning_for(&email, &first_name, saved_language(row)?);
            queue_email(&mut tx, Some(&user), &warning, now).await?;
            sqlx::query("INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES (NULL, $1, $2, '', $3)")
                .bind(IDLE_WARNED)
                .bind(&user.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
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
        // An erasure deletes the emails of several people in one transaction, while a mail
        // worker marks a batch of emails sent in id order: PostgreSQL may find the two waiting
        // on each other and end one. Nothing of it stays, so it is simply run again.
        let mut tries = 0;
        loop {
            match self.erase_due_once(hold_ms, limit).await {
                Err(e) if tries < 3 && is_deadlock(&e) => {
                    tries += 1;
                    tracing::info!(
                        tries,
                        "erasures: a deadlock with another transaction; trying again"
                    );
                }
                done => return done,
            }
        }
    }
}

/// Whether `e` is PostgreSQL ending a transaction to break a deadlock.
fn is_deadlock(e: &StoreError) -> bool {
    let StoreError::Database(inner) = e else {
        return false;
    };
    inner
        .downcast_ref::<sqlx::Error>()
        .and_then(|e| e.as_database_error())
        .and_then(|e| e.code())
        .is_some_and(|code| code == "40P01")
}

impl PostgresBackend {
    /// One try of [`DataRights::erase_due`], in one transaction.
    async fn erase_due_once(&self, hold_ms: Millis, limit: i64) -> Result<Erasures, StoreError> {
        let now = self.clock.now_ms();
        let mut done = Erasures::default();
        let mut tx = self.pool.begin().await?;
        // Rows another instance is erasing are skipped, not waited for.
        let due = sqlx::query(&format!(
            "{} FOR UPDATE SKIP LOCKED",
            due_for_erasure_sql(placeholder)
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        for row in &due {
            let who = target(row)?;
            let statements = if row.try_get::<bool, _>("decided")? {
                done.held += 1;
                hold_statements(&who, now, now + hold_ms, placeholder, SESSIONS)
            } else {
                done.erased += 1;
                erase_statements(&who, now, placeholder, SESSIONS)
            };
            for statement in &statements {
                run(&mut tx, statement).await?;
            }
        }
        let ended = sqlx::query(&format!("{} FOR UPDATE SKIP LOCKED", hold_ended_sql(placeholder)))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        for row in &ended {
            for statement in &erase_statements(&target(row)?, now, placeholder, SESSIONS) {
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
async fn run(tx: &mut PgConnection, (sql, binds): &Statement) -> Result<(), StoreError> {
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

/// PostgreSQL's placeholder for bind `n`.
fn placeholder(n: usize) -> String {
    format!("${n}")
}

fn target(row: &sqlx::postgres::PgRow) -> Result<Target, StoreError> {
    Ok(Target {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
    })
}

/// Schedules `user`'s deletion at `due_at` (unless theirs is a held record): their sessions
/// end, reminders stop, and the notice is queued. Returns whether it was scheduled.
pub(super) async fn schedule_deletion_in(
    tx: &mut PgConnection,
    user: &UserId,
    due_at: Millis,
    now: Millis,
    notice_for: EmailFor<'_>,
) -> Result<bool, StoreError> {
    let Some(row) = sqlx::query(
        "SELECT email, first_name, language FROM users WHERE id = $1 AND held_until IS NULL FOR UPDATE",
    )
    .bind(&user.0)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let email: String = row.try_get("email")?;
    let first_name: String = row.try_get("first_name")?;
    sqlx::query(
        "UPDATE users SET deletion_due_at = $1, reminders_off_at = COALESCE(reminders_off_at, $2) WHERE id = $3",
    )
    .bind(due_at)
    .bind(now)
    .bind(&user.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!("DELETE FROM {SESSIONS} WHERE user_id = $1"))
        .bind(&user.0)
        .execute(&mut *tx)
        .await?;
    let notice = notice_for(&email, &first_name, saved_language(&row)?);
    queue_email(&mut *tx, Some(user), &notice, now).await?;
    Ok(true)
}

/// An audit entry that `user` made themselves.
async fn audit_by_person(
    tx: &mut PgConnection,
    user: &UserId,
    action: &str,
    now: Millis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (operator_id, action, subject, detail, at, by_person) VALUES (NULL, $1, $2, '', $3, TRUE)",
    )
    .bind(action)
    .bind(&user.0)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}
