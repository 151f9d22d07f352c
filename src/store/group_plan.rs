//! A group of webhooks decided in memory, the same for every backend.
//!
//! Given what the database holds (the event ids already stored, the people the group names),
//! [`plan`] runs the state machine over the group in order and says which rows to write. Each
//! backend reads and writes in its own way: SQLite binds a prepared statement per row on its
//! writer thread, PostgreSQL sends each table's rows as arrays in one statement. The decisions
//! are made here, once, so a group leaves the rows its events would leave one at a time (a
//! store test checks that on random groups, on both backends).

use std::collections::{HashMap, HashSet};

use crate::clock::Millis;
use crate::email::{OutgoingEmail, templates};
use crate::kyc::{self, KycState, StatusUpdate};
use crate::status::ApplicationStatus;
use crate::store::{EventOutcome, InboxEvent, UserId};

/// Each event's outcome, and the person whose status it touched (to announce once committed).
pub(super) type Applied = Vec<(EventOutcome, Option<UserId>)>;

/// A list of strings as the `required_fields` columns hold it (JSON text, on both backends).
pub(super) fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("strings serialise")
}

/// A person the group names, as read, then as the group leaves them.
pub(super) struct Person {
    pub id: UserId,
    pub kyc: KycState,
    pub changed_at: Millis,
    pub email: String,
    pub first_name: String,
    /// The language saved on the account: their decision emails are written in it.
    pub language: Option<crate::i18n::Lang>,
    /// An event applied (the status changed or was confirmed).
    pub touched: bool,
    /// The status changed: the reminder count and the "came back" mark start over.
    pub changed: bool,
    pub denial_reason: Option<String>,
}

impl Person {
    /// A person as their row reads before the group.
    pub fn new(
        id: UserId,
        kyc: KycState,
        changed_at: Millis,
        email: String,
        first_name: String,
        language: Option<crate::i18n::Lang>,
    ) -> Self {
        Self {
            id,
            kyc,
            changed_at,
            email,
            first_name,
            language,
            touched: false,
            changed: false,
            denial_reason: None,
        }
    }
}

/// The row of an event stored for the first time.
pub(super) struct NewEvent<'a> {
    pub event: &'a InboxEvent,
    /// [`EventOutcome::as_db`]: `None` while it waits for its person.
    pub outcome: Option<String>,
    /// Copies of it later in the same group.
    pub duplicates: i64,
}

/// A status a person moved to, and the event that moved them.
pub(super) struct Change<'a> {
    pub user: UserId,
    pub status: ApplicationStatus,
    pub event_id: &'a str,
}

/// What a group writes, each list in the order its rows are to be written.
pub(super) struct Plan<'a> {
    pub outcomes: Applied,
    pub new_events: Vec<NewEvent<'a>>,
    /// Events stored before the group, and how many more times the group brought each.
    pub stored_again: Vec<(&'a str, i64)>,
    pub changes: Vec<Change<'a>>,
    /// Decision emails, each for the person it names.
    pub emails: Vec<(UserId, OutgoingEmail)>,
    /// The people the group touched, as it leaves them (by id).
    pub people: Vec<Person>,
}

impl Plan<'_> {
    /// The people whose status an event applied to, once each (to announce on commit).
    pub fn announced(&self) -> Vec<&UserId> {
        let mut ids: Vec<&UserId> = self
            .outcomes
            .iter()
            .filter(|(outcome, _)| matches!(outcome, EventOutcome::Applied(_)))
            .filter_map(|(_, user)| user.as_ref())
            .collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        ids.dedup();
        ids
    }
}

/// Decides `events` (in the order given, as the committer sorts them) against `stored`, the
/// ids already in the database, and `people`, by LedgerOS user id. `now` stamps what changes;
/// `public_url` is where links in the decision emails point.
pub(super) fn plan<'a>(
    events: &'a [InboxEvent],
    stored: &HashSet<&str>,
    mut people: HashMap<&str, Person>,
    now: Millis,
    public_url: &str,
) -> Plan<'a> {
    let mut plan = Plan {
        outcomes: Vec::with_capacity(events.len()),
        new_events: Vec::with_capacity(events.len()),
        stored_again: Vec::new(),
        changes: Vec::new(),
        emails: Vec::new(),
        people: Vec::new(),
    };
    // Where each id seen in the group went: a new row (its index), or one stored before.
    let mut seen: HashMap<&str, Seen> = HashMap::with_capacity(events.len());
    for event in events {
        let id = event.id.as_str();
        match seen.get(id) {
            Some(Seen::New(index)) => {
                plan.new_events[*index].duplicates += 1;
                plan.outcomes.push((EventOutcome::Duplicate, None));
                continue;
            }
            Some(Seen::Stored(index)) => {
                plan.stored_again[*index].1 += 1;
                plan.outcomes.push((EventOutcome::Duplicate, None));
                continue;
            }
            None if stored.contains(id) => {
                seen.insert(id, Seen::Stored(plan.stored_again.len()));
                plan.stored_again.push((id, 1));
                plan.outcomes.push((EventOutcome::Duplicate, None));
                continue;
            }
            None => {
                seen.insert(id, Seen::New(plan.new_events.len()));
            }
        }
        let person = event.ledger_user_id.as_deref().and_then(|l| people.get_mut(l));
        let (outcome, user) = match (person, &event.status) {
            (None, Some(_)) if event.ledger_user_id.is_some() => (EventOutcome::Waiting, None),
            (Some(person), Some(status)) => (
                decide(&mut plan, person, event, status, now, public_url),
                Some(person.id.clone()),
            ),
            _ => (EventOutcome::Recorded, None),
        };
        plan.new_events.push(NewEvent {
            event,
            outcome: outcome.as_db(),
            duplicates: 0,
        });
        plan.outcomes.push((outcome, user));
    }
    plan.people = people.into_values().filter(|p| p.touched).collect();
    plan.people.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    plan
}

enum Seen {
    New(usize),
    Stored(usize),
}

/// One event's status through the state machine, for a person the database knows.
fn decide<'a>(
    plan: &mut Plan<'a>,
    person: &mut Person,
    event: &'a InboxEvent,
    status: &ApplicationStatus,
    now: Millis,
    public_url: &str,
) -> EventOutcome {
    let update = StatusUpdate {
        status: status.clone(),
        at_ms: event.created_at_ms,
        required_fields: event.required_fields.clone(),
    };
    let next = match kyc::apply(&person.kyc, &update) {
        Ok(next) => next,
        Err(rejection) => return EventOutcome::Ignored(rejection.to_string()),
    };
    if let ApplicationStatus::Unknown(wire) = &next.status {
        tracing::warn!(user = %person.id, status = %wire, "LedgerOS reported a status we do not know; shown as under review");
    }
    if next.status != person.kyc.status {
        person.changed_at = now;
        person.changed = true;
        plan.changes.push(Change {
            user: person.id.clone(),
            status: next.status.clone(),
            event_id: &event.id,
        });
        let email = templates::decision(
            person.language.unwrap_or_default(),
            &person.email,
            &person.first_name,
            &next.status,
            &next.required_fields,
            public_url,
        );
        if let Some(email) = email {
            plan.emails.push((person.id.clone(), email));
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
