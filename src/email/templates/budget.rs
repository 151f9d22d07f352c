//! The emails of the verification budget (issue 30): to a person who waited, that they can
//! start; to the admins, that today's budget is used up.

use super::{body, email, greeting, then_link};
use crate::email::{EmailKind, OutgoingEmail};
use crate::i18n::{Lang, msg, t};

/// The verification budget opened again for someone who waited for it (issue 30).
pub fn can_start(lang: Lang, to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t(lang, msg::EMAIL_CAN_START_INTRO),
            then_link(lang, msg::EMAIL_CAN_START_LINK, &format!("{base}/status")),
        ],
    );
    email(
        EmailKind::CanStart,
        to,
        t(lang, msg::EMAIL_CAN_START_SUBJECT),
        body,
    )
}

/// To an admin (in English, like the console): the verification budget ran out today, and
/// new verifications wait until it opens or an admin allows more.
pub fn budget_reached(to: &str, base: &str, waiting_note: &str) -> OutgoingEmail {
    let body = format!(
        "Hello,\n\nToday's verification budget is used up. New confirmed signups keep their \
         account, but their verification waits in the queue until the budget opens again (the \
         next hour or day) or an admin allows more.\n\n{waiting_note}\n\nTo see the figures, or to \
         allow more today:\n{base}/admin/funnel\n"
    );
    email(
        EmailKind::BudgetReached,
        to,
        "The verification budget is used up for today".to_owned(),
        body,
    )
}
