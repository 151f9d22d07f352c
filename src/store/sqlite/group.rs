//! The webhook writer: groups of webhooks stored and applied on SQLite by one thread with a
//! connection of its own, in one hand-off whatever the group's size.
//!
//! Through sqlx, every statement is a round trip between the async task and the connection's
//! thread, and under load each round trip waits its turn for a core; nor can sqlx bind one
//! prepared statement many times in one trip, so a group's rows went to SQLite as JSON, and
//! SQLite spent more time parsing that JSON than writing the rows (a group of 15: 2.1 ms of
//! statements against 0.7 ms with a prepared statement bound per row). Here the committer
//! hands the whole group to this thread and waits once; the thread takes the in-process write
//! gate, begins, reads the ids already stored and the people the group names, runs the state
//! machine in memory over the group in order ([`plan`]), writes each row with a statement
//! prepared once (cached for the connection's life), commits, and answers.
//!
//! A lone delivery is a group of one. A group leaves the same outcomes and rows as its events
//! taken one at a time (a store test checks that on random groups, on both backends). If
//! anything fails, the transaction rolls back and nothing of the group is kept.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{Mutex, oneshot};

use crate::clock::Millis;
use crate::kyc::{KycState, StatusSource};
use crate::status::ApplicationStatus;
use crate::store::group_plan::{Applied, Change, NewEvent, Person, json, plan};
use crate::store::{InboxEvent, StoreError, UserId};

/// A group for the writer thread, and where its answer goes.
struct Group {
    events: Vec<InboxEvent>,
    now: Millis,
    reply: oneshot::Sender<Result<Applied, StoreError>>,
}

/// The handle to the writer thread. The thread stops when the handle is dropped.
#[derive(Debug)]
pub(super) struct WebhookWriter {
    groups: mpsc::Sender<Group>,
}

impl WebhookWriter {
    /// Opens the writer's connection to the database file at `path` (already created and
    /// migrated) and starts its thread. `gate` is the in-process write gate every writer of the
    /// file takes; `public_url` is where links in the decision emails point.
    pub(super) fn start(path: &Path, gate: Arc<Mutex<()>>, public_url: String) -> Result<Self, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // As the pool's connections: WAL (set on the file already), a flush before every
        // commit returns, foreign keys enforced.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(16);
        let (groups, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-webhooks".to_owned())
            .spawn(move || run(conn, &gate, &public_url, &queue))
            .map_err(|e| StoreError::Database(Box::new(e)))?;
        Ok(Self { groups })
    }

    /// Stores and applies `events` (in the order given) in one transaction; returns once it
    /// is committed, or rolled back on an error.
    pub(super) async fn ingest(&self, events: Vec<InboxEvent>, now: Millis) -> Result<Applied, StoreError> {
        const STOPPED: StoreError = StoreError::Unavailable("the SQLite webhook writer has stopped");
        let (reply, answer) = oneshot::channel();
        self.groups
            .send(Group { events, now, reply })
            .map_err(|_| STOPPED)?;
        answer.await.unwrap_or(Err(STOPPED))
    }
}

fn run(mut conn: Connection, gate: &Mutex<()>, public_url: &str, queue: &mpsc::Receiver<Group>) {
    while let Ok(Group { events, now, reply }) = queue.recv() {
        let result = {
            let _turn = gate.blocking_lock();
            ingest_group(&mut conn, public_url, now, &events)
        };
        let _ = reply.send(result);
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(Box::new(e))
    }
}

