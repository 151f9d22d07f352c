//! The verification budget's storage (issue 30, [`crate::budget`]): who a verification was
//! created for and when (`users.verification_spent_at`), who waits for the budget
//! (`users.budget_held_at`), and the verifications admins allowed beyond it. Taking one is a
//! transaction that counts and marks at once, serialized (SQLite's single writer, a PostgreSQL
//! advisory lock), so two instances never both take the last one. The SQL is written once with
//! `$n` placeholders; one macro implements the trait on both backends.

use async_trait::async_trait;

use super::{Job, OperatorId, StoreError, UserId};
use crate::budget::{Spend, VerificationBudget};
use crate::clock::Millis;
use crate::email::OutgoingEmail;

/// Storage for the verification budget.
#[async_trait]
pub trait Budget {
    /// What was spent today and this hour (as of `now`), and what admins allowed today.
    async fn verification_spend(&self, now: Millis) -> Result<Spend, StoreError>;

    /// Takes one verification of `budget` for `user`: `true` if they had one already or one is
    /// left. When none is left, marks them as waiting for the budget, and on the first refusal
    /// of the day queues `alerts` (to the admins) in the same transaction.
    async fn take_verification(
        &self,
        user: &UserId,
        budget: VerificationBudget,
        alerts: &(dyn Fn() -> Vec<OutgoingEmail> + Send + Sync),
    ) -> Result<bool, StoreError>;

    /// Gives back a job the budget holds, with its attempt uncounted, to be claimed again at
    /// `until` (when the budget may open) or when an admin allows more.
    async fn hold_job(&self, job: &Job, until: Millis) -> Result<(), StoreError>;

    /// Lets `count` more verifications through today, audited; the waiting jobs go at once.
    async fn grant_verifications(&self, operator: &OperatorId, count: i64) -> Result<(), StoreError>;

    /// People waiting for the budget.
    async fn budget_waiting(&self) -> Result<i64, StoreError>;

    /// Ends `user`'s wait, if they were waiting, and queues `email` (they can start now) with it.
    async fn end_budget_wait(&self, user: &UserId, email: &OutgoingEmail) -> Result<bool, StoreError>;
}

/// Verifications started since the day's start (`$1`) and the hour's (`$2`), and the day's
/// grants, in one read.
pub(super) const SPEND_SQL: &str = "SELECT \
     (SELECT COUNT(*) FROM users WHERE verification_spent_at >= $1), \
     (SELECT COUNT(*) FROM users WHERE verification_spent_at >= $2), \
     (SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM verification_grants WHERE day = $1)";

