//! The SQLite backend: one file, WAL journal, migrations applied on connect.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::{EventOutcome, InboxEvent, NewUser, StoreError, UserId, UserRecord};
use crate::clock::{Clock, Millis};
use crate::kyc::{self, KycState, StatusUpdate};
use crate::status::ApplicationStatus;

/// The app's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    clock: Clock,
}

const USER_COLUMNS: &str = "id, email, first_name, last_name, password_hash, created_at, \
     ledger_user_id, verification_url, application_status, status_as_of, required_fields, \
     status_changed_at";

impl Store {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    pub async fn connect(url: &str, clock: Clock) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool, clock })
    }

    /// The pool, for the session store that shares our database.
    pub fn sqlite_pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Creates an account; the email must be unused (compared as given: normalise first).
    pub async fn create_user(&self, new: NewUser<'_>) -> Result<UserId, StoreError> {
        let id = UserId::generate();
        let now = self.clock.now_ms();
        let result = sqlx::query(
            "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, status_changed_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id.0)
        .bind(new.email)
        .bind(new.first_name)
        .bind(new.last_name)
        .bind(new.password_hash)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn user(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        let row = sqlx::query(&sql).bind(&id.0).fetch_optional(&self.pool).await?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?");
        let row = sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    /// Links an account to its LedgerOS user, then applies any webhooks that arrived for that
    /// LedgerOS user before we knew it.
    pub async fn link_ledger_user(&self, id: &UserId, ledger_user_id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let updated = sqlx::query("UPDATE users SET ledger_user_id = ? WHERE id = ?")
            .bind(ledger_user_id)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let waiting = sqlx::query(
            "SELECT id, status, required_fields, created_at_ms FROM webhook_events \
             WHERE ledger_user_id = ? AND processed_at IS NULL ORDER BY created_at_ms",
        )
        .bind(ledger_user_id)
        .fetch_all(&mut *tx)
        .await?;
        for row in waiting {
            let event_id: String = row.try_get("id")?;
            let status: Option<String> = row.try_get("status")?;
            let fields: String = row.try_get("required_fields")?;
            let update = status.map(|status| StatusUpdate {
                status: ApplicationStatus::parse(&status),
                at_ms: row.get("created_at_ms"),
                required_fields: serde_json::from_str(&fields).unwrap_or_default(),
            });
            let outcome = apply_update(&mut tx, &self.clock, id, update).await?;
            mark_processed(&mut tx, &event_id, &outcome, self.clock.now_ms()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_verification_url(&self, id: &UserId, url: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET verification_url = ? WHERE id = ?")
            .bind(url)
            .bind(&id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Applies a status LedgerOS reported outside a webhook (a fetch on return, the
    /// reconciler) through the same rules as webhooks.
    pub async fn apply_status(&self, id: &UserId, update: StatusUpdate) -> Result<EventOutcome, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let outcome = apply_update(&mut tx, &self.clock, id, Some(update)).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Stores a verified webhook and applies it, in one transaction: when this returns `Ok`,
    /// the event is durable and acknowledging it is safe. A second delivery of the same event
    /// id is reported as [`EventOutcome::Duplicate`] and changes nothing.
    pub async fn ingest_event(&self, event: InboxEvent<'_>) -> Result<EventOutcome, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let inserted = sqlx::query(
            "INSERT INTO webhook_events \
             (id, event_type, ledger_user_id, created_at_ms, payload, status, required_fields, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(event.id)
        .bind(event.event_type)
        .bind(event.ledger_user_id)
        .bind(event.created_at_ms)
        .bind(event.payload)
        .bind(event.status.as_ref().map(ApplicationStatus::as_str))
        .bind(serde_json::to_string(&event.required_fields).expect("a list of strings serialises"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(EventOutcome::Duplicate);
        }
        let user = match event.ledger_user_id {
            Some(ledger_id) => sqlx::query("SELECT id FROM users WHERE ledger_user_id = ?")
                .bind(ledger_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| UserId(row.get("id"))),
            None => None,
        };
        let outcome = match (user, event.status) {
            (None, Some(_)) if event.ledger_user_id.is_some() => EventOutcome::Waiting,
            (Some(user), Some(status)) => {
                let update = StatusUpdate {
                    status,
                    at_ms: event.created_at_ms,
                    required_fields: event.required_fields,
                };
                apply_update(&mut tx, &self.clock, &user, Some(update)).await?
            }
            _ => EventOutcome::Recorded,
        };
        mark_processed(&mut tx, event.id, &outcome, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

async fn apply_update(
    tx: &mut SqliteConnection,
    clock: &Clock,
    id: &UserId,
    update: Option<StatusUpdate>,
) -> Result<EventOutcome, StoreError> {
    let Some(update) = update else {
        return Ok(EventOutcome::Recorded);
    };
    let row = sqlx::query(
        "SELECT application_status, status_as_of, required_fields, status_changed_at FROM users WHERE id = ?",
    )
    .bind(&id.0)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let current = kyc_from_row(&row)?;
    match kyc::apply(&current, &update) {
        Ok(next) => {
            let changed_at: Millis = if next.status != current.status {
                clock.now_ms()
            } else {
                row.try_get("status_changed_at")?
            };
            sqlx::query(
                "UPDATE users SET application_status = ?, status_as_of = ?, required_fields = ?, \
                 status_changed_at = ? WHERE id = ?",
            )
            .bind(next.status.as_str())
            .bind(next.as_of_ms)
            .bind(serde_json::to_string(&next.required_fields).expect("a list of strings serialises"))
            .bind(changed_at)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
            Ok(EventOutcome::Applied(next.status))
        }
        Err(rejection) => Ok(EventOutcome::Ignored(rejection.to_string())),
    }
}

async fn mark_processed(
    tx: &mut SqliteConnection,
    event_id: &str,
    outcome: &EventOutcome,
    now: Millis,
) -> Result<(), StoreError> {
    if let Some(outcome) = outcome.as_db() {
        sqlx::query("UPDATE webhook_events SET processed_at = ?, outcome = ? WHERE id = ?")
            .bind(now)
            .bind(outcome)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

fn kyc_from_row(row: &SqliteRow) -> Result<KycState, StoreError> {
    let fields: String = row.try_get("required_fields")?;
    Ok(KycState {
        status: ApplicationStatus::parse(row.try_get("application_status")?),
        as_of_ms: row.try_get("status_as_of")?,
        required_fields: serde_json::from_str(&fields).unwrap_or_default(),
    })
}

fn user_from_row(row: &SqliteRow) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        password_hash: row.try_get("password_hash")?,
        created_at: row.try_get("created_at")?,
        ledger_user_id: row.try_get("ledger_user_id")?,
        verification_url: row.try_get("verification_url")?,
        kyc: kyc_from_row(row)?,
        status_changed_at: row.try_get("status_changed_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewUser;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        (Store::connect(&url, Clock::manual(1_000)).await.unwrap(), dir)
    }

    async fn user(store: &Store, email: &str) -> UserId {
        let new = NewUser {
            email,
            first_name: "Ada",
            last_name: "Lovelace",
            password_hash: "h",
        };
        store.create_user(new).await.unwrap()
    }

    fn event<'a>(id: &'a str, ledger: &'a str, at: Millis, status: ApplicationStatus) -> InboxEvent<'a> {
        InboxEvent {
            id,
            event_type: "user.application.test",
            ledger_user_id: Some(ledger),
            created_at_ms: at,
            payload: "{}",
            status: Some(status),
            required_fields: Vec::new(),
        }
    }

    #[tokio::test]
    async fn an_email_is_unique() {
        let (store, _dir) = store().await;
        user(&store, "a@example.com").await;
        let again = NewUser {
            email: "a@example.com",
            first_name: "B",
            last_name: "C",
            password_hash: "h",
        };
        assert!(matches!(
            store.create_user(again).await,
            Err(StoreError::EmailTaken)
        ));
    }

    #[tokio::test]
    async fn an_event_is_applied_once_and_a_stale_one_is_ignored() {
        let (store, _dir) = store().await;
        let id = user(&store, "a@example.com").await;
        store.link_ledger_user(&id, "user_1").await.unwrap();

        let applied = store
            .ingest_event(event("evt_1", "user_1", 50, ApplicationStatus::Approved))
            .await
            .unwrap();
        let duplicate = store
            .ingest_event(event("evt_1", "user_1", 50, ApplicationStatus::Approved))
            .await
            .unwrap();
        let stale = store
            .ingest_event(event("evt_0", "user_1", 10, ApplicationStatus::Pending))
            .await
            .unwrap();

        assert_eq!(applied, EventOutcome::Applied(ApplicationStatus::Approved));
        assert_eq!(duplicate, EventOutcome::Duplicate);
        assert!(matches!(stale, EventOutcome::Ignored(_)));
        let record = store.user(&id).await.unwrap().unwrap();
        assert_eq!(record.kyc.status, ApplicationStatus::Approved);
        assert_eq!(record.kyc.as_of_ms, Some(50));
    }

    #[tokio::test]
    async fn events_for_an_unknown_user_wait_and_apply_in_order_when_linked() {
        let (store, _dir) = store().await;
        let later = store
            .ingest_event(event(
                "evt_b",
                "user_9",
                1_700_000_000_020,
                ApplicationStatus::Denied,
            ))
            .await
            .unwrap();
        assert_eq!(later, EventOutcome::Waiting);
        store
            .ingest_event(event(
                "evt_a",
                "user_9",
                1_700_000_000_010,
                ApplicationStatus::ManualReview,
            ))
            .await
            .unwrap();

        let id = user(&store, "late@example.com").await;
        store.link_ledger_user(&id, "user_9").await.unwrap();

        let record = store.user(&id).await.unwrap().unwrap();
        assert_eq!(record.kyc.status, ApplicationStatus::Denied);
        assert_eq!(record.kyc.as_of_ms, Some(1_700_000_000_020));
    }
}
