//! What we say to applicants about each status: one place, plain words, always a next step.

use onboarding::i18n::{Arg, Key, Lang, msg, t, t_with};
use onboarding::status::ApplicationStatus;

/// What the person can do next from the status card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextAction {
    /// Send them to LedgerOS's hosted page, with this button text.
    Verify(String),
    /// Upload the documents LedgerOS asked for, with the forms on the status card.
    Upload,
    /// Nothing to do but wait; the page updates itself.
    Wait,
    /// Deposit and cards are open.
    UseAccount,
    /// Only support can help.
    ContactSupport,
}

/// The words for one status, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCopy {
    pub title: String,
    pub body: String,
    pub next: String,
    pub action: NextAction,
    /// A CSS modifier: `progress`, `attention`, `success` or `stopped`.
    pub tone: &'static str,
}

pub use onboarding::contact::SUPPORT_EMAIL;

/// "Last confirmed with LedgerOS 3 minutes ago."
pub fn confirmed_ago(lang: Lang, secs: i64) -> String {
    let (key, count) = match secs {
        ..=59 => return t(lang, msg::STATUS_CONFIRMED_JUST_NOW),
        60..=3_599 => (msg::STATUS_CONFIRMED_MINUTES, secs / 60),
        3_600..=86_399 => (msg::STATUS_CONFIRMED_HOURS, secs / 3_600),
        _ => (msg::STATUS_CONFIRMED_DAYS, secs / 86_400),
    };
    t_with(lang, key, &[("count", Arg::from(count))])
}

/// The flash error field for a problem with the file sent for `kind`: `POST /documents` sets
/// it, the upload form of that document shows it next to its input.
pub fn upload_error_field(kind: onboarding::documents::DocumentType) -> String {
    format!("document-{}", kind.as_str())
}

/// A card's title, body and next step from their messages.
fn words(lang: Lang, [title, body, next]: [Key; 3], action: NextAction, tone: &'static str) -> StatusCopy {
    StatusCopy {
        title: t(lang, title),
        body: t(lang, body),
        next: t(lang, next),
        action,
        tone,
    }
}

/// The words for what the card shows: setting up, waiting after a return, or the status itself.
pub fn card_copy(
    lang: Lang,
    status: &ApplicationStatus,
    provisioned: bool,
    waiting_for_budget: bool,
    returned: bool,
) -> StatusCopy {
    let words = |keys, action, tone| words(lang, keys, action, tone);
    match status {
        // The fintech's verifications for today are used up: the person is emailed when they
        // can start (issue 30).
        _ if !provisioned && waiting_for_budget => words(
            [
                msg::STATUS_BUDGET_WAIT_TITLE,
                msg::STATUS_BUDGET_WAIT_BODY,
                msg::STATUS_BUDGET_WAIT_NEXT,
            ],
            NextAction::Wait,
            "progress",
        ),
        // Shown while we are still creating the user at LedgerOS.
        _ if !provisioned => words(
            [
                msg::STATUS_SETTING_UP_TITLE,
                msg::STATUS_SETTING_UP_BODY,
                msg::STATUS_SETTING_UP_NEXT,
            ],
            NextAction::Verify(t(lang, msg::ACTION_START_VERIFICATION)),
            "progress",
        ),
        // Pending, but the person has been through the hosted page and come back.
        ApplicationStatus::Pending if returned => words(
            [
                msg::STATUS_WAITING_TITLE,
                msg::STATUS_WAITING_BODY,
                msg::STATUS_WAITING_NEXT,
            ],
            NextAction::Verify(t(lang, msg::ACTION_CONTINUE_VERIFICATION)),
            "progress",
        ),
        other => status_copy(lang, other),
    }
}

