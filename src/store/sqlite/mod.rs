//! The SQLite backend: one file, WAL journal, migrations applied on connect. One process at
//! a time: live-status and mail signals stay in memory.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, broadcast};

mod accounts;
mod applicants;
mod console;
mod data_requests;

crate::store::factors::impl_factors!(SqliteBackend, |this| this.begin_write().await?);
crate::store::signup_guards::impl_signup_guards!(SqliteBackend, |this| this.begin_write().await?);
crate::store::budget::impl_budget!(
    SqliteBackend,
    |this| this.begin_write().await?,
    "SELECT 1",
    mail::queue_email
);
mod data_rights;
mod group;
mod mail;
mod reports;
mod updates;

use super::{Backend, EventOutcome, SessionStore, StoreError, UserId};
use crate::clock::Clock;

/// The app's database in one SQLite file.
#[derive(Clone, Debug)]
pub(super) struct SqliteBackend {
    pool: SqlitePool,
    /// The same file with `synchronous=NORMAL`, for bookkeeping that is at-least-once anyway:
    /// the mail queue's leases and sent marks (a crash between sending and marking already
    /// sends again), sessions and rate-limit counts. In WAL mode such a commit is safe from a
    /// crash of the process and skips the disk flush; a power cut may undo the last few, and
    /// the next FULL commit (a webhook) flushes them along with its own. A webhook that waits
    /// for the write gate behind one of these waits microseconds, not a flush.
    bookkeeping: SqlitePool,
    clock: Clock,
    /// Where links in the emails we queue point.
    public_url: String,
    /// Users whose status just changed, for live pages. In-process: each instance hears its own
    /// writes; a multi-instance backend needs a shared channel (PostgreSQL LISTEN/NOTIFY).
    changes: broadcast::Sender<UserId>,
    /// One write transaction at a time within this process. SQLite allows one writer anyway;
    /// waiting here is a queue hand-off, whereas waiting in SQLite's busy handler is a sleep
    /// with backoff that let the webhook benchmark's p99 reach a second under 8 senders.
    writes: Arc<Mutex<()>>,
    /// Wakes the mail worker when an email is queued, so it leaves at once.
    mail_queued: Arc<Notify>,
    /// Stores and applies webhooks, a group at a time, on a thread and connection of its own.
    webhooks: Arc<group::WebhookWriter>,
}

/// Creates the folder of the database file (the demo's `data/` on a fresh clone). Only the
/// SQLite backend writes to the filesystem; the error names the folder and the variable.
fn prepare_folder(file: &std::path::Path) -> Result<(), StoreError> {
    let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(folder).map_err(|e| {
        StoreError::Config(format!(
            "cannot create the folder {} for the SQLite database in DATABASE_URL: {e}",
            folder.display()
        ))
    })
}

impl SqliteBackend {
    /// Opens (creating if needed, with its folder) the database at `url` and applies pending
    /// migrations.
    pub(super) async fn connect(url: &str, clock: Clock, public_url: String) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk (fsync) before we answer, so an acknowledged webhook
            // survives a power cut, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if options.get_filename() == std::path::Path::new(":memory:") {
            return Err(StoreError::Config(
                "an in-memory SQLite database is not supported: give a file, as in sqlite://data/onboarding.db".to_owned(),
            ));
        }
        prepare_folder(options.get_filename())?;
        // No liveness test when a connection is taken from a pool: a file does not go away
        // like a server, and the test was a round trip to SQLite's thread before every query.
        let pool = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let bookkeeping = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(2)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Normal))
            .await?;
        let writes = Arc::new(Mutex::new(()));
        let webhooks = Arc::new(group::WebhookWriter::start(
            options.get_filename(),
            writes.clone(),
            public_url.clone(),
        )?);
        let (changes, _) = broadcast::channel(1024);
        Ok(Self {
            pool,
            bookkeeping,
            clock,
            public_url,
            changes,
            writes,
            mail_queued: Arc::new(Notify::new()),
            webhooks,
        })
    }

    /// A turn at the in-process write gate for one statement that writes on its own. Every
    /// writer of this process queues here, in order, instead of colliding inside SQLite, whose
    /// busy handler sleeps 1, 2, 5, 10… ms between tries: that sleep was the 1-sender webhook
    /// p99 (about 10 ms) whenever the mail or job worker wrote at the same moment.
    async fn write_turn(&self) -> OwnedMutexGuard<()> {
        self.writes.clone().lock_owned().await
    }

    /// Starts a write transaction, holding the in-process write gate until both are dropped.
    async fn begin_write(&self) -> Result<(OwnedMutexGuard<()>, Transaction<'static, Sqlite>), StoreError> {
        let gate = self.writes.clone().lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok((gate, tx))
    }

    fn announce(&self, id: &UserId, outcome: &EventOutcome) {
        if matches!(outcome, EventOutcome::Applied(_)) {
            // No listener is fine: nobody has the page open.
            let _ = self.changes.send(id.clone());
            // A status change may have queued a decision email.
            self.mail_queued.notify_one();
        }
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn with_clock(&self, clock: Clock) -> Arc<dyn Backend> {
        Arc::new(Self {
            clock,
            ..self.clone()
        })
    }

    async fn durability(&self) -> Result<String, StoreError> {
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&self.pool)
            .await?;
        let sync = match sync {
            0 => "OFF",
            1 => "NORMAL",
            2 => "FULL",
            3 => "EXTRA",
            _ => "?",
        };
        Ok(format!("SQLite journal_mode={journal}, synchronous={sync}"))
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
        let _turn = self.write_turn().await;
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, tat) VALUES (?1, ?2 + ?3) \
             ON CONFLICT (key) DO UPDATE SET tat = MAX(rate_limits.tat, ?2) + ?3 \
             WHERE MAX(rate_limits.tat, ?2) + ?3 - ?2 <= ?4 \
             RETURNING tat",
        )
        .bind(key)
        .bind(now)
        .bind(period_ms)
        .bind(window)
        .fetch_optional(&self.bookkeeping)
        .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let tat: i64 = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = ?1")
            .bind(key)
            .fetch_one(&self.bookkeeping)
            .await?;
        let wait = tat.max(now) + period_ms - now - window;
        Ok(Some(Duration::from_millis(wait.max(1) as u64)))
    }

    async fn prune_rate_limits(&self) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        Ok(sqlx::query("DELETE FROM rate_limits WHERE tat < ?1")
            .bind(self.clock.now_ms())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    fn session_store(&self) -> SessionStore {
        SessionStore::Sqlite(self.bookkeeping.clone(), self.writes.clone())
    }

    async fn scalar_for_tests(&self, sql: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql).fetch_one(&self.pool).await?)
    }

    async fn execute_for_tests(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
