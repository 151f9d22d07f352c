//! The plain view types pages render and server functions return. Shared by the browser and
//! the server; they depend on nothing else in the app.

use onboarding::forms::FieldErrors;
use onboarding::status::ApplicationStatus;
use serde::{Deserialize, Serialize};

/// The signed-in person, for the page header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub first_name: String,
}

/// The signed-in person's details, for their account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// When they signed up, in milliseconds.
    pub signed_up_at: i64,
    /// How long a confirmed deletion waits, and how long a decided verification is held.
    pub deletion_grace_days: i64,
    pub aml_retention_years: i64,
    /// Their passkeys, oldest first.
    pub passkeys: Vec<PasskeySummary>,
    /// Whether passkeys work on this deployment (its address is a domain name).
    pub passkeys_on: bool,
}

/// One of a person's passkeys, as their account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeySummary {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A user's verification as the status pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusView {
    pub first_name: String,
    pub status: ApplicationStatus,
    pub required_fields: Vec<String>,
    /// False while we are still creating the user at LedgerOS ("setting up your verification").
    pub provisioned: bool,
    /// Their verification waits for the fintech's verification budget to open (issue 30).
    #[serde(default)]
    pub waiting_for_budget: bool,
    /// The user came back from the hosted page since the status last changed.
    pub returned: bool,
    /// When the denied user sent their latest appeal (none sent: `None`).
    pub appeal_sent_at: Option<i64>,
    /// When support last answered an appeal (the reply went by email).
    pub appeal_answered_at: Option<i64>,
    /// Reminder emails are on.
    pub reminders: bool,
    /// How long ago LedgerOS last told us this status (a webhook or a read), in seconds.
    pub confirmed_secs_ago: Option<i64>,
}

impl StatusView {
    /// A fingerprint of what the page says, leaving out the clock ("confirmed 2 minutes ago"):
    /// equal fingerprints mean there is nothing new to show.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        (
            &self.first_name,
            self.status.as_str(),
            &self.required_fields,
            self.provisioned,
            self.waiting_for_budget,
            self.returned,
            &self.appeal_sent_at,
            &self.appeal_answered_at,
            self.reminders,
        )
            .hash(&mut hasher);
        hasher.finish()
    }
}

/// The parts of the status page that change with the status, rendered to HTML on the server
/// (from [`StatusView`]): what the live-status island shows, and what each live update sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveFragments {
    /// [`StatusView::fingerprint`] of what these fragments show. An update with the same
    /// fingerprint is not swapped in: the page may show more (a form's errors and the values
    /// typed), which the update, made for every open page alike, does not carry.
    pub fingerprint: u64,
    /// The page's heading, as text.
    pub heading: String,
    /// The status card (HTML).
    pub card: String,
    /// Deposit, cards and the reminder setting (HTML).
    pub extras: String,
}

/// What a form handler leaves for the page it redirects back to: errors and the values to
/// show again (never passwords).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub form: String,
    pub errors: FieldErrors,
    pub values: Vec<(String, String)>,
    pub notice: Option<String>,
}

impl Flash {
    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// Whether emails go to the dev mailbox page (demo mode), given to pages as context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevMailbox(pub bool);

/// Which emailed link a page was opened with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Signup,
    Reset,
    Reminders,
    Deletion,
}

/// What the account pages need to know before they render: whether their link still works
/// (and, for the reminders page, whether reminders are on), and whether this is the demo
/// with a dev mailbox. One server function for all of them keeps the wasm bundle small.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub valid: bool,
    /// For a signup link: the address it confirms, named on the page.
    pub email: Option<String>,
    pub reminders_on: bool,
    pub demo: bool,
    /// For a deletion link: when the account would be deleted if confirmed now.
    pub deletion_due_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> StatusView {
        StatusView {
            first_name: "Ada".into(),
            status: ApplicationStatus::NeedsInformation,
            required_fields: vec!["proofOfAddress".into()],
            provisioned: true,
            waiting_for_budget: false,
            returned: false,
            appeal_sent_at: None,
            appeal_answered_at: None,
            reminders: true,
            confirmed_secs_ago: Some(5),
        }
    }

    #[test]
    fn the_fingerprint_ignores_the_clock_and_follows_what_the_page_says() {
        let later = StatusView {
            confirmed_secs_ago: Some(600),
            ..view()
        };
        assert_eq!(view().fingerprint(), later.fingerprint(), "only time passed");
        let asked_more = StatusView {
            required_fields: vec!["proofOfAddress".into(), "selfie".into()],
            ..view()
        };
        let decided = StatusView {
            status: ApplicationStatus::Approved,
            ..view()
        };
        let answered = StatusView {
            appeal_answered_at: Some(1_796_058_309_000),
            ..view()
        };
        for changed in [asked_more, decided, answered] {
            assert_ne!(view().fingerprint(), changed.fingerprint(), "{changed:?}");
        }
    }
}