/// Implements [`Budget`] for a backend: `$begin` opens a write transaction (as a pair whose
/// first part is held until the commit), `$serialize` is a statement run first in it that
/// makes budget transactions take turns, `$queue` queues an email in a transaction.
macro_rules! impl_budget {
    ($backend:ty, |$this:ident| $begin:expr, $serialize:expr, $queue:path) => {
        #[async_trait::async_trait]
        impl $crate::store::budget::Budget for $backend {
            async fn verification_spend(
                &self,
                now: $crate::clock::Millis,
            ) -> Result<$crate::budget::Spend, $crate::store::StoreError> {
                let (day, hour) = $crate::budget::periods(now);
                let (today, this_hour, granted_today) = sqlx::query_as($crate::store::budget::SPEND_SQL)
                    .bind(day)
                    .bind(hour)
                    .fetch_one(&self.pool)
                    .await?;
                Ok($crate::budget::Spend {
                    today,
                    this_hour,
                    granted_today,
                })
            }

            async fn take_verification(
                &self,
                user: &$crate::store::UserId,
                budget: $crate::budget::VerificationBudget,
                alerts: &(dyn Fn() -> Vec<$crate::email::OutgoingEmail> + Send + Sync),
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let now = self.clock.now_ms();
                let (day, hour) = $crate::budget::periods(now);
                let (_writing, mut tx) = $begin;
                sqlx::query($serialize).execute(&mut *tx).await?;
                let spent: Option<Option<i64>> =
                    sqlx::query_scalar("SELECT verification_spent_at FROM users WHERE id = $1")
                        .bind(&user.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                match spent {
                    None => return Err($crate::store::StoreError::NotFound),
                    Some(Some(_)) => return Ok(true),
                    Some(None) => {}
                }
                // Without a limit nothing is counted: the date alone is kept, for the console.
                let allowed = if budget.is_limited() {
                    let (today, this_hour, granted_today) = sqlx::query_as($crate::store::budget::SPEND_SQL)
                        .bind(day)
                        .bind(hour)
                        .fetch_one(&mut *tx)
                        .await?;
                    let spend = $crate::budget::Spend {
                        today,
                        this_hour,
                        granted_today,
                    };
                    budget.left(&spend).is_none_or(|left| left > 0)
                } else {
                    true
                };
                if allowed {
                    sqlx::query("UPDATE users SET verification_spent_at = $1 WHERE id = $2")
                        .bind(now)
                        .bind(&user.0)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    return Ok(true);
                }
                sqlx::query("UPDATE users SET budget_held_at = COALESCE(budget_held_at, $1) WHERE id = $2")
                    .bind(now)
                    .bind(&user.0)
                    .execute(&mut *tx)
                    .await?;
                let first_today = sqlx::query(
                    "INSERT INTO budget_alerts (day, at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
                )
                .bind(day)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                let mut queued = false;
                if first_today {
                    for email in alerts() {
                        $queue(&mut *tx, None, &email, now).await?;
                        queued = true;
                    }
                }
                tx.commit().await?;
                if queued {
                    self.mail_queued.notify_one();
                }
                Ok(false)
            }

            async fn hold_job(
                &self,
                job: &$crate::store::Job,
                until: $crate::clock::Millis,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                // Due from now at the latest (not after a grace period): when the budget opens,
                // the people waiting go in the order they were held, which is the order they
                // confirmed in.
                let now = self.clock.now_ms();
                sqlx::query(
                    "UPDATE jobs SET locked_until = $1, attempts = attempts - 1, \
                     run_at = CASE WHEN run_at > $2 THEN $2 ELSE run_at END WHERE id = $3",
                )
                .bind(until)
                .bind(now)
                .bind(job.id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn grant_verifications(
                &self,
                operator: &$crate::store::OperatorId,
                count: i64,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let now = self.clock.now_ms();
                let (day, _) = $crate::budget::periods(now);
                let (_writing, mut tx) = $begin;
                sqlx::query(
                    "INSERT INTO verification_grants (day, count, operator_id, at) VALUES ($1, $2, $3, $4)",
                )
                .bind(day)
                .bind(count)
                .bind(&operator.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query($crate::store::AUDIT_SQL)
                    .bind(&operator.0)
                    .bind("allowed more verifications today")
                    .bind(None::<String>)
                    .bind(format!("{count} more"))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                // The waiting jobs go now, in their order.
                sqlx::query(
                    "UPDATE jobs SET locked_until = NULL WHERE user_id IN \
                     (SELECT id FROM users WHERE budget_held_at IS NOT NULL)",
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn budget_waiting(&self) -> Result<i64, $crate::store::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE budget_held_at IS NOT NULL")
                        .fetch_one(&self.pool)
                        .await?,
                )
            }

            async fn end_budget_wait(
                &self,
                user: &$crate::store::UserId,
                email: &$crate::email::OutgoingEmail,
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let now = self.clock.now_ms();
                let (_writing, mut tx) = $begin;
                let ended = sqlx::query(
                    "UPDATE users SET budget_held_at = NULL WHERE id = $1 AND budget_held_at IS NOT NULL",
                )
                .bind(&user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                if ended {
                    $queue(&mut *tx, Some(user), email, now).await?;
                }
                tx.commit().await?;
                if ended {
                    self.mail_queued.notify_one();
                }
                Ok(ended)
            }
        }
    };
}

pub(super) use impl_budget;
