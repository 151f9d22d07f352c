//! What we say to applicants about each status: one place, plain words, always a next step.

use onboarding::status::ApplicationStatus;

/// What the person can do next from the status card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextAction {
    /// Send them to LedgerOS's hosted page, with this button text.
    Verify(&'static str),
    /// Upload the documents LedgerOS asked for, with the forms on the status card.
    Upload,
    /// Nothing to do but wait; the page updates itself.
    Wait,
    /// Deposit and cards are open.
    UseAccount,
    /// Only support can help.
    ContactSupport,
}

/// The words for one status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCopy {
    pub title: &'static str,
    pub body: &'static str,
    pub next: &'static str,
    pub action: NextAction,
    /// A CSS modifier: `progress`, `attention`, `success` or `stopped`.
    pub tone: &'static str,
}

pub use onboarding::contact::SUPPORT_EMAIL;

/// "Last confirmed with LedgerOS 3 minutes ago."
pub fn confirmed_ago(secs: i64) -> String {
    let ago = match secs {
        ..=59 => return "Last confirmed with LedgerOS just now.".to_owned(),
        60..=119 => "1 minute".to_owned(),
        120..=3_599 => format!("{} minutes", secs / 60),
        3_600..=7_199 => "1 hour".to_owned(),
        7_200..=86_399 => format!("{} hours", secs / 3_600),
        86_400..=172_799 => "1 day".to_owned(),
        _ => format!("{} days", secs / 86_400),
    };
    format!("Last confirmed with LedgerOS {ago} ago.")
}

/// Under every document upload input.
pub const UPLOAD_HINT: &str = "PDF, JPEG or PNG, up to 10 MB";

/// The flash error field for a problem with the file sent for `kind`: `POST /documents` sets
/// it, the upload form of that document shows it next to its input.
pub fn upload_error_field(kind: onboarding::documents::DocumentType) -> String {
    format!("document-{}", kind.as_str())
}

/// Shown while we are still creating the user at LedgerOS.
pub const SETTING_UP: StatusCopy = StatusCopy {
    title: "Setting up your verification",
    body: "We're preparing your identity verification with LedgerOS, our verification partner.",
    next: "This usually takes a few seconds. You can start as soon as it's ready, or come back later: your account is saved.",
    action: NextAction::Verify("Start verification"),
    tone: "progress",
};

/// Pending, but the user has been through the hosted page and come back.
pub const WAITING_FOR_LEDGER: StatusCopy = StatusCopy {
    title: "We're waiting for LedgerOS",
    body: "Thanks for completing verification. LedgerOS is checking your details: this usually takes 1–5 minutes.",
    next: "This page updates by itself as soon as there's a decision. If you closed the verification page before finishing, continue where you left off.",
    action: NextAction::Verify("Continue verification"),
    tone: "progress",
};

/// The words for what the card shows: setting up, waiting after a return, or the status itself.
pub fn card_copy(status: &ApplicationStatus, provisioned: bool, returned: bool) -> StatusCopy {
    match status {
        _ if !provisioned => SETTING_UP,
        ApplicationStatus::Pending if returned => WAITING_FOR_LEDGER,
        other => status_copy(other),
    }
}

pub fn status_copy(status: &ApplicationStatus) -> StatusCopy {
    use ApplicationStatus::*;
    match status {
        NotStarted => StatusCopy {
            title: "Verify your identity to get started",
            body: "Before you can deposit money or get a card, we need to confirm who you are. It takes about 5–10 minutes.",
            next: "You'll go to LedgerOS's secure page, then come back here.",
            action: NextAction::Verify("Start verification"),
            tone: "attention",
        },
        Pending => StatusCopy {
            title: "Verification in progress",
            body: "Finish the four steps on LedgerOS's secure page: personal information, a photo of your ID, a selfie and your address. If you've already finished, LedgerOS is checking your details: that usually takes 1–5 minutes.",
            next: "Continue where you left off, or wait here: this page updates by itself.",
            action: NextAction::Verify("Continue verification"),
            tone: "progress",
        },
        NeedsInformation => StatusCopy {
            title: "We need a few more documents",
            body: "LedgerOS couldn't confirm everything automatically and needs the documents listed below.",
            next: "Upload each document here. Once LedgerOS has them all, a person there reviews your details, usually within 1–2 business days.",
            action: NextAction::Upload,
            tone: "attention",
        },
        NeedsVerification => StatusCopy {
            title: "Please verify again",
            body: "LedgerOS needs you to go through verification once more, for example because a photo was unclear.",
            next: "It takes about 5–10 minutes. You'll come back here when you're done.",
            action: NextAction::Verify("Verify again"),
            tone: "attention",
        },
        ManualReview => StatusCopy {
            title: "Verification in progress",
            body: "A person at LedgerOS is reviewing your details. This usually takes 1–2 business days.",
            next: "There's nothing you need to do. This page shows the decision as soon as it's made.",
            action: NextAction::Wait,
            tone: "progress",
        },
        Approved => StatusCopy {
            title: "You're verified",
            body: "Your identity is confirmed. Deposits and cards are now open to you.",
            next: "Make your first deposit, then order your card.",
            action: NextAction::UseAccount,
            tone: "success",
        },
        Denied => StatusCopy {
            title: "We couldn't verify your identity",
            body: "LedgerOS could not approve your verification, and it can't be tried again.",
            next: "If you think this is a mistake, contact our support team to appeal.",
            action: NextAction::ContactSupport,
            tone: "stopped",
        },
        Locked => StatusCopy {
            title: "Your account is locked",
            body: "Your account has been locked, so deposits and cards are paused.",
            next: "Contact our support team: they'll tell you why and what to do.",
            action: NextAction::ContactSupport,
            tone: "stopped",
        },
        Canceled => StatusCopy {
            title: "Verification closed",
            body: "This verification was closed and can't be continued.",
            next: "Contact our support team if you'd like to open your account again.",
            action: NextAction::ContactSupport,
            tone: "stopped",
        },
        Unknown(_) => StatusCopy {
            title: "Verification under review",
            body: "Your verification is being processed.",
            next: "There's nothing you need to do right now. This page shows any news as soon as we have it.",
            action: NextAction::Wait,
            tone: "progress",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_title_and_a_next_step() {
        let mut all = ApplicationStatus::KNOWN.to_vec();
        all.push(ApplicationStatus::Unknown("brandNew".into()));
        for status in all {
            let copy = status_copy(&status);
            assert!(!copy.title.is_empty() && !copy.next.is_empty(), "{status}");
        }
    }

    #[test]
    fn documents_asked_for_are_uploaded_on_the_status_page() {
        let copy = status_copy(&ApplicationStatus::NeedsInformation);
        assert_eq!(copy.action, NextAction::Upload);
        assert!(copy.next.contains("Upload each document"));
    }
}
