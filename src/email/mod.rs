//! Email: what we send (templates), how it is queued (the `emails` queue, see the store) and
//! how it leaves (SMTP, or the dev mailbox in demo mode).

mod mailer;
pub mod templates;

pub use mailer::{MailError, Mailer, SMTP_TIMEOUT};

/// Why an email is sent. Stored with it, for operators and the dev mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailKind {
    /// The link that finishes a signup.
    ConfirmSignup,
    /// Someone tried to sign up with an address that already has an account.
    AccountExists,
    /// The link that sets a new password.
    PasswordReset,
    /// The password was changed: a heads-up in case it was not the owner.
    PasswordChanged,
    /// A nudge to finish verification.
    Reminder,
    /// LedgerOS decided or asked for something: sent once per status change, whatever the
    /// reminder setting (it is news, not a nudge).
    Decision,
    /// Support answered a denied applicant's appeal.
    AppealAnswer,
    /// The link that confirms an account's deletion.
    DeletionLink,
    /// The deletion was confirmed: when it happens, and how to cancel it.
    DeletionScheduled,
    /// Nobody logged in for months and verification never started: deleted unless they do.
    IdleWarning,
    /// A passkey was added to the account: a heads-up in case it was not the owner.
    PasskeyAdded,
    /// The verification budget opened again: the person waiting for it can start.
    CanStart,
    /// To the admins: the verification budget ran out today (issue 30).
    BudgetReached,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmSignup => "confirm_signup",
            Self::AccountExists => "account_exists",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::Reminder => "reminder",
            Self::Decision => "decision",
            Self::AppealAnswer => "appeal_answer",
            Self::DeletionLink => "deletion_link",
            Self::DeletionScheduled => "deletion_scheduled",
            Self::IdleWarning => "idle_warning",
            Self::PasskeyAdded => "passkey_added",
            Self::CanStart => "can_start",
            Self::BudgetReached => "budget_reached",
        }
    }
}

/// An email ready to queue.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub kind: EmailKind,
    pub to: String,
    pub subject: String,
    /// Plain text: it reads well in every client and screen reader.
    pub body: String,
    /// For reminders: the one-click opt-out (`List-Unsubscribe`, RFC 8058).
    pub unsubscribe_url: Option<String>,
}

impl std::fmt::Debug for OutgoingEmail {
    // The address and the body (which may hold a sign-in link) stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingEmail")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// An email from the queue, claimed for delivery.
#[derive(Clone)]
pub struct QueuedEmail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub unsubscribe_url: Option<String>,
    /// Including the current one.
    pub attempts: i64,
}

/// An email as the dev mailbox shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentEmail {
    pub id: i64,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: i64,
}
