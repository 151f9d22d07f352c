//! The KYC state machine: which status may follow which, and which updates are too old.
//!
//! Pure code: the store calls [`apply`] inside the transaction that writes its result, so every
//! source of truth (webhooks, the reconciler, a fetch on return) goes through the same rules.

use crate::clock::Millis;
use crate::status::ApplicationStatus;

/// What we know about one user's verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KycState {
    pub status: ApplicationStatus,
    /// When LedgerOS produced the status we hold; `None` before any update.
    pub as_of_ms: Option<Millis>,
    /// Documents LedgerOS asked for (only meaningful in `needsInformation`).
    pub required_fields: Vec<String>,
}

impl KycState {
    /// A user who has not been sent to verification yet.
    pub fn not_started() -> Self {
        Self {
            status: ApplicationStatus::NotStarted,
            as_of_ms: None,
            required_fields: Vec::new(),
        }
    }
}

/// A status reported by LedgerOS at a point in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusUpdate {
    pub status: ApplicationStatus,
    pub at_ms: Millis,
    pub required_fields: Vec<String>,
}

/// How a status reached us: kept with each change, for operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusSource {
    /// A webhook from LedgerOS.
    Webhook,
    /// LedgerOS's answer when verification was started.
    Initiation,
    /// A read when the person came back from the hosted page.
    Return,
    /// A read by the reconciler (webhooks may be lost).
    Reconciler,
    /// A read at login or when the status page was opened.
    Check,
    /// A read after the person sent details or a document.
    AfterChange,
    /// A read an operator asked for in the console.
    Operator,
    /// A stored webhook an admin applied again from the console.
    Replay,
}

impl StatusSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Initiation => "initiation",
            Self::Return => "return",
            Self::Reconciler => "reconciler",
            Self::Check => "check",
            Self::AfterChange => "after_change",
            Self::Operator => "operator",
            Self::Replay => "replay",
        }
    }

    /// In words, for the console's timeline ("from …").
    pub fn describe(source: &str) -> &'static str {
        match source {
            "webhook" => "a webhook",
            "initiation" => "starting verification",
            "return" => "the return from the hosted page",
            "reconciler" => "the reconciler",
            "check" => "a check at login or on the status page",
            "after_change" => "a check after details or a document were sent",
            "operator" => "an operator's refresh",
            "replay" => "an admin's replay of a stored webhook",
            _ => "somewhere unknown",
        }
    }
}

/// Why an update was not applied. Both are normal: the update is recorded and acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the update is older than the status we hold")]
    Stale,
    #[error("{from} may not be followed by {to}")]
    NotAllowed {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
}

/// Whether `to` may follow `from`. Terminal states leave only by documented transitions:
/// an approved or denied account may be locked, a locked one may be released to a decision.
pub fn may_follow(from: &ApplicationStatus, to: &ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    if from == to {
        return true;
    }
    match (from, to) {
        // Nobody goes back to "not started" once verification exists.
        (_, NotStarted) => false,
        (Approved | Denied, Locked) => true,
        (Approved | Denied | Canceled, _) => false,
        (Locked, Approved | Denied | Canceled) => true,
        (Locked, _) => false,
        // notStarted, pending, needsInformation, needsVerification, manualReview and unknown
        // statuses are all in flight: any later report may replace them.
        _ => true,
    }
}

