//! The words of every email. Plain text, short, one clear action each, and what happens next.

use super::{EmailKind, OutgoingEmail};
use crate::contact::SUPPORT_EMAIL;
use crate::details::DetailField;
use crate::documents::DocumentType;
use crate::i18n::{Arg, Key, Lang, msg, t, t_with};
use crate::status::ApplicationStatus;

/// How long a signup confirmation link works.
pub const CONFIRM_SIGNUP_HOURS: i64 = 24;
/// How long a password reset link works.
pub const RESET_MINUTES: i64 = 30;

/// The first line of an email to an account's confirmed owner: their name when it is a name by
/// today's rule ([`crate::forms::check_name`]); a name stored before the rule that breaks it
/// (a link, a phone number) is left out rather than repeated.
fn greeting(lang: Lang, first_name: &str) -> String {
    match crate::forms::check_name(first_name) {
        Ok(name) => t_with(lang, msg::EMAIL_HI, &[("name", Arg::from(name))]),
        Err(_) => t(lang, msg::EMAIL_HELLO),
    }
}

/// A body from its paragraphs, signed.
fn body(lang: Lang, paragraphs: &[String]) -> String {
    let mut body = paragraphs.join("\n\n");
    body.push_str("\n\n");
    body.push_str(&t(lang, msg::EMAIL_SIGN_OFF));
    body.push('\n');
    body
}

/// A sentence followed by its link on the next line: links stay out of the messages, so no
/// translation (or bidi mark) can touch one.
fn then_link(lang: Lang, words: Key, link: &str) -> String {
    format!("{}\n{link}", t(lang, words))
}

fn email(kind: EmailKind, to: &str, subject: String, body: String) -> OutgoingEmail {
    OutgoingEmail {
        kind,
        to: to.to_owned(),
        subject,
        body,
        unsubscribe_url: None,
    }
}

/// The link that finishes a signup. The address is not confirmed yet, and anyone can type
/// anyone's address into the signup form: this email quotes nothing the form held (not even the
/// name), so a stranger's words never reach an inbox from us. In the language of the signup.
pub fn confirm_signup(lang: Lang, to: &str, base: &str, token: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            t(lang, msg::EMAIL_HELLO),
            format!(
                "{}\n\n{base}/signup/confirm?token={token}",
                t(lang, msg::EMAIL_CONFIRM_INTRO)
            ),
            t(lang, msg::EMAIL_CONFIRM_NEXT),
            t_with(
                lang,
                msg::EMAIL_CONFIRM_EXPIRY,
                &[("hours", Arg::from(CONFIRM_SIGNUP_HOURS))],
            ),
        ],
    );
    email(
        EmailKind::ConfirmSignup,
        to,
        t(lang, msg::EMAIL_CONFIRM_SUBJECT),
        body,
    )
}

/// Sent instead of a confirmation when the address already has an account: the signup page
/// answers the same either way, so only the owner of the address learns it is taken.
pub fn account_exists(lang: Lang, to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t(lang, msg::EMAIL_EXISTS_INTRO),
            format!(
                "{}\n{}",
                then_link(lang, msg::EMAIL_EXISTS_LOGIN, &format!("{base}/login")),
                then_link(lang, msg::EMAIL_EXISTS_FORGOT, &format!("{base}/password/forgot"))
            ),
            t(lang, msg::EMAIL_EXISTS_NOT_YOU),
        ],
    );
    email(
        EmailKind::AccountExists,
        to,
        t(lang, msg::EMAIL_EXISTS_SUBJECT),
        body,
    )
}

/// The link that sets a new password.
pub fn password_reset(lang: Lang, to: &str, first_name: &str, base: &str, token: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            format!(
                "{}\n\n{base}/password/reset?token={token}",
                t(lang, msg::EMAIL_RESET_INTRO)
            ),
            t_with(
                lang,
                msg::EMAIL_RESET_EXPIRY,
                &[("minutes", Arg::from(RESET_MINUTES))],
            ),
            t(lang, msg::EMAIL_RESET_NOT_YOU),
        ],
    );
    email(
        EmailKind::PasswordReset,
        to,
        t(lang, msg::EMAIL_RESET_SUBJECT),
        body,
    )
}

