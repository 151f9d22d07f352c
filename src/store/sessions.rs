//! Sessions live in the app's database, whichever backend holds it, so every instance sees
//! every session and a restart signs nobody out.
//!
//! The layout and encoding are tower-sessions-sqlx-store's (same tables, MessagePack records),
//! plus one column: the signed-in user's id, written with the session. Loading a session joins
//! the user's row, so a signed-in page costs one read for both: the row is handed to the
//! sign-in layer's `get_user` through a task-local slot ([`with_loaded_users`],
//! [`take_loaded_user`]) instead of being read again.

use std::cell::RefCell;
use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{PgPool, SqlitePool};
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion};

use super::{UserId, UserRecord, rows};

/// Where axum-login keeps its data in a session (its default key).
const SIGN_IN_KEY: &str = "axum-login.data";

/// The user columns of [`super::USER_COLUMNS`], named through the join.
const JOINED_USER_COLUMNS: &str = "users.id, users.email, users.first_name, users.last_name, \
     users.password_hash, users.created_at, users.ledger_user_id, users.verification_url, \
     users.application_status, users.status_as_of, users.required_fields, users.status_changed_at, \
     users.returned_at, users.reminders_off_at, users.denial_reason, users.confirmed_at, users.checked_at, \
     (SELECT MAX(created_at) FROM appeals WHERE appeals.user_id = users.id) AS appealed_at, \
     (SELECT MAX(answered_at) FROM appeals WHERE appeals.user_id = users.id) AS appeal_answered_at";

tokio::task_local! {
    static LOADED_USER: RefCell<Option<UserRecord>>;
}

/// Runs `request` with a slot for the user row a session load brings along.
pub async fn with_loaded_users<F: Future>(request: F) -> F::Output {
    LOADED_USER.scope(RefCell::new(None), request).await
}

/// The row of user `id` loaded with this request's session, if it was (once).
pub fn take_loaded_user(id: &UserId) -> Option<UserRecord> {
    LOADED_USER
        .try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten()
        .filter(|user| &user.id == id)
}

fn keep_loaded_user(user: UserRecord) {
    let _ = LOADED_USER.try_with(|slot| *slot.borrow_mut() = Some(user));
}

/// The signed-in user's id in a session record, as axum-login keeps it.
fn signed_in_id(record: &Record) -> Option<&str> {
    record.data.get(SIGN_IN_KEY)?.get("user_id")?.as_str()
}

