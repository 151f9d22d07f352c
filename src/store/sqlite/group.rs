//! A group of webhooks stored and applied on SQLite in two round trips, whatever its size: one
//! begins the write transaction and reads the ids already stored and every person the group
//! names; the state machine runs in memory over the group, in order; the other stores the
//! results (events, people, status history, emails, duplicate counts) and commits.
//!
//! Each query is a round trip to sqlx's SQLite thread, and under load each round trip waits
//! its turn for a core (a few hundred microseconds): one event took seven, so a group of 32
//! took 224. The rows go to SQLite as JSON read with `json_each`, so the statement text never
//! changes: it is prepared once and cached.
//!
//! A lone delivery is a group of one. A group leaves the same outcomes and rows as its events
//! taken one at a time (a store test checks that on random groups, on both backends).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use crate::clock::{Clock, Millis};
use crate::email::templates;
use crate::kyc::{self, KycState, StatusSource, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::rows;
use crate::store::{EventOutcome, InboxEvent, StoreError, UserId};

/// Begins the write transaction, then reads the ids of `?1` already stored (`ledger_user_id`
/// NULL) and the people `?2` names.
const READ: &str = "BEGIN IMMEDIATE; SELECT id, NULL AS ledger_user_id, NULL AS application_status, \
    NULL AS status_as_of, NULL AS required_fields, NULL AS status_changed_at, NULL AS email, \
    NULL AS first_name FROM webhook_events WHERE id IN (SELECT value FROM json_each(?1)) \
    UNION ALL SELECT id, ledger_user_id, application_status, status_as_of, required_fields, \
    status_changed_at, email, first_name FROM users \
    WHERE ledger_user_id IN (SELECT value FROM json_each(?2))";

/// Every write of a group and the commit, in one round trip. Its one parameter is a [`Writes`] as JSON: sqlx
/// binds numbered parameters across several statements only when each statement names every
/// number up to its highest, so all of them read the one document.
const WRITE: &str = "\
    INSERT INTO webhook_events (id, event_type, ledger_user_id, created_at_ms, payload, status, \
      required_fields, received_at, reason, processed_at, outcome) \
    SELECT e.value ->> 'id', e.value ->> 'event_type', e.value ->> 'ledger_user_id', \
      e.value ->> 'created_at_ms', e.value ->> 'payload', e.value ->> 'status', \
      e.value ->> 'required_fields', ?1 ->> 'now', e.value ->> 'reason', \
      e.value ->> 'processed_at', e.value ->> 'outcome' FROM json_each(?1, '$.events') AS e; \
    UPDATE users SET application_status = p.value ->> 'status', \
      status_as_of = p.value ->> 'as_of', required_fields = p.value ->> 'required_fields', \
      status_changed_at = p.value ->> 'changed_at', \
      returned_at = CASE WHEN p.value ->> 'reset' THEN NULL ELSE users.returned_at END, \
      reminders_sent = CASE WHEN p.value ->> 'reset' THEN 0 ELSE users.reminders_sent END, \
      confirmed_at = ?1 ->> 'now', \
      denial_reason = COALESCE(p.value ->> 'denial_reason', users.denial_reason) \
    FROM json_each(?1, '$.people') AS p WHERE users.id = p.value ->> 'id'; \
    INSERT INTO status_changes (user_id, status, source, event_id, at) \
    SELECT c.value ->> 'user_id', c.value ->> 'status', ?1 ->> 'source', c.value ->> 'event_id', \
      ?1 ->> 'now' FROM json_each(?1, '$.changes') AS c; \
    INSERT INTO emails (user_id, kind, to_address, subject, body, unsubscribe_url, created_at, run_at) \
    SELECT m.value ->> 'user_id', m.value ->> 'kind', m.value ->> 'to', m.value ->> 'subject', \
      m.value ->> 'body', m.value ->> 'unsubscribe_url', ?1 ->> 'now', ?1 ->> 'now' \
    FROM json_each(?1, '$.emails') AS m; \
    UPDATE webhook_events SET duplicates = duplicates + \
      (SELECT COUNT(*) FROM json_each(?1, '$.duplicates') AS d WHERE d.value = webhook_events.id) \
    WHERE id IN (SELECT value FROM json_each(?1, '$.duplicates')); \
    COMMIT";

/// What a group writes: the new events, the people it moved, their status changes, the emails
/// those queue, the ids delivered again (once per delivery).
#[derive(Serialize)]
struct Writes<'a> {
    now: Millis,
    source: &'static str,
    events: Vec<EventRow<'a>>,
    people: Vec<PersonRow<'a>>,
    changes: Vec<ChangeRow>,
    emails: Vec<EmailRow>,
    duplicates: Vec<&'a str>,
}

/// A person the group names, as read, then as the group leaves them.
struct Person {
    id: UserId,
    kyc: KycState,
    changed_at: Millis,
    email: String,
    first_name: String,
    /// An event applied (the status changed or was confirmed).
    touched: bool,
    /// The status changed: the reminder count and the "came back" mark start over.
    changed: bool,
    denial_reason: Option<String>,
}

#[derive(Serialize)]
struct EventRow<'a> {
    id: &'a str,
    event_type: &'a str,
    ledger_user_id: Option<&'a str>,
    created_at_ms: Millis,
    payload: &'a str,
    status: Option<&'a str>,
    required_fields: String,
    reason: Option<&'a str>,
    processed_at: Option<Millis>,
    outcome: Option<String>,
}

#[derive(Serialize)]
struct PersonRow<'a> {
    id: &'a str,
    status: &'a str,
    as_of: Option<Millis>,
    required_fields: String,
    changed_at: Millis,
    reset: bool,
    denial_reason: Option<&'a str>,
}