pub fn status_copy(lang: Lang, status: &ApplicationStatus) -> StatusCopy {
    use ApplicationStatus::*;
    let words = |keys, action, tone| words(lang, keys, action, tone);
    let verify = |key| NextAction::Verify(t(lang, key));
    match status {
        NotStarted => words(
            [
                msg::STATUS_NOT_STARTED_TITLE,
                msg::STATUS_NOT_STARTED_BODY,
                msg::STATUS_NOT_STARTED_NEXT,
            ],
            verify(msg::ACTION_START_VERIFICATION),
            "attention",
        ),
        Pending => words(
            [
                msg::STATUS_PENDING_TITLE,
                msg::STATUS_PENDING_BODY,
                msg::STATUS_PENDING_NEXT,
            ],
            verify(msg::ACTION_CONTINUE_VERIFICATION),
            "progress",
        ),
        NeedsInformation => words(
            [
                msg::STATUS_NEEDS_INFORMATION_TITLE,
                msg::STATUS_NEEDS_INFORMATION_BODY,
                msg::STATUS_NEEDS_INFORMATION_NEXT,
            ],
            NextAction::Upload,
            "attention",
        ),
        NeedsVerification => words(
            [
                msg::STATUS_NEEDS_VERIFICATION_TITLE,
                msg::STATUS_NEEDS_VERIFICATION_BODY,
                msg::STATUS_NEEDS_VERIFICATION_NEXT,
            ],
            verify(msg::ACTION_VERIFY_AGAIN),
            "attention",
        ),
        ManualReview => words(
            [
                msg::STATUS_MANUAL_REVIEW_TITLE,
                msg::STATUS_MANUAL_REVIEW_BODY,
                msg::STATUS_MANUAL_REVIEW_NEXT,
            ],
            NextAction::Wait,
            "progress",
        ),
        Approved => words(
            [
                msg::STATUS_APPROVED_TITLE,
                msg::STATUS_APPROVED_BODY,
                msg::STATUS_APPROVED_NEXT,
            ],
            NextAction::UseAccount,
            "success",
        ),
        Denied => words(
            [
                msg::STATUS_DENIED_TITLE,
                msg::STATUS_DENIED_BODY,
                msg::STATUS_DENIED_NEXT,
            ],
            NextAction::ContactSupport,
            "stopped",
        ),
        Locked => words(
            [
                msg::STATUS_LOCKED_TITLE,
                msg::STATUS_LOCKED_BODY,
                msg::STATUS_LOCKED_NEXT,
            ],
            NextAction::ContactSupport,
            "stopped",
        ),
        Canceled => words(
            [
                msg::STATUS_CANCELED_TITLE,
                msg::STATUS_CANCELED_BODY,
                msg::STATUS_CANCELED_NEXT,
            ],
            NextAction::ContactSupport,
            "stopped",
        ),
        Unknown(_) => words(
            [
                msg::STATUS_UNKNOWN_TITLE,
                msg::STATUS_UNKNOWN_BODY,
                msg::STATUS_UNKNOWN_NEXT,
            ],
            NextAction::Wait,
            "progress",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_title_and_a_next_step() {
        let mut all = ApplicationStatus::KNOWN.to_vec();
        all.push(ApplicationStatus::Unknown("brandNew".into()));
        for lang in Lang::ALL {
            for status in &all {
                let copy = status_copy(lang, status);
                assert!(!copy.title.is_empty() && !copy.next.is_empty(), "{lang} {status}");
            }
        }
    }

    #[test]
    fn documents_asked_for_are_uploaded_on_the_status_page() {
        let copy = status_copy(Lang::En, &ApplicationStatus::NeedsInformation);
        assert_eq!(copy.action, NextAction::Upload);
        assert!(copy.next.contains("Upload each document"));
    }

    #[test]
    fn times_ago_use_each_languages_plurals() {
        assert_eq!(
            confirmed_ago(Lang::En, 30),
            "Last confirmed with LedgerOS just now."
        );
        assert_eq!(
            confirmed_ago(Lang::En, 60),
            "Last confirmed with LedgerOS 1 minute ago."
        );
        assert_eq!(
            confirmed_ago(Lang::En, 3 * 3_600),
            "Last confirmed with LedgerOS 3 hours ago."
        );
        assert_eq!(
            confirmed_ago(Lang::Es, 2 * 86_400),
            "Confirmado con LedgerOS hace 2 días."
        );
        // Arabic's dual and its plural forms for 3–10 and 11–99, with Arabic-Indic digits (the
        // bidi isolation marks around each variable part are left out of the comparison).
        let arabic = |secs| confirmed_ago(Lang::Ar, secs).replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(arabic(2 * 60), "آخر تأكيد مع LedgerOS منذ دقيقتين.");
        assert_eq!(arabic(5 * 3_600), "آخر تأكيد مع LedgerOS منذ ٥ ساعات.");
        assert_eq!(arabic(11 * 86_400), "آخر تأكيد مع LedgerOS منذ ١١ يومًا.");
    }
}
