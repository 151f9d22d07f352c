//! The words of every email. Plain text, short, one clear action each, and what happens next.

use super::{EmailKind, OutgoingEmail};
use crate::contact::SUPPORT_EMAIL;
use crate::details::DetailField;
use crate::documents::DocumentType;
use crate::status::ApplicationStatus;

/// How long a signup confirmation link works.
pub const CONFIRM_SIGNUP_HOURS: i64 = 24;
/// How long a password reset link works.
pub const RESET_MINUTES: i64 = 30;

const SIGN_OFF: &str = "— The onboarding team";

/// The first line of an email to an account's confirmed owner: their name when it is a name by
/// today's rule ([`crate::forms::check_name`]); a name stored before the rule that breaks it
/// (a link, a phone number) is left out rather than repeated.
fn greeting(first_name: &str) -> String {
    match crate::forms::check_name(first_name) {
        Ok(name) => format!("Hi {name},"),
        Err(_) => "Hello,".to_owned(),
    }
}

fn email(kind: EmailKind, to: &str, subject: &str, body: String) -> OutgoingEmail {
    OutgoingEmail {
        kind,
        to: to.to_owned(),
        subject: subject.to_owned(),
        body,
        unsubscribe_url: None,
    }
}

/// The link that finishes a signup. The address is not confirmed yet, and anyone can type
/// anyone's address into the signup form: this email quotes nothing the form held (not even the
/// name), so a stranger's words never reach an inbox from us.
pub fn confirm_signup(to: &str, base: &str, token: &str) -> OutgoingEmail {
    let body = format!(
        "Hello,\n\n\
         Thanks for signing up. Open this link to confirm your email address and finish creating your account:\n\n\
         {base}/signup/confirm?token={token}\n\n\
         Next, we'll ask you to verify your identity with our partner LedgerOS. It takes 5 to 10 minutes, then usually 1 to 5 minutes for the result.\n\n\
         The link works once and expires in {CONFIRM_SIGNUP_HOURS} hours. If you didn't sign up, ignore this email: no account is created without this link.\n\n\
         {SIGN_OFF}\n"
    );
    email(
        EmailKind::ConfirmSignup,
        to,
        "Confirm your email to finish signing up",
        body,
    )
}

/// Sent instead of a confirmation when the address already has an account: the signup page
/// answers the same either way, so only the owner of the address learns it is taken.
pub fn account_exists(to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         Someone, perhaps you, tried to create a new account with this email address. You already have an account, so nothing was changed.\n\n\
         To log in: {base}/login\n\
         Forgot your password? Choose a new one here: {base}/password/forgot\n\n\
         If it wasn't you, you can ignore this email. Your account and password are unchanged.\n\n\
         {SIGN_OFF}\n"
    );
    email(EmailKind::AccountExists, to, "You already have an account", body)
}

/// The link that sets a new password.
pub fn password_reset(to: &str, first_name: &str, base: &str, token: &str) -> OutgoingEmail {
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         We received a request to reset your password. Open this link to choose a new one:\n\n\
         {base}/password/reset?token={token}\n\n\
         The link works once and expires in {RESET_MINUTES} minutes. Setting a new password logs you out everywhere else.\n\n\
         If you didn't ask for this, ignore this email: your password stays the same.\n\n\
         {SIGN_OFF}\n"
    );
    email(EmailKind::PasswordReset, to, "Reset your password", body)
}

/// A heads-up after the password changed.
pub fn password_changed(to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         Your password was just changed, and every other session was logged out.\n\n\
         If this was you, there's nothing else to do. If it wasn't, reset your password now at {base}/password/forgot and contact support.\n\n\
         {SIGN_OFF}\n"
    );
    email(EmailKind::PasswordChanged, to, "Your password was changed", body)
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
fn next_step(status: &ApplicationStatus, required_fields: &[String], base: &str) -> Option<(String, String)> {
    let resume = format!("{base}/verification/continue");
    let step = match status {
        ApplicationStatus::NotStarted => (
            "Start your identity verification. It takes 5 to 10 minutes: have your Social Security number, a photo ID and a recent proof of address ready.".to_owned(),
            resume,
        ),
        ApplicationStatus::Pending => (
            "Finish your identity verification. Your answers so far are saved, so you'll pick up where you left off.".to_owned(),
            resume,
        ),
        ApplicationStatus::NeedsInformation => {
            let what = requested(required_fields);
            (
                format!("Send {what}. For a document, a photo or scan (PDF, JPEG or PNG, up to 10 MB) is enough."),
                format!("{base}/status#documents"),
            )
        }
        ApplicationStatus::NeedsVerification => (
            "Verify your identity again. LedgerOS couldn't confirm some details and needs you to go through the check once more.".to_owned(),
            resume,
        ),
        _ => return None,
    };
    Some(step)
}

