//! Groups of webhooks on PostgreSQL, in five statements whatever the group's size.
//!
//! One event at a time took a dozen round trips to the server (lock, insert, find the person,
//! lock their row, update it, history, email, notifications, outcome). A group takes five:
//! the advisory locks of every LedgerOS user it names (in one fixed order, so groups on two
//! instances never wait for each other in a circle), the ids already stored, the people's rows
//! (locked), then, after the state machine has run over the group in memory
//! ([`plan`]), one statement that writes every table's rows as arrays and announces the
//! changes, and the commit. The locks come in a statement of their own because a statement
//! reads what was committed when it began: the reads must begin after the locks are held.

use std::collections::{HashMap, HashSet};

use sqlx::{PgConnection, Row};

use super::{MAIL_CHANNEL, STATUS_CHANNEL};
use crate::clock::Millis;
use crate::kyc::StatusSource;
use crate::status::ApplicationStatus;
use crate::store::group_plan::{Applied, Person, json, plan};
use crate::store::{InboxEvent, StoreError, UserId, rows};

/// Every row the group leaves, in one statement: the new events, the repeats of stored ones,
/// status history, decision emails, the people as the group leaves them, and the notifications
/// (sent on commit). Statements in `WITH` all run, each to completion; none writes a row
/// another one touches.
const WRITE: &str = "\
WITH new_events AS ( \
  INSERT INTO webhook_events (id, event_type, ledger_user_id, created_at_ms, payload, status, \
    required_fields, received_at, reason, processed_at, outcome, duplicates) \
  SELECT e.id, e.event_type, e.ledger_user_id, e.created_at_ms, e.payload, e.status, \
    e.required_fields, $1, e.reason, CASE WHEN e.outcome IS NULL THEN NULL ELSE $1 END, \
    e.outcome, e.duplicates \
  FROM unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], \
    $8::text[], $9::text[], $10::text[], $11::int8[]) \
    AS e(id, event_type, ledger_user_id, created_at_ms, payload, status, required_fields, reason, \
    outcome, duplicates) \
), again AS ( \
  UPDATE webhook_events AS w SET duplicates = w.duplicates + a.times \
  FROM unnest($12::text[], $13::int8[]) AS a(id, times) WHERE w.id = a.id \
), changes AS ( \
  INSERT INTO status_changes (user_id, status, source, event_id, at) \
  SELECT c.user_id, c.status, $14, c.event_id, $1 \
  FROM unnest($15::text[], $16::text[], $17::text[]) WITH ORDINALITY AS c(user_id, status, event_id, n) \
  ORDER BY c.n \
), emails AS ( \
  INSERT INTO emails (user_id, kind, to_address, subject, body, unsubscribe_url, created_at, run_at) \
  SELECT m.user_id, m.kind, m.to_address, m.subject, m.body, m.unsubscribe_url, $1, $1 \
  FROM unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[]) \
    WITH ORDINALITY AS m(user_id, kind, to_address, subject, body, unsubscribe_url, n) \
  ORDER BY m.n \
), people AS ( \
  UPDATE users AS u SET application_status = p.status, status_as_of = p.as_of, \
    required_fields = p.required_fields, status_changed_at = p.changed_at, \
    returned_at = CASE WHEN p.changed THEN NULL ELSE u.returned_at END, \
    reminders_sent = CASE WHEN p.changed THEN 0 ELSE u.reminders_sent END, \
    confirmed_at = $1, denial_reason = COALESCE(p.denial_reason, u.denial_reason) \
  FROM unnest($24::text[], $25::text[], $26::int8[], $27::text[], $28::int8[], $29::bool[], \
    $30::text[]) AS p(id, status, as_of, required_fields, changed_at, changed, denial_reason) \
  WHERE u.id = p.id \
) \
SELECT pg_notify(n.channel, n.payload) FROM unnest($31::text[], $32::text[]) AS n(channel, payload)";

