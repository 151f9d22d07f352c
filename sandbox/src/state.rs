//! The sandbox's in-memory state: users by id, verification tokens, idempotency records.

use std::collections::HashMap;

use axum::http::StatusCode;
use rand::Rng;
use serde_json::{Value, json};

use onboarding::i18n::{Key, Lang, msg};
use onboarding::status::ApplicationStatus;

#[derive(Default)]
pub(super) struct State {
    pub users: HashMap<String, User>,
    /// Verification token → user id.
    pub tokens: HashMap<String, String>,
    /// (endpoint, `Idempotency-Key`) → the first response.
    pub idempotency: HashMap<(String, String), (StatusCode, Value)>,
}

/// The state as written to the demo's state file (JSON).
#[derive(serde::Serialize, serde::Deserialize)]
struct Snapshot {
    users: Vec<User>,
    tokens: HashMap<String, String>,
    /// (endpoint, key, status, body).
    idempotency: Vec<(String, String, u16, Value)>,
}

impl State {
    /// The state as JSON, in a stable order (so an unchanged state gives the same bytes).
    pub fn to_json(&self) -> Vec<u8> {
        let mut users: Vec<User> = self.users.values().cloned().collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        let mut idempotency: Vec<(String, String, u16, Value)> = self
            .idempotency
            .iter()
            .map(|((endpoint, key), (status, body))| {
                (endpoint.clone(), key.clone(), status.as_u16(), body.clone())
            })
            .collect();
        idempotency.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let tokens = self.tokens.clone();
        let snapshot = Snapshot {
            users,
            tokens,
            idempotency,
        };
        // A BTreeMap-ordered rendering: serde_json's Value sorts object keys.
        let value = serde_json::to_value(&snapshot).unwrap_or(Value::Null);
        serde_json::to_vec(&value).unwrap_or_default()
    }

    /// The state written by [`State::to_json`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let snapshot: Snapshot = serde_json::from_slice(bytes)?;
        Ok(Self {
            users: snapshot.users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            tokens: snapshot.tokens,
            idempotency: snapshot
                .idempotency
                .into_iter()
                .map(|(endpoint, key, status, body)| {
                    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                    ((endpoint, key), (status, body))
                })
                .collect(),
        })
    }

    pub fn user_by_token(&mut self, token: &str) -> Option<&mut User> {
        let user_id = self.tokens.get(token)?;
        self.users.get_mut(user_id)
    }
}

/// Where the user is on the hosted page. `Review` means the four steps are done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(super) enum Step {
    Personal = 1,
    GovernmentId = 2,
    Selfie = 3,
    Address = 4,
    Review = 5,
}

impl Step {
    pub const FORM_STEPS: [Step; 4] = [Step::Personal, Step::GovernmentId, Step::Selfie, Step::Address];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Step> {
        Self::FORM_STEPS
            .into_iter()
            .chain([Step::Review])
            .find(|s| s.number() == n)
    }

    pub fn next(self) -> Step {
        Step::from_number(self.number() + 1).unwrap_or(Step::Review)
    }

    /// The step's title on the hosted page.
    pub fn title(self) -> Key {
        match self {
            Step::Personal => msg::HOSTED_STEP_PERSONAL,
            Step::GovernmentId => msg::HOSTED_STEP_GOVERNMENT_ID,
            Step::Selfie => msg::HOSTED_STEP_SELFIE,
            Step::Address => msg::HOSTED_STEP_ADDRESS,
            Step::Review => msg::HOSTED_STEP_REVIEW,
        }
    }
}

/// A LedgerOS user as the sandbox keeps it: no SSN, date of birth, address or document bytes.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub created_at: String,
    pub status: ApplicationStatus,
    /// Set once verification is initiated; the URL stays the same from then on.
    pub token: Option<String>,
    pub required_fields: Vec<String>,
    /// Types of documents received (never their content).
    pub documents_received: Vec<String>,
    /// Details received by `PATCH` (field names only; the values are checked and dropped).
    pub details_received: Vec<String>,
    /// The reason of the last denial.
    pub reason: Option<String>,
    pub step: Step,
    /// Bumped by each decision; a scheduled stage of an older decision does nothing.
    pub generation: u64,
    /// What is scheduled to happen, for the controls page (timers do not survive a restart).
    #[serde(skip)]
    pub scheduled: Option<String>,
    /// The language the hosted page was opened in (`?lang=`, which the app adds), kept for the
    /// pages that follow; without it, the browser's `Accept-Language`.
    #[serde(default)]
    pub lang: Option<Lang>,
}

impl User {
    pub fn new(first_name: String, last_name: String, email: String) -> Self {
        let created_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        User {
            id: random_id("user_", 24),
            first_name,
            last_name,
            email,
            created_at,
            status: ApplicationStatus::NotStarted,
            token: None,
            required_fields: Vec::new(),
            documents_received: Vec::new(),
            details_received: Vec::new(),
            reason: None,
            step: Step::Personal,
            generation: 0,
            scheduled: None,
            lang: None,
        }
    }

    /// Records a received document type; when nothing required remains, the application
    /// goes to (simulated) manual review. Returns whether the document was one asked for.
    pub fn receive_document(&mut self, document_type: &str) -> bool {
        if !self.documents_received.iter().any(|d| d == document_type) {
            self.documents_received.push(document_type.to_owned());
        }
        self.satisfy(|f| f == document_type)
    }

    /// Records details sent by `PATCH` (`firstName`, `dateOfBirth`, `address`…): a required
    /// field they answer is done (`address` answers `address.city` too).
    pub fn receive_details(&mut self, fields: &[&str]) -> bool {
        for field in fields {
            if !self.details_received.iter().any(|d| d == field) {
                self.details_received.push((*field).to_owned());
            }
        }
        self.satisfy(|f| fields.iter().any(|d| f == *d || f.starts_with(&format!("{d}."))))
    }

    /// Drops the required fields `done` says are answered; with none left, the application
    /// goes to (simulated) manual review. Returns whether any was required.
    fn satisfy(&mut self, done: impl Fn(&str) -> bool) -> bool {
        let before = self.required_fields.len();
        self.required_fields.retain(|f| !done(f));
        let was_required = self.required_fields.len() != before;
        if self.status == ApplicationStatus::NeedsInformation && self.required_fields.is_empty() {
            self.status = ApplicationStatus::ManualReview;
            tracing::info!(user_id = %self.id, "sandbox: all required documents received, now manualReview");
        }
        was_required
    }

    pub fn json(&self) -> Value {
        json!({
            "object": "user",
            "id": self.id,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "applicationStatus": self.status,
            "createdAt": self.created_at,
            "metadata": {},
        })
    }

    pub fn verification_json(&self, base_url: &str) -> Value {
        let mut body = json!({
            "object": "verification",
            "userId": self.id,
            "applicationStatus": self.status,
        });
        if let Some(token) = &self.token {
            body["verificationUrl"] = json!(format!("{base_url}/verify/{token}"));
        }
        if !self.required_fields.is_empty() {
            body["requiredFields"] = json!(self.required_fields);
        }
        body
    }
}

/// `prefix` followed by `len` random lowercase letters and digits.
pub(super) fn random_id(prefix: &str, len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let mut id = String::with_capacity(prefix.len() + len);
    id.push_str(prefix);
    id.extend((0..len).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char));
    id
}

/// The document types LedgerOS accepts.
pub(super) const DOCUMENT_TYPES: [&str; 6] = [
    "passport",
    "driversLicense",
    "nationalId",
    "proofOfAddress",
    "governmentIdBack",
    "selfie",
];
