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

/// The statements, per backend: the tables and parameter styles differ.
struct Statements {
    create: &'static str,
    save: &'static str,
    /// The session, with the columns of the user it names joined.
    load: &'static str,
    delete: &'static str,
    delete_expired: &'static str,
}

macro_rules! statements {
    ($table:literal, $p1:literal, $p2:literal, $p3:literal, $p4:literal, $expired:literal) => {
        Statements {
            create: concat!("INSERT INTO ", $table, " (id, data, expiry_date, user_id) VALUES (", $p1, ", ", $p2, ", ", $p3, ", ", $p4, ")"),
            save: concat!(
                "INSERT INTO ", $table, " (id, data, expiry_date, user_id) VALUES (", $p1, ", ", $p2, ", ", $p3, ", ", $p4, ") \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date, \
                 user_id = excluded.user_id"
            ),
            load: concat!(
                "SELECT s.data AS session_data, ",
                user_columns!(),
                " FROM ", $table, " s LEFT JOIN users ON users.id = s.user_id WHERE s.id = ", $p1, " AND s.expiry_date > ", $p2
            ),
            delete: concat!("DELETE FROM ", $table, " WHERE id = ", $p1),
            delete_expired: concat!("DELETE FROM ", $table, " WHERE ", $expired),
        }
    };
}

const SQLITE: Statements = statements!(
    "tower_sessions",
    "?",
    "?",
    "?",
    "?",
    "datetime(expiry_date) < datetime('now')"
);
const POSTGRES: Statements = statements!(
    "tower_sessions.session",
    "$1",
    "$2",
    "$3",
    "$4",
    "expiry_date < (now() AT TIME ZONE 'utc')"
);

/// Runs one writing statement of [`Statements`], its parameters bound by `$bind`, on the
/// backend's pool; on SQLite within the process's write gate.
macro_rules! write {
    ($store:expr, $statement:ident, |$query:ident| $bind:expr) => {
        match $store {
            SessionStore::Sqlite(pool, writes) => {
                let _turn = writes.lock().await;
                let $query = sqlx::query(SQLITE.$statement);
                $bind.execute(pool).await.map(drop)
            }
            SessionStore::Postgres(pool) => {
                let $query = sqlx::query(POSTGRES.$statement);
                $bind.execute(pool).await.map(drop)
            }
        }
    };
}

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
        let result = write!(self, create, |query| query
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date)
            .bind(user));
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
        write!(self, save, |query| query
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date)
            .bind(user))
        .map_err(backend)?;
        Ok(())
    }

    /// One read: the session, and the row of the user signed in with it (kept for
    /// [`take_loaded_user`]).
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc();
        let loaded = match self {
            Self::Sqlite(pool, _) => sqlx::query(SQLITE.load)
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
                .as_ref()
                .map(split_joined)
                .transpose()?,
            Self::Postgres(pool) => sqlx::query(POSTGRES.load)
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
        write!(self, delete, |query| query.bind(id.to_string())).map_err(backend)
    }
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
    // No user joined: nobody signed in, a session saved before the column, or a deleted user.
    row.try_get::<Option<String>, _>("id").ok()??;
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
        write!(self, delete_expired, |query| query).map_err(backend)
    }
}