/// The tower-sessions store for the backend in use.
#[derive(Clone, Debug)]
pub enum SessionStore {
    /// With the backend's in-process write gate, taken for each write.
    Sqlite(SqlitePool, Arc<Mutex<()>>),
    Postgres(PgPool),
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn decode(data: &[u8]) -> session_store::Result<Record> {
    rmp_serde::from_slice(data).map_err(|e| session_store::Error::Decode(e.to_string()))
}

fn backend(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl SessionStore {
    /// Inserts `record` unless its id is taken; `false` when it is.
    async fn try_create(&self, record: &Record) -> session_store::Result<bool> {
        let data = encode(record)?;
        let user = signed_in_id(record);
        let result = match self {
            Self::Sqlite(pool, writes) => {
                let _turn = writes.lock().await;
                sqlx::query("INSERT INTO tower_sessions (id, data, expiry_date, user_id) VALUES (?, ?, ?, ?)")
                    .bind(record.id.to_string())
                    .bind(data)
                    .bind(record.expiry_date)
                    .bind(user)
                    .execute(pool)
                    .await
                    .map(drop)
            }
            Self::Postgres(pool) => sqlx::query(
                "INSERT INTO tower_sessions.session (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4)",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date)
            .bind(user)
            .execute(pool)
            .await
            .map(drop),
        };
        match result {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }
}

#[async_trait]
impl session_store::SessionStore for SessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        while !self.try_create(record).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let user = signed_in_id(record);
        match self {
            Self::Sqlite(pool, writes) => {
                let _turn = writes.lock().await;
                sqlx::query(
                    "INSERT INTO tower_sessions (id, data, expiry_date, user_id) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date, \
                     user_id = excluded.user_id",
                )
                .bind(record.id.to_string())
                .bind(data)
                .bind(record.expiry_date)
                .bind(user)
                .execute(pool)
                .await
                .map(drop)
                .map_err(backend)?
            }
            Self::Postgres(pool) => sqlx::query(
                "INSERT INTO tower_sessions.session (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date, \
                 user_id = excluded.user_id",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date)
            .bind(user)
            .execute(pool)
            .await
            .map(drop)
            .map_err(backend)?,
        };
        Ok(())
    }

    /// One read: the session, and the row of the user signed in with it (kept for
    /// [`take_loaded_user`]).
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc();
        let loaded = match self {
            Self::Sqlite(pool, _) => sqlx::query(&load_sql("tower_sessions", "?", "?"))
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
                .as_ref()
                .map(split_joined)
                .transpose()?,
            Self::Postgres(pool) => sqlx::query(&load_sql("tower_sessions.session", "$1", "$2"))
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
                .as_ref()
                .map(split_joined)
                .transpose()?,
        };
        let Some((data, user)) = loaded else {
            return Ok(None);
        };
        let record = decode(&data)?;
        // Hand the row on only for the user the record names (a session saved before the
        // column existed has none: then the sign-in layer reads the user itself).
        if let Some(user) = user
            && signed_in_id(&record) == Some(user.id.0.as_str())
        {
            keep_loaded_user(user);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(pool, writes) => {
                let _turn = writes.lock().await;
                sqlx::query("DELETE FROM tower_sessions WHERE id = ?")
                    .bind(id.to_string())
                    .execute(pool)
                    .await
                    .map(drop)
                    .map_err(backend)?
            }
            Self::Postgres(pool) => sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1")
                .bind(id.to_string())
                .execute(pool)
                .await
                .map(drop)
                .map_err(backend)?,
        };
        Ok(())
    }
}

/// The session load: the record, with the columns of the user it names joined.
fn load_sql(table: &str, id: &str, expiry: &str) -> String {
    format!(
        "SELECT s.data AS session_data, s.user_id AS session_user, {JOINED_USER_COLUMNS} \
         FROM {table} s LEFT JOIN users ON users.id = s.user_id \
         WHERE s.id = {id} AND s.expiry_date > {expiry}"
    )
}

/// A loaded row's record bytes and its user, if joined.
fn split_joined<R>(row: &R) -> session_store::Result<(Vec<u8>, Option<UserRecord>)>
where
    R: sqlx::Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: rows::Decodes<R::Database>,
    i64: rows::Decodes<R::Database>,
    Option<String>: rows::Decodes<R::Database>,
    Vec<u8>: rows::Decodes<R::Database>,
{
    let data = row.try_get::<Vec<u8>, _>("session_data").map_err(backend)?;
    Ok((data, joined_user(row)))
}

/// The user row of a joined session row, when the session names a user that exists.
fn joined_user<R>(row: &R) -> Option<UserRecord>
where
    R: sqlx::Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: rows::Decodes<R::Database>,
    i64: rows::Decodes<R::Database>,
    Option<String>: rows::Decodes<R::Database>,
{
    let session_user: Option<String> = row.try_get("session_user").ok()?;
    let present: Option<String> = row.try_get("id").ok()?;
    if session_user.is_none() || present.is_none() {
        return None;
    }
    match rows::user(row) {
        Ok(user) => Some(user),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the user joined to a session; reading it apart");
            None
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(pool, writes) => {
                let _turn = writes.lock().await;
                sqlx::query("DELETE FROM tower_sessions WHERE datetime(expiry_date) < datetime('now')")
                    .execute(pool)
                    .await
                    .map(drop)
                    .map_err(backend)?
            }
            Self::Postgres(pool) => sqlx::query(
                "DELETE FROM tower_sessions.session WHERE expiry_date < (now() AT TIME ZONE 'utc')",
            )
            .execute(pool)
            .await
            .map(drop)
            .map_err(backend)?,
        };
        Ok(())
    }
}
