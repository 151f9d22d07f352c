//! The PostgreSQL backend, for several instances on one database.
//!
//! Concurrency, instance against instance:
//! - jobs and emails are claimed with `FOR UPDATE SKIP LOCKED`, so two workers never hold one;
//! - webhook ingest and linking take a transaction-scoped advisory lock on the LedgerOS user id,
//!   and every status change locks the user's row, so events for one user apply one at a time
//!   and an event never waits forever for a user linked at the same moment;
//! - single-use rows (signup links, reset tokens, reminders) are used by a conditional update
//!   or a row lock, so of two racing requests exactly one wins;
//! - status changes and queued emails are announced with `pg_notify` inside the transaction
//!   (delivered on commit), and every instance listens, so a live page and the mail worker hear
//!   about writes made by any instance.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{PgConnection, PgPool};
use tokio::sync::{Notify, broadcast};
use tokio::task::AbortHandle;

mod accounts;
mod applicants;
mod console;
mod data_requests;

crate::store::factors::impl_factors!(PostgresBackend, |this| ((), this.pool.begin().await?));
crate::store::signup_guards::impl_signup_guards!(PostgresBackend, |this| ((), this.pool.begin().await?));
// Budget transactions take turns across instances: an advisory lock held until the commit.
crate::store::budget::impl_budget!(
    PostgresBackend,
    |this| ((), this.pool.begin().await?),
    "SELECT pg_advisory_xact_lock(3030001)",
    mail::queue_email
);
mod data_rights;
mod group;
mod mail;
mod reports;
mod updates;

use super::{Backend, EventOutcome, SessionStore, StoreError, UserId};
use crate::clock::Clock;

/// Channel of user ids whose status changed.
const STATUS_CHANNEL: &str = "onboarding_status";
/// Channel that wakes mail workers.
const MAIL_CHANNEL: &str = "onboarding_mail";

/// The app's database on a PostgreSQL server shared by every instance.
#[derive(Clone, Debug)]
pub(super) struct PostgresBackend {
    pool: PgPool,
    clock: Clock,
    /// Where links in the emails we queue point.
    public_url: String,
    changes: broadcast::Sender<UserId>,
    mail_queued: Arc<Notify>,
    /// The task that listens for other instances' notifications, stopped with the backend
    /// (the last of its clones).
    _listener: Arc<Listener>,
}

#[derive(Debug)]
struct Listener(AbortHandle);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl PostgresBackend {
    /// Connects, applies pending migrations (sqlx holds an advisory lock meanwhile, so
    /// instances starting together take turns) and starts listening.
    pub(super) async fn connect(url: &str, clock: Clock, public_url: String) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let (changes, _) = broadcast::channel(1024);
        let mail_queued = Arc::new(Notify::new());
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen_all([STATUS_CHANNEL, MAIL_CHANNEL]).await?;
        let listener = Arc::new(Listener(
            tokio::spawn(listen(listener, changes.clone(), mail_queued.clone())).abort_handle(),
        ));
        Ok(Self {
            pool,
            clock,
            public_url,
            changes,
            mail_queued,
            _listener: listener,
        })
    }
}

/// Forwards notifications to this instance's live pages and mail worker. sqlx reconnects a
/// dropped listener by itself; what was announced meanwhile is lost, which live pages survive
/// (they re-read on reconnect) and the mail worker too (it polls when idle).
async fn listen(mut listener: PgListener, changes: broadcast::Sender<UserId>, mail: Arc<Notify>) {
    loop {
        match listener.recv().await {
            Ok(note) if note.channel() == STATUS_CHANNEL => {
                let _ = changes.send(UserId(note.payload().to_owned()));
            }
            Ok(_) => mail.notify_one(),
            Err(e) => {
                tracing::warn!(error = %e, "lost the PostgreSQL notification connection; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Announces (on commit) that `id`'s status changed.
async fn announce(tx: &mut PgConnection, id: &UserId, outcome: &EventOutcome) -> Result<(), StoreError> {
    if matches!(outcome, EventOutcome::Applied(_)) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(STATUS_CHANNEL)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Serialises, across instances, everything this transaction does for one LedgerOS user.
async fn lock_ledger_user(tx: &mut PgConnection, ledger_user_id: &str) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(ledger_user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Backend for PostgresBackend {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn with_clock(&self, clock: Clock) -> Arc<dyn Backend> {
        Arc::new(Self {
            clock,
            ..self.clone()
        })
    }

    async fn durability(&self) -> Result<String, StoreError> {
        let sync: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&self.pool)
            .await?;
        let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(&self.pool).await?;
        Ok(format!("PostgreSQL synchronous_commit={sync}, fsync={fsync}"))
    }

    fn subscribe(&self) -> broadcast::Receiver<UserId> {
        self.changes.subscribe()
    }

    async fn wait_for_mail(&self, idle: Duration) {
        let _ = tokio::time::timeout(idle, self.mail_queued.notified()).await;
    }

    async fn rate_limit(
        &self,
        key: &str,
        burst: u32,
        period_ms: i64,
    ) -> Result<Option<Duration>, StoreError> {
        // GCRA: allowed while the next arrival time stays within `burst` periods of now.
        let now = self.clock.now_ms();
        let window = period_ms * i64::from(burst);
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $3 \
             WHERE GREATEST(rate_limits.tat, $2) + $3 - $2 <= $4 \
             RETURNING tat",
        )
        .bind(key)
        .bind(now)
        .bind(period_ms)
        .bind(window)
        .fetch_optional(&self.pool)
        .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let tat: i64 = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        let wait = tat.max(now) + period_ms - now - window;
        Ok(Some(Duration::from_millis(wait.max(1) as u64)))
    }

    async fn prune_rate_limits(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM rate_limits WHERE tat < $1")
            .bind(self.clock.now_ms())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    fn session_store(&self) -> SessionStore {
        SessionStore::Postgres(self.pool.clone())
    }

    async fn scalar_for_tests(&self, sql: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql).fetch_one(&self.pool).await?)
    }

    async fn execute_for_tests(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