/// Stores and applies `events` (in the order given) inside the caller's transaction.
pub(super) async fn ingest_group(
    tx: &mut PgConnection,
    now: Millis,
    public_url: &str,
    events: &[InboxEvent],
) -> Result<Applied, StoreError> {
    let ledger_ids: Vec<&str> = events
        .iter()
        .filter_map(|e| e.ledger_user_id.as_deref())
        .collect();
    if !ledger_ids.is_empty() {
        // The same key as a lone update's lock; sorted, each once (OFFSET 0 keeps the order:
        // the subquery is not folded into the outer query).
        sqlx::query(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(l, 0) AS k \
             FROM unnest($1::text[]) AS l ORDER BY k OFFSET 0) AS keys",
        )
        .bind(&ledger_ids)
        .execute(&mut *tx)
        .await?;
    }
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let stored_rows = sqlx::query("SELECT id FROM webhook_events WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
    let stored_ids: Vec<String> = stored_rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let stored: HashSet<&str> = stored_ids.iter().map(String::as_str).collect();
    let mut keys = Vec::new();
    let mut found = Vec::new();
    if !ledger_ids.is_empty() {
        let rows = sqlx::query(
            "SELECT ledger_user_id, id, application_status, status_as_of, required_fields, \
             status_changed_at, email, first_name, language FROM users WHERE ledger_user_id = ANY($1) \
             ORDER BY id FOR UPDATE",
        )
        .bind(&ledger_ids)
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            keys.push(row.try_get::<String, _>("ledger_user_id")?);
            found.push(Person::new(
                UserId(row.try_get("id")?),
                rows::kyc(row)?,
                row.try_get("status_changed_at")?,
                row.try_get("email")?,
                row.try_get("first_name")?,
                rows::saved_language(row)?,
            ));
        }
    }
    let people: HashMap<&str, Person> = keys.iter().map(String::as_str).zip(found).collect();

    let plan = plan(events, &stored, people, now, public_url);

    let new = &plan.new_events;
    let mut notify: Vec<(&str, &str)> = plan
        .announced()
        .into_iter()
        .map(|user| (STATUS_CHANNEL, user.0.as_str()))
        .collect();
    if !plan.emails.is_empty() {
        // Wakes a mail worker on every instance.
        notify.push((MAIL_CHANNEL, ""));
    }
    sqlx::query(WRITE)
        .bind(now)
        .bind(new.iter().map(|n| n.event.id.as_str()).collect::<Vec<_>>())
        .bind(
            new.iter()
                .map(|n| n.event.event_type.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            new.iter()
                .map(|n| n.event.ledger_user_id.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(new.iter().map(|n| n.event.created_at_ms).collect::<Vec<_>>())
        .bind(new.iter().map(|n| n.event.payload.as_str()).collect::<Vec<_>>())
        .bind(
            new.iter()
                .map(|n| n.event.status.as_ref().map(ApplicationStatus::as_str))
                .collect::<Vec<_>>(),
        )
        .bind(
            new.iter()
                .map(|n| json(&n.event.required_fields))
                .collect::<Vec<_>>(),
        )
        .bind(new.iter().map(|n| n.event.reason.as_deref()).collect::<Vec<_>>())
        .bind(new.iter().map(|n| n.outcome.as_deref()).collect::<Vec<_>>())
        .bind(new.iter().map(|n| n.duplicates).collect::<Vec<_>>())
        .bind(plan.stored_again.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(
            plan.stored_again
                .iter()
                .map(|(_, times)| *times)
                .collect::<Vec<_>>(),
        )
        .bind(StatusSource::Webhook.as_str())
        .bind(plan.changes.iter().map(|c| c.user.0.as_str()).collect::<Vec<_>>())
        .bind(plan.changes.iter().map(|c| c.status.as_str()).collect::<Vec<_>>())
        .bind(plan.changes.iter().map(|c| c.event_id).collect::<Vec<_>>())
        .bind(
            plan.emails
                .iter()
                .map(|(user, _)| user.0.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            plan.emails
                .iter()
                .map(|(_, m)| m.kind.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(plan.emails.iter().map(|(_, m)| m.to.as_str()).collect::<Vec<_>>())
        .bind(
            plan.emails
                .iter()
                .map(|(_, m)| m.subject.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            plan.emails
                .iter()
                .map(|(_, m)| m.body.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            plan.emails
                .iter()
                .map(|(_, m)| m.unsubscribe_url.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(plan.people.iter().map(|p| p.id.0.as_str()).collect::<Vec<_>>())
        .bind(
            plan.people
                .iter()
                .map(|p| p.kyc.status.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(plan.people.iter().map(|p| p.kyc.as_of_ms).collect::<Vec<_>>())
        .bind(
            plan.people
                .iter()
                .map(|p| json(&p.kyc.required_fields))
                .collect::<Vec<_>>(),
        )
        .bind(plan.people.iter().map(|p| p.changed_at).collect::<Vec<_>>())
        .bind(plan.people.iter().map(|p| p.changed).collect::<Vec<_>>())
        .bind(
            plan.people
                .iter()
                .map(|p| p.denial_reason.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(notify.iter().map(|(channel, _)| *channel).collect::<Vec<_>>())
        .bind(notify.iter().map(|(_, payload)| *payload).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    Ok(plan.outcomes)
}
