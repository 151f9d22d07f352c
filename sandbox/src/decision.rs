//! What a (simulated) review decides, and how its webhooks travel.

use std::time::Duration;

/// The result of a (simulated) review, as chosen on the controls page or by a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `approved`, event `user.application.approved`.
    Approve,
    /// `denied`, event `user.application.denied` with `data.reason`.
    Deny { reason: String },
    /// `needsInformation`, event `user.application.needs_info` with `data.requiredFields`
    /// (e.g. `proofOfAddress`, `governmentIdBack`, `selfie`). Uploading every one of them
    /// (API `PUT …/document` or the hosted page) moves the user to `manualReview`, silently.
    NeedsInformation { required_fields: Vec<String> },
    /// `needsVerification`, event `user.application.updated`; the hosted page starts again
    /// at step 1 and finishing it puts the user back to `pending`.
    NeedsVerification,
    /// `manualReview` now (event `user.application.updated`), then `then` after `after`
    /// (its own event). `then` may not itself be a manual review.
    ManualReview { then: Box<Outcome>, after: Duration },
    /// `locked`, event `user.application.updated`.
    Lock,
}

impl Outcome {
    pub(crate) fn validate(&self) -> Result<(), SandboxError> {
        match self {
            Outcome::Deny { reason } if reason.trim().is_empty() => {
                Err(SandboxError::InvalidOutcome("a denial needs a reason".into()))
            }
            Outcome::NeedsInformation { required_fields }
                if required_fields.is_empty() || required_fields.iter().any(|f| f.trim().is_empty()) =>
            {
                Err(SandboxError::InvalidOutcome(
                    "needs information requires at least one (non-blank) required field".into(),
                ))
            }
            Outcome::ManualReview { then, .. } => match **then {
                Outcome::ManualReview { .. } => Err(SandboxError::InvalidOutcome(
                    "a manual review cannot end in another manual review".into(),
                )),
                ref other => other.validate(),
            },
            _ => Ok(()),
        }
    }

    /// A short description for the controls page, e.g. "approve" or "deny (Sanctions list match)".
    pub(crate) fn describe(&self) -> String {
        match self {
            Outcome::Approve => "approve".into(),
            Outcome::Deny { reason } => format!("deny ({reason})"),
            Outcome::NeedsInformation { required_fields } => {
                format!("needs information ({})", required_fields.join(", "))
            }
            Outcome::NeedsVerification => "needs verification".into(),
            Outcome::ManualReview { then, after } => {
                format!(
                    "manual review, then {} after {} s",
                    then.describe(),
                    after.as_secs()
                )
            }
            Outcome::Lock => "lock".into(),
        }
    }
}

/// How the webhooks of a decision are delivered: the knobs to exercise the app's
/// idempotency, ordering and reconciliation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WebhookMode {
    /// Each event once, as soon as its status changes.
    #[default]
    Normal,
    /// Each event twice (same id, same body), the second after the first was acknowledged.
    Duplicate,
    /// Each event sent this long after its status changed.
    Late(Duration),
    /// For a manual review: the final event is delivered first, then the `manualReview` one
    /// (older `createdAt`). Same as `Normal` for single-event outcomes.
    Reversed,
    /// No webhook at all: the status changes silently (the app's reconciler must notice).
    Skip,
}

/// A full decision: the outcome plus when it takes effect and how its webhooks travel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// How long the status stays as it is before the outcome applies (simulated automated
    /// review). Zero applies it before [`Sandbox::decide_with`] returns.
    pub delay: Duration,
    pub webhooks: WebhookMode,
}

impl From<Outcome> for Decision {
    fn from(outcome: Outcome) -> Self {
        Decision {
            outcome,
            delay: Duration::ZERO,
            webhooks: WebhookMode::Normal,
        }
    }
}

/// Why the sandbox refused a decision.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SandboxError {
    #[error("no such user: {0}")]
    UnknownUser(String),
    #[error("invalid outcome: {0}")]
    InvalidOutcome(String),
}