/// A heads-up after the password changed.
pub fn password_changed(lang: Lang, to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t(lang, msg::EMAIL_CHANGED_INTRO),
            then_link(
                lang,
                msg::EMAIL_CHANGED_NOT_YOU,
                &format!("{base}/password/forgot"),
            ),
        ],
    );
    email(
        EmailKind::PasswordChanged,
        to,
        t(lang, msg::EMAIL_CHANGED_SUBJECT),
        body,
    )
}

/// A heads-up after a passkey named `name` was added to the account.
pub fn passkey_added(lang: Lang, to: &str, first_name: &str, base: &str, name: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            t_with(lang, msg::EMAIL_PASSKEY_INTRO, &[("name", Arg::from(name))]),
            then_link(lang, msg::EMAIL_PASSKEY_NOT_YOU, &format!("{base}/account")),
        ],
    );
    email(
        EmailKind::PasskeyAdded,
        to,
        t(lang, msg::EMAIL_PASSKEY_SUBJECT),
        body,
    )
}

/// Whether a person in `status` (having come back from the hosted page or not) still has
/// something to do that a reminder can help with.
pub fn wants_reminder(status: &ApplicationStatus, returned: bool) -> bool {
    match status {
        ApplicationStatus::NotStarted
        | ApplicationStatus::NeedsInformation
        | ApplicationStatus::NeedsVerification => true,
        // Pending after a submission means LedgerOS is working: nothing to remind about.
        ApplicationStatus::Pending => !returned,
        _ => false,
    }
}

/// What a reminder asks for, in one sentence, and where it links.
fn next_step(
    lang: Lang,
    status: &ApplicationStatus,
    required_fields: &[String],
    base: &str,
) -> Option<(String, String)> {
    let resume = format!("{base}/verification/continue");
    let step = match status {
        ApplicationStatus::NotStarted => (t(lang, msg::EMAIL_STEP_NOT_STARTED), resume),
        ApplicationStatus::Pending => (t(lang, msg::EMAIL_STEP_PENDING), resume),
        ApplicationStatus::NeedsInformation => {
            let what = requested(lang, required_fields);
            (
                t_with(
                    lang,
                    msg::EMAIL_STEP_NEEDS_INFORMATION,
                    &[("what", Arg::from(what))],
                ),
                format!("{base}/status#documents"),
            )
        }
        ApplicationStatus::NeedsVerification => (t(lang, msg::EMAIL_STEP_NEEDS_VERIFICATION), resume),
        _ => return None,
    };
    Some(step)
}

/// Document names for a needs-information request, in plain words (never a raw field name).
fn requested(lang: Lang, required_fields: &[String]) -> String {
    let mut names: Vec<String> = Vec::new();
    for field in required_fields {
        let label = DocumentType::parse(field)
            .map(|d| d.label_in(lang))
            .or_else(|| DetailField::parse(field).map(|d| d.label_in(lang)));
        if let Some(label) = label
            && !names.contains(&label)
        {
            names.push(label);
        }
    }
    if names.is_empty() {
        t(lang, msg::EMAIL_REQUESTED_FALLBACK)
    } else {
        names.join(&t(lang, msg::EMAIL_LIST_SEPARATOR))
    }
}