#[derive(Serialize)]
struct ChangeRow {
    user_id: String,
    status: String,
    event_id: String,
}

#[derive(Serialize)]
struct EmailRow {
    user_id: String,
    kind: &'static str,
    to: String,
    subject: String,
    body: String,
    unsubscribe_url: Option<String>,
}

fn json<T: Serialize>(rows: &T) -> String {
    serde_json::to_string(rows).expect("rows of strings and numbers serialise")
}

/// Stores and applies `events` (in the order given) in one write transaction, which it begins
/// and commits on `conn`. On an error the transaction may still be open: the caller rolls it
/// back. The caller also holds the in-process write gate. Returns each event's outcome and the person whose status it touched, to announce once the
/// transaction commits.
pub(super) async fn ingest_group(
    conn: &mut SqliteConnection,
    clock: &Clock,
    public_url: &str,
    events: &[InboxEvent],
) -> Result<Vec<(EventOutcome, Option<UserId>)>, StoreError> {
    let now = clock.now_ms();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let mut ledger_ids: Vec<&str> = events
        .iter()
        .filter_map(|e| e.ledger_user_id.as_deref())
        .collect();
    ledger_ids.sort_unstable();
    ledger_ids.dedup();
    let mut stored = HashSet::new();
    let mut people = HashMap::with_capacity(ledger_ids.len());
    for row in sqlx::query(READ)
        .bind(json(&ids))
        .bind(json(&ledger_ids))
        .fetch_all(&mut *conn)
        .await?
    {
        let Some(ledger_id) = row.try_get::<Option<String>, _>("ledger_user_id")? else {
            stored.insert(row.try_get::<String, _>("id")?);
            continue;
        };
        let person = Person {
            id: UserId(row.try_get("id")?),
            kyc: rows::kyc(&row)?,
            changed_at: row.try_get("status_changed_at")?,
            email: row.try_get("email")?,
            first_name: row.try_get("first_name")?,
            touched: false,
            changed: false,
            denial_reason: None,
        };
        people.insert(ledger_id, person);
    }

    let mut outcomes = Vec::with_capacity(events.len());
    let mut new_events = Vec::with_capacity(events.len());
    let mut duplicates = Vec::new();
    let mut changes = Vec::new();
    let mut emails = Vec::new();
    let mut taken = HashSet::with_capacity(events.len());
    for event in events {
        if stored.contains(&event.id) || !taken.insert(event.id.as_str()) {
            duplicates.push(event.id.as_str());
            outcomes.push((EventOutcome::Duplicate, None));
            continue;
        }
        let person = event.ledger_user_id.as_ref().and_then(|l| people.get_mut(l));
        let (outcome, user) = match (person, &event.status) {
            (None, Some(_)) if event.ledger_user_id.is_some() => (EventOutcome::Waiting, None),
            (Some(person), Some(status)) => {
                let update = StatusUpdate {
                    status: status.clone(),
                    at_ms: event.created_at_ms,
                    required_fields: event.required_fields.clone(),
                };
                let outcome = match kyc::apply(&person.kyc, &update) {
                    Ok(next) => {
                        if let ApplicationStatus::Unknown(wire) = &next.status {
                            tracing::warn!(user = %person.id, status = %wire, "LedgerOS reported a status we do not know; shown as under review");
                        }
                        if next.status != person.kyc.status {
                            person.changed_at = now;
                            person.changed = true;
                            changes.push(ChangeRow {
                                user_id: person.id.0.clone(),
                                status: next.status.as_str().to_owned(),
                                event_id: event.id.clone(),
                            });
                            if let Some(email) = templates::decision(
                                &person.email,
                                &person.first_name,
                                &next.status,
                                &next.required_fields,
                                public_url,
                            ) {
                                emails.push(EmailRow {
                                    user_id: person.id.0.clone(),
                                    kind: email.kind.as_str(),
                                    to: email.to,
                                    subject: email.subject,
                                    body: email.body,
                                    unsubscribe_url: email.unsubscribe_url,
                                });
                            }
                        }
                        if let (ApplicationStatus::Denied, Some(reason)) = (&next.status, &event.reason) {
                            person.denial_reason = Some(reason.clone());
                        }
                        person.touched = true;
                        let applied = next.status.clone();
                        person.kyc = next;
                        EventOutcome::Applied(applied)
                    }
                    Err(rejection) => EventOutcome::Ignored(rejection.to_string()),
                };
                (outcome, Some(person.id.clone()))
            }
            _ => (EventOutcome::Recorded, None),
        };
        let db_outcome = outcome.as_db();
        new_events.push(EventRow {
            id: &event.id,
            event_type: &event.event_type,
            ledger_user_id: event.ledger_user_id.as_deref(),
            created_at_ms: event.created_at_ms,
            payload: &event.payload,
            status: event.status.as_ref().map(ApplicationStatus::as_str),
            required_fields: json(&event.required_fields),
            reason: event.reason.as_deref(),
            processed_at: db_outcome.is_some().then_some(now),
            outcome: db_outcome,
        });
        outcomes.push((outcome, user));
    }

    let touched: Vec<PersonRow> = people
        .values()
        .filter(|p| p.touched)
        .map(|p| PersonRow {
            id: &p.id.0,
            status: p.kyc.status.as_str(),
            as_of: p.kyc.as_of_ms,
            required_fields: json(&p.kyc.required_fields),
            changed_at: p.changed_at,
            reset: p.changed,
            denial_reason: p.denial_reason.as_deref(),
        })
        .collect();
    let writes = Writes {
        now,
        source: StatusSource::Webhook.as_str(),
        events: new_events,
        people: touched,
        changes,
        emails,
        duplicates,
    };
    sqlx::query(WRITE).bind(json(&writes)).execute(&mut *conn).await?;
    Ok(outcomes)
}
