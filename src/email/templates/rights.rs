//! The emails about a person's data (issue 26): the link that confirms a deletion, the notice
//! that it is scheduled, and the warning to an idle account.

use super::{body, email, greeting, then_link};
use crate::email::{EmailKind, OutgoingEmail};
use crate::i18n::{Arg, Lang, msg, t, t_with};

/// How long a link that confirms an account's deletion works.
pub const DELETION_LINK_HOURS: i64 = 24;

/// The link that confirms an account's deletion.
pub fn deletion_link(lang: Lang, to: &str, first_name: &str, base: &str, token: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            format!(
                "{}\n\n{base}/account/delete?token={token}",
                t(lang, msg::EMAIL_DELETE_INTRO)
            ),
            t_with(
                lang,
                msg::EMAIL_DELETE_EXPIRY,
                &[("hours", Arg::from(DELETION_LINK_HOURS))],
            ),
        ],
    );
    email(
        EmailKind::DeletionLink,
        to,
        t(lang, msg::EMAIL_DELETE_SUBJECT),
        body,
    )
}

/// The deletion is confirmed: it happens at `due_at` unless they log in before.
pub fn deletion_scheduled(
    lang: Lang,
    to: &str,
    first_name: &str,
    base: &str,
    due_at: crate::clock::Millis,
    hold_years: i64,
) -> OutgoingEmail {
    let date = crate::i18n::date_long(lang, due_at);
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t(lang, msg::EMAIL_DELETED_INTRO),
            t_with(
                lang,
                msg::EMAIL_DELETED_WHEN,
                &[
                    ("date", Arg::from(date.as_str())),
                    ("years", Arg::from(hold_years)),
                ],
            ),
            then_link(lang, msg::EMAIL_DELETED_CANCEL, &format!("{base}/login")),
        ],
    );
    email(
        EmailKind::DeletionScheduled,
        to,
        t_with(
            lang,
            msg::EMAIL_DELETED_SUBJECT,
            &[("date", Arg::from(date.as_str()))],
        ),
        body,
    )
}

/// An account idle for `idle_days` that never started verification: deleted at `due_at`
/// unless the person logs in.
pub fn idle_warning(
    lang: Lang,
    to: &str,
    first_name: &str,
    base: &str,
    idle_days: i64,
    due_at: crate::clock::Millis,
) -> OutgoingEmail {
    let date = crate::i18n::date_long(lang, due_at);
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t_with(lang, msg::EMAIL_IDLE_INTRO, &[("days", Arg::from(idle_days))]),
            format!(
                "{}\n{base}/login",
                t_with(lang, msg::EMAIL_IDLE_KEEP, &[("date", Arg::from(date.as_str()))])
            ),
            t(lang, msg::EMAIL_IDLE_NOTHING),
        ],
    );
    email(
        EmailKind::IdleWarning,
        to,
        t_with(
            lang,
            msg::EMAIL_IDLE_SUBJECT,
            &[("date", Arg::from(date.as_str()))],
        ),
        body,
    )
}