/// The state after `update`, or why `state` stays as it is.
///
/// An update older than the one we applied last never moves the user: webhooks arrive out of
/// order, and a poll may return after a newer webhook. Equal timestamps are applied, which makes
/// re-applying the same update a no-op rather than an error.
pub fn apply(state: &KycState, update: &StatusUpdate) -> Result<KycState, Rejection> {
    if state.as_of_ms.is_some_and(|as_of| update.at_ms < as_of) {
        return Err(Rejection::Stale);
    }
    if !may_follow(&state.status, &update.status) {
        return Err(Rejection::NotAllowed {
            from: state.status.clone(),
            to: update.status.clone(),
        });
    }
    let required_fields = if update.status == ApplicationStatus::NeedsInformation {
        update.required_fields.clone()
    } else {
        Vec::new()
    };
    Ok(KycState {
        status: update.status.clone(),
        as_of_ms: Some(update.at_ms),
        required_fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;
    use proptest::prelude::*;

    fn update(status: ApplicationStatus, at_ms: Millis) -> StatusUpdate {
        StatusUpdate {
            status,
            at_ms,
            required_fields: Vec::new(),
        }
    }

    fn run(events: &[StatusUpdate]) -> KycState {
        events.iter().fold(KycState::not_started(), |state, u| {
            apply(&state, u).unwrap_or(state)
        })
    }

    #[test]
    fn the_happy_path_reaches_approved() {
        let state = run(&[update(Pending, 1), update(Approved, 2)]);
        assert_eq!(state.status, Approved);
        assert_eq!(state.as_of_ms, Some(2));
    }

    #[test]
    fn an_older_event_never_moves_the_user_backwards() {
        let approved = apply(&KycState::not_started(), &update(Approved, 10)).unwrap();
        assert_eq!(apply(&approved, &update(Pending, 5)), Err(Rejection::Stale));
    }

    #[test]
    fn needs_information_keeps_its_required_fields_and_other_statuses_clear_them() {
        let fields = vec!["proofOfAddress".to_owned(), "governmentIdBack".to_owned()];
        let ask = StatusUpdate {
            status: NeedsInformation,
            at_ms: 1,
            required_fields: fields.clone(),
        };
        let state = apply(&KycState::not_started(), &ask).unwrap();
        assert_eq!(state.required_fields, fields);
        let state = apply(&state, &update(ManualReview, 2)).unwrap();
        assert!(state.required_fields.is_empty());
    }

    #[test]
    fn terminal_states_leave_only_by_documented_transitions() {
        assert!(may_follow(&Approved, &Locked));
        assert!(may_follow(&Denied, &Locked));
        assert!(!may_follow(&Approved, &Denied));
        assert!(!may_follow(&Denied, &Approved));
        assert!(!may_follow(&Approved, &Pending));
        assert!(!may_follow(&Canceled, &Pending));
        assert!(!may_follow(&Pending, &NotStarted));
        assert!(may_follow(&Locked, &Approved));
    }

    #[test]
    fn an_unknown_status_is_in_flight_not_terminal() {
        let odd = Unknown("underAudit".into());
        assert!(may_follow(&Pending, &odd));
        assert!(may_follow(&odd, &Approved));
        assert!(!may_follow(&Approved, &odd));
    }

    fn any_status() -> impl Strategy<Value = ApplicationStatus> {
        prop_oneof![
            proptest::sample::select(ApplicationStatus::KNOWN.to_vec()),
            Just(Unknown("somethingNew".into())),
        ]
    }

    fn any_update() -> impl Strategy<Value = StatusUpdate> {
        (any_status(), 0i64..1_000).prop_map(|(status, at_ms)| update(status, at_ms))
    }

    proptest! {
        #[test]
        fn applied_timestamps_never_decrease(events in proptest::collection::vec(any_update(), 0..20)) {
            let mut state = KycState::not_started();
            for u in &events {
                if let Ok(next) = apply(&state, u) {
                    prop_assert!(next.as_of_ms >= state.as_of_ms);
                    state = next;
                }
            }
        }

        #[test]
        fn delivering_an_event_twice_is_the_same_as_once(events in proptest::collection::vec(any_update(), 1..12), dup in 0usize..12) {
            let dup = dup % events.len();
            let mut doubled = events.clone();
            doubled.insert(dup + 1, events[dup].clone());
            prop_assert_eq!(run(&events), run(&doubled));
        }

        #[test]
        fn a_terminal_status_is_left_only_by_a_documented_transition(events in proptest::collection::vec(any_update(), 0..20)) {
            let mut state = KycState::not_started();
            for u in &events {
                if let Ok(next) = apply(&state, u) {
                    if next.status != state.status {
                        match state.status {
                            Approved | Denied => prop_assert_eq!(&next.status, &Locked),
                            Canceled => prop_assert!(false, "canceled was left"),
                            Locked => prop_assert!(matches!(next.status, Approved | Denied | Canceled)),
                            _ => {}
                        }
                    }
                    state = next;
                }
            }
        }

        /// However in-flight events and the final decision are shuffled, the decision wins.
        #[test]
        fn the_newest_decision_wins_in_any_delivery_order(
            in_flight in proptest::collection::vec(
                proptest::sample::select(vec![Pending, NeedsInformation, NeedsVerification, ManualReview]), 0..8),
            approve in any::<bool>(),
            order in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
        ) {
            let decision = if approve { Approved } else { Denied };
            let mut events: Vec<StatusUpdate> = in_flight.into_iter().enumerate()
                .map(|(i, s)| update(s, i as Millis)).collect();
            events.push(update(decision.clone(), 100));
            // A deterministic shuffle driven by the generated seed.
            let mut seed = order;
            for i in (1..events.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                events.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let state = run(&events);
            prop_assert_eq!(state.status, decision);
            prop_assert_eq!(state.as_of_ms, Some(100));
        }
    }
}