fn ingest_group(
    conn: &mut Connection,
    public_url: &str,
    now: Millis,
    events: &[InboxEvent],
) -> Result<Applied, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;

    // What is already here: the ids stored, and the people the group names.
    let mut stored = HashSet::new();
    {
        let mut known = tx.prepare_cached("SELECT 1 FROM webhook_events WHERE id = ?1")?;
        for event in events {
            if known.exists([&event.id])? {
                stored.insert(event.id.as_str());
            }
        }
    }
    let mut people: HashMap<&str, Person> = HashMap::new();
    {
        let mut person = tx.prepare_cached(
            "SELECT id, application_status, status_as_of, required_fields, status_changed_at, \
             email, first_name, language FROM users WHERE ledger_user_id = ?1",
        )?;
        for ledger_id in events.iter().filter_map(|e| e.ledger_user_id.as_deref()) {
            if people.contains_key(ledger_id) {
                continue;
            }
            let found = person
                .query_row([ledger_id], |row| {
                    let fields: String = row.get(3)?;
                    let kyc = KycState {
                        status: ApplicationStatus::parse(&row.get::<_, String>(1)?),
                        as_of_ms: row.get(2)?,
                        required_fields: serde_json::from_str(&fields).unwrap_or_default(),
                    };
                    Ok(Person::new(
                        UserId(row.get(0)?),
                        kyc,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get::<_, Option<String>>(7)?
                            .and_then(|code| crate::i18n::Lang::parse(&code)),
                    ))
                })
                .optional()?;
            if let Some(found) = found {
                people.insert(ledger_id, found);
            }
        }
    }

    // The state machine over the group, in order; then each row, with a statement prepared once.
    let plan = plan(events, &stored, people, now, public_url);
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO webhook_events (id, event_type, ledger_user_id, created_at_ms, payload, \
             status, required_fields, received_at, reason, processed_at, outcome, duplicates) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for NewEvent {
            event,
            outcome,
            duplicates,
        } in &plan.new_events
        {
            insert.execute(params![
                event.id,
                event.event_type,
                event.ledger_user_id,
                event.created_at_ms,
                event.payload,
                event.status.as_ref().map(ApplicationStatus::as_str),
                json(&event.required_fields),
                now,
                event.reason,
                outcome.is_some().then_some(now),
                outcome,
                duplicates,
            ])?;
        }
    }
    if !plan.stored_again.is_empty() {
        let mut again =
            tx.prepare_cached("UPDATE webhook_events SET duplicates = duplicates + ?2 WHERE id = ?1")?;
        for (id, times) in &plan.stored_again {
            again.execute(params![id, times])?;
        }
    }
    if !plan.changes.is_empty() {
        let mut change = tx.prepare_cached(
            "INSERT INTO status_changes (user_id, status, source, event_id, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let source = StatusSource::Webhook.as_str();
        for Change {
            user,
            status,
            event_id,
        } in &plan.changes
        {
            change.execute(params![user.0, status.as_str(), source, event_id, now])?;
        }
    }
    if !plan.emails.is_empty() {
        let mut queue = tx.prepare_cached(
            "INSERT INTO emails (user_id, kind, to_address, subject, body, unsubscribe_url, created_at, run_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        )?;
        for (user, email) in &plan.emails {
            queue.execute(params![
                user.0,
                email.kind.as_str(),
                email.to,
                email.subject,
                email.body,
                email.unsubscribe_url,
                now
            ])?;
        }
    }
    // Each person the group moved, once, as the group leaves them.
    if !plan.people.is_empty() {
        let mut person_row = tx.prepare_cached(
            "UPDATE users SET application_status = ?2, status_as_of = ?3, required_fields = ?4, \
             status_changed_at = ?5, \
             returned_at = CASE WHEN ?6 THEN NULL ELSE returned_at END, \
             reminders_sent = CASE WHEN ?6 THEN 0 ELSE reminders_sent END, \
             confirmed_at = ?7, denial_reason = COALESCE(?8, denial_reason) WHERE id = ?1",
        )?;
        for person in &plan.people {
            person_row.execute(params![
                person.id.0,
                person.kyc.status.as_str(),
                person.kyc.as_of_ms,
                json(&person.kyc.required_fields),
                person.changed_at,
                person.changed,
                now,
                person.denial_reason,
            ])?;
        }
    }
    tx.commit()?;
    Ok(plan.outcomes)
}
