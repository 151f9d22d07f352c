//! The forms people post, as the server reads them (`application/x-www-form-urlencoded` into
//! the same types): reading and checking never panic, what passes is well formed, and the
//! post-login destination never leaves the site.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onboarding::details::{self, DetailField, DetailsForm};
use onboarding::forms::{self, Email, LoginForm, SignupForm};
use onboarding_fuzz::within_limit;

fuzz_target!(|data: &[u8]| {
    within_limit(data, |data| {
        if let Ok(form) = serde_urlencoded::from_bytes::<SignupForm>(data) {
            let shown = form.redisplay();
            assert!(shown.iter().all(|(name, _)| name != "password"));
            if let Ok(valid) = form.clone().validate(onboarding::i18n::Lang::En) {
                assert!(valid.email.as_str().contains('@'));
                assert!(forms::check_new_password(&valid.password).is_ok());
                assert!(!valid.first_name.as_str().trim().is_empty());
            }
        }
        if let Ok(form) = serde_urlencoded::from_bytes::<LoginForm>(data) {
            let _ = Email::parse(&form.email);
            if let Some(next) = forms::safe_next(form.next.as_deref()) {
                stays_here(&next);
            }
        }
        if let Ok(form) = serde_urlencoded::from_bytes::<DetailsForm>(data) {
            let _ = details::validate(&form, &DetailField::ALL, onboarding::i18n::Lang::Ar);
            let _ = details::validate(&form, &[DetailField::Address], onboarding::i18n::Lang::Es);
            assert!(form.values().iter().all(|(_, v)| !v.is_empty()));
        }
        // The same bytes as one raw value, as a person might type anything into one field.
        let text = String::from_utf8_lossy(data);
        let _ = Email::parse(&text);
        let _ = forms::check_new_password(&text);
        if let Some(next) = forms::safe_next(Some(&text)) {
            stays_here(&next);
        }
    });
});

/// A kept destination is a local path that a browser reads exactly as we did: no control
/// characters or spaces, not `//` (another host), and checking it again changes nothing.
fn stays_here(next: &str) {
    assert!(next.starts_with('/') && !next.starts_with("//"), "{next:?}");
    assert!(!next.chars().any(|c| c.is_control() || c == ' '), "{next:?}");
    assert_eq!(
        forms::safe_next(Some(next)).as_deref(),
        Some(next),
        "not a fixed point"
    );
}
