//! A webhook body, once its signature passed: parsing never panics, and whatever it yields
//! goes through the KYC state machine without breaking its rules (an older update never moves
//! a user; a decided user leaves only by a documented transition).

#![no_main]

use libfuzzer_sys::fuzz_target;
use onboarding::kyc::{self, KycState, StatusUpdate};
use onboarding::status::ApplicationStatus;
use onboarding::webhook::ParsedEvent;
use onboarding_fuzz::within_limit;

fuzz_target!(|data: &[u8]| {
    within_limit(data, |data| {
        let Ok(event) = ParsedEvent::from_json(data) else {
            return;
        };
        assert!(!event.id.as_str().is_empty() && event.id.as_str().chars().count() <= 255);
        assert_eq!(event.type_name.is_empty(), false);
        let Some(status) = event.target_status() else {
            return;
        };
        let update = StatusUpdate {
            status,
            at_ms: event.created_at_ms,
            required_fields: event.required_fields.clone(),
        };
        for held in [
            ApplicationStatus::NotStarted,
            ApplicationStatus::Pending,
            ApplicationStatus::NeedsInformation,
            ApplicationStatus::Approved,
            ApplicationStatus::Denied,
            ApplicationStatus::Locked,
        ] {
            for as_of in [None, Some(event.created_at_ms.saturating_add(1)), Some(i64::MIN)] {
                let state = KycState {
                    status: held.clone(),
                    as_of_ms: as_of,
                    required_fields: Vec::new(),
                };
                match kyc::apply(&state, &update) {
                    Ok(next) => {
                        assert!(
                            as_of.is_none_or(|t| t <= update.at_ms),
                            "an older update moved a user"
                        );
                        assert!(kyc::may_follow(&held, &next.status));
                        assert_eq!(next.as_of_ms, Some(update.at_ms));
                        if next.status != ApplicationStatus::NeedsInformation {
                            assert!(next.required_fields.is_empty());
                        }
                    }
                    Err(_) => {}
                }
            }
        }
    });
});