/// Document names for a needs-information request, in plain words (never a raw field name).
fn requested(required_fields: &[String]) -> String {
    let mut names: Vec<String> = Vec::new();
    for field in required_fields {
        let label = DocumentType::parse(field)
            .map(DocumentType::label)
            .or_else(|| DetailField::parse(field).map(DetailField::label));
        if let Some(label) = label
            && !names.iter().any(|n| n == label)
        {
            names.push(label.to_owned());
        }
    }
    if names.is_empty() {
        "the extra information LedgerOS asked for".to_owned()
    } else {
        names.join(", ")
    }
}

/// The email for a status the person has just reached, if it is news for them: approved, denied,
/// locked, needs information, needs verification. Queued once per status change, in the same
/// transaction as the change.
pub fn decision(
    to: &str,
    first_name: &str,
    status: &ApplicationStatus,
    required_fields: &[String],
    base: &str,
) -> Option<OutgoingEmail> {
    let (subject, news, next) = match status {
        ApplicationStatus::Approved => (
            "You're verified: your account is ready",
            "Good news: LedgerOS has verified your identity, and your account is ready.".to_owned(),
            format!("You can now deposit money and get your cards. Start here: {base}/status"),
        ),
        ApplicationStatus::Denied => (
            "About your identity verification",
            "We're sorry: LedgerOS could not verify your identity, so we can't open an account for you. This decision can't be changed by trying again.".to_owned(),
            format!(
                "If you think the decision is wrong, you can appeal: open {base}/status#appeal and tell us why. Our support team replies by email within 2 business days."
            ),
        ),
        ApplicationStatus::Locked => (
            "Your account is locked",
            "Your account has been locked for your protection, so deposits and cards are paused for now.".to_owned(),
            format!(
                "Please contact our support team at {SUPPORT_EMAIL}; they will tell you what happens next. Your status: {base}/status"
            ),
        ),
        ApplicationStatus::NeedsInformation => (
            "LedgerOS needs a document from you",
            format!(
                "To finish your verification, LedgerOS needs: {}.",
                requested(required_fields)
            ),
            format!(
                "Send it from your status page (for a document, a photo or scan, PDF, JPEG or PNG, up to 10 MB): {base}/status#documents. Once LedgerOS has everything, a person there reviews your details, usually within 1–2 business days."
            ),
        ),
        ApplicationStatus::NeedsVerification => (
            "Please verify your identity again",
            "LedgerOS couldn't confirm some of your details and needs you to go through the identity check once more.".to_owned(),
            format!("It takes 5 to 10 minutes. Start here: {base}/verification/continue"),
        ),
        _ => return None,
    };
    let body = format!("{}\n\n{news}\n\n{next}\n\n{SIGN_OFF}\n", greeting(first_name));
    Some(email(EmailKind::Decision, to, subject, body))
}

/// The way back to the hosted verification, sent again by support.
pub fn verification_link(to: &str, first_name: &str, base: &str) -> OutgoingEmail {
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         Our support team asked us to send you the link to your identity verification again. It takes 5 to 10 minutes, and you continue where you left off:\n\n\
         {base}/verification/continue\n\n\
         You'll be asked to log in first if you aren't already. Your status page shows where you stand: {base}/status\n\n\
         {SIGN_OFF}\n"
    );
    email(EmailKind::Reminder, to, "Your identity verification link", body)
}

/// Support's reply to a denied applicant's appeal.
pub fn appeal_answer(to: &str, first_name: &str, base: &str, reply: &str) -> OutgoingEmail {
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         Our support team has looked at your appeal. Their reply:\n\n\
         {reply}\n\n\
         Your status page shows the date of this reply: {base}/status\n\
         To answer, reply to {SUPPORT_EMAIL}.\n\n\
         {SIGN_OFF}\n"
    );
    email(EmailKind::AppealAnswer, to, "About your appeal", body)
}

/// Reminder number `number` (1-based) of `total`, or `None` when the status needs none.
pub fn reminder(
    to: &str,
    first_name: &str,
    status: &ApplicationStatus,
    required_fields: &[String],
    base: &str,
    reminders_token: &str,
) -> Option<OutgoingEmail> {
    let (step, link) = next_step(status, required_fields, base)?;
    let unsubscribe = format!("{base}/reminders/stop?token={reminders_token}");
    let greeting = greeting(first_name);
    let body = format!(
        "{greeting}\n\n\
         Your account is almost ready. One step is left before you can deposit money and get your cards:\n\n\
         {step}\n\n\
         Continue here: {link}\n\n\
         Identity verification is required by law for financial accounts; it protects you and keeps fraud out.\n\n\
         Don't want these reminders? Turn them off in one click: {unsubscribe}\n\n\
         {SIGN_OFF}\n"
    );
    let subject = match status {
        ApplicationStatus::NeedsInformation => "LedgerOS needs a document from you",
        ApplicationStatus::NeedsVerification => "Please verify your identity again",
        _ => "Finish verifying your identity",
    };
    let mut email = email(EmailKind::Reminder, to, subject, body);
    email.unsubscribe_url = Some(unsubscribe);
    Some(email)
}

#[cfg(test)]
mod tests;