/// The email for a status the person has just reached, if it is news for them: approved, denied,
/// locked, needs information, needs verification. Queued once per status change, in the same
/// transaction as the change, in the language saved on the account then.
pub fn decision(
    lang: Lang,
    to: &str,
    first_name: &str,
    status: &ApplicationStatus,
    required_fields: &[String],
    base: &str,
) -> Option<OutgoingEmail> {
    let status_page = format!("{base}/status");
    let support = [("support", Arg::from(SUPPORT_EMAIL))];
    let (subject, news, next) = match status {
        ApplicationStatus::Approved => (
            msg::EMAIL_APPROVED_SUBJECT,
            t(lang, msg::EMAIL_APPROVED_NEWS),
            then_link(lang, msg::EMAIL_APPROVED_NEXT, &status_page),
        ),
        ApplicationStatus::Denied => (
            msg::EMAIL_DENIED_SUBJECT,
            t(lang, msg::EMAIL_DENIED_NEWS),
            format!("{}\n{base}/status#appeal", t(lang, msg::EMAIL_DENIED_NEXT)),
        ),
        ApplicationStatus::Locked => (
            msg::EMAIL_LOCKED_SUBJECT,
            t(lang, msg::EMAIL_LOCKED_NEWS),
            format!(
                "{}\n{status_page}",
                t_with(lang, msg::EMAIL_LOCKED_NEXT, &support)
            ),
        ),
        ApplicationStatus::NeedsInformation => (
            msg::EMAIL_NEEDS_INFORMATION_SUBJECT,
            t_with(
                lang,
                msg::EMAIL_NEEDS_INFORMATION_NEWS,
                &[("what", Arg::from(requested(lang, required_fields)))],
            ),
            then_link(
                lang,
                msg::EMAIL_NEEDS_INFORMATION_NEXT,
                &format!("{base}/status#documents"),
            ),
        ),
        ApplicationStatus::NeedsVerification => (
            msg::EMAIL_NEEDS_VERIFICATION_SUBJECT,
            t(lang, msg::EMAIL_NEEDS_VERIFICATION_NEWS),
            then_link(
                lang,
                msg::EMAIL_NEEDS_VERIFICATION_NEXT,
                &format!("{base}/verification/continue"),
            ),
        ),
        _ => return None,
    };
    let body = body(lang, &[greeting(lang, first_name), news, next]);
    Some(email(EmailKind::Decision, to, t(lang, subject), body))
}

/// The way back to the hosted verification, sent again by support.
pub fn verification_link(lang: Lang, to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            format!(
                "{}\n\n{base}/verification/continue",
                t(lang, msg::EMAIL_LINK_INTRO)
            ),
            then_link(lang, msg::EMAIL_LINK_STATUS, &format!("{base}/status")),
        ],
    );
    email(EmailKind::Reminder, to, t(lang, msg::EMAIL_LINK_SUBJECT), body)
}

/// Support's reply to a denied applicant's appeal (the reply itself is in the words support
/// wrote).
pub fn appeal_answer(lang: Lang, to: &str, first_name: &str, base: &str, reply: &str) -> OutgoingEmail {
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            format!("{}\n\n{reply}", t(lang, msg::EMAIL_APPEAL_INTRO)),
            format!(
                "{}\n{}",
                then_link(lang, msg::EMAIL_APPEAL_STATUS, &format!("{base}/status")),
                t_with(
                    lang,
                    msg::EMAIL_APPEAL_ANSWER,
                    &[("support", Arg::from(SUPPORT_EMAIL))]
                )
            ),
        ],
    );
    email(
        EmailKind::AppealAnswer,
        to,
        t(lang, msg::EMAIL_APPEAL_SUBJECT),
        body,
    )
}

/// A reminder, or `None` when the status needs none.
pub fn reminder(
    lang: Lang,
    to: &str,
    first_name: &str,
    status: &ApplicationStatus,
    required_fields: &[String],
    base: &str,
    reminders_token: &str,
) -> Option<OutgoingEmail> {
    let (step, link) = next_step(lang, status, required_fields, base)?;
    let unsubscribe = format!("{base}/reminders/stop?token={reminders_token}");
    let body = body(
        lang,
        &[
            greeting(lang, first_name),
            format!("{}\n\n{step}", t(lang, msg::EMAIL_REMINDER_INTRO)),
            format!("{} {link}", t(lang, msg::EMAIL_REMINDER_CONTINUE)),
            t(lang, msg::EMAIL_REMINDER_WHY),
            format!("{} {unsubscribe}", t(lang, msg::EMAIL_REMINDER_STOP)),
        ],
    );
    let subject = match status {
        ApplicationStatus::NeedsInformation => msg::EMAIL_NEEDS_INFORMATION_SUBJECT,
        ApplicationStatus::NeedsVerification => msg::EMAIL_NEEDS_VERIFICATION_SUBJECT,
        _ => msg::EMAIL_REMINDER_SUBJECT,
    };
    let mut email = email(EmailKind::Reminder, to, t(lang, subject), body);
    email.unsubscribe_url = Some(unsubscribe);
    Some(email)
}

mod budget;
mod rights;
pub use budget::{budget_reached, can_start};
pub use rights::{DELETION_LINK_HOURS, deletion_link, deletion_scheduled, idle_warning};

#[cfg(test)]
mod tests;
