//! A person's rights over their data (issue 26; GDPR articles 15 and 20): the file "Download
//! my data" gives them.
//!
//! The file is JSON, `"format": "ledgeros-onboarding/personal-data"`, `"version": 1`. Times are
//! RFC 3339 in UTC. Its parts, in order (the README's "Your data" section says the same in
//! plain words):
//!
//! | key | what |
//! |---|---|
//! | `profile` | email, names, language, when they signed up, reminders on or off |
//! | `verification` | LedgerOS's user id, the status we hold and since when, the documents asked for |
//! | `status_history` | every status change, when, and how it reached us |
//! | `appeals` | what they wrote to support, and support's reply |
//! | `emails` | every email we sent them: kind, address, subject, body (while kept), times |
//! | `documents` | documents they sent through us: type and time (the files were never stored) |
//! | `devices` | browsers remembered at login: first and last use |
//! | `sessions` | how many signed-in sessions are open |
//! | `passkeys` | passkeys added to the account: names, when added and last used |
//! | `audit` | what was done about them: action, time, and who, as "you", "support" or "the system" |
//! | `exports` | the exports made, this one included |
//! | `not_included` | what we hold and do not put in the file, and why |
//!
//! Never in it: the password hash, tokens, LedgerOS's reason for a denial (it may reveal a
//! compliance assessment, which the law forbids disclosing: AMLD article 39), an operator's name.

use std::time::Duration;

use serde_json::{Value, json};

use crate::clock::Millis;
use crate::email::templates;
use crate::i18n::Lang;
use crate::services::Services;
use crate::status::ApplicationStatus;
use crate::store::data_rights::{Erasures, PersonalData, Requester, RetentionRule};
use crate::store::{StoreError, UserId, UserRecord};
use crate::tokens;

/// How long a confirmed deletion waits, and how long the due-diligence record of someone
/// LedgerOS decided on is held after their account closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataPolicy {
    /// `DELETION_GRACE_DAYS` (default 30): logging in within it cancels the deletion.
    pub deletion_grace_days: i64,
    /// `AML_RETENTION_YEARS` (default 5): AMLD article 40, AMLR article 77, 31 CFR 1020.220.
    pub aml_retention_years: i64,
    /// `RETENTION_WEBHOOK_BODY_DAYS` (default 30): raw webhook bodies, then only their parsed
    /// fields.
    pub webhook_body_days: i64,
    /// `RETENTION_EMAIL_BODY_DAYS` (default 30): an email's body after it was sent.
    pub email_body_days: i64,
    /// `RETENTION_EMAIL_DAYS` (default 90): the rest of an email (address, subject, times).
    pub email_days: i64,
    /// `RETENTION_SIGNUP_DAYS` (default 7): a signup whose link was never used.
    pub signup_days: i64,
    /// `RETENTION_IDLE_DAYS` (default 180): an account nobody logged into that never started
    /// verification is warned, then deleted after the grace period unless someone logs in.
    pub idle_days: i64,
}

impl Default for DataPolicy {
    fn default() -> Self {
        Self {
            deletion_grace_days: 30,
            aml_retention_years: 5,
            webhook_body_days: 30,
            email_body_days: 30,
            email_days: 90,
            signup_days: 7,
            idle_days: 180,
        }
    }
}

const DAY_MS: Millis = 24 * 60 * 60 * 1000;

impl DataPolicy {
    pub fn grace_ms(&self) -> Millis {
        self.deletion_grace_days * DAY_MS
    }

    /// The hold, counting a year as 365.25 days (leap years included).
    pub fn hold_ms(&self) -> Millis {
        self.aml_retention_years * 36_525 * DAY_MS / 100
    }

    /// How long rows under `rule` are kept, in days.
    pub fn days(&self, rule: RetentionRule) -> i64 {
        match rule {
            RetentionRule::WebhookBodies => self.webhook_body_days,
            RetentionRule::EmailBodies => self.email_body_days,
            RetentionRule::EmailRecords => self.email_days,
            RetentionRule::UnconfirmedSignups => self.signup_days,
        }
    }
}

/// Rows one retention statement touches at most: short transactions, whatever the backlog.
const RETENTION_BATCH: i64 = 500;
/// Batches of one rule in one round (the next round goes on).
const RETENTION_ROUNDS: usize = 20;

/// The file's format and version: a reader checks both.
pub const EXPORT_FORMAT: &str = "ledgeros-onboarding/personal-data";
pub const EXPORT_VERSION: u32 = 1;

/// One export per person in this many milliseconds (24 hours).
pub const EXPORT_INTERVAL_MS: Millis = 24 * 60 * 60 * 1000;

/// An export that was made: its file name and its JSON.
#[derive(Debug)]
pub struct ExportFile {
    pub file_name: String,
    pub json: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// One was made less than a day ago; the next one is possible at `next_at`.
    #[error("an export was made less than a day ago")]
    TooSoon { next_at: Millis },
    #[error("no such account")]
    NoAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes `user`'s export, asked for by `by`: recorded (and audited) first, then read.
pub async fn export(services: &Services, user: &UserId, by: Requester) -> Result<ExportFile, ExportError> {
    let store = &services.store;
    let now = services.clock.now_ms();
    let record = store.user(user).await?.ok_or(ExportError::NoAccount)?;
    // A person gets one a day; support's (a confirmed request) are not limited.
    let since = match by {
        Requester::Person => now - EXPORT_INTERVAL_MS + 1,
        Requester::Support => now + 1,
    };
    if let Err(last) = store.record_export(user, by, since).await? {
        return Err(ExportError::TooSoon {
            next_at: last + EXPORT_INTERVAL_MS,
        });
    }
    let mut data = store.personal_data(user).await?;
    data.passkeys = store
        .passkeys_of(&crate::store::PasskeyOwner::User(user.clone()))
        .await?
        .into_iter()
        .map(|row| crate::store::data_rights::PasskeyUse {
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        })
        .collect();
    let document = document(&record, &data, now);
    let json = serde_json::to_vec_pretty(&document).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(ExportFile {
        file_name: format!("my-data-{}.json", &rfc3339(now)[..10]),
        json,
    })
}

/// Emails `user` a link that confirms the deletion of their account (audited).
pub async fn request_deletion(services: &Services, user: &UserRecord, lang: Lang) -> Result<(), StoreError> {
    let token = tokens::generate();
    let expires_at = services.clock.now_ms() + templates::DELETION_LINK_HOURS * 60 * 60 * 1000;
    let lang = user.language.unwrap_or(lang);
    let email = templates::deletion_link(lang, &user.email, &user.first_name, &services.public_url, &token);
    services
        .store
        .request_deletion(&user.id, &tokens::digest(&token), expires_at, &email)
        .await
}

/// Whether a deletion link can still be used (the page with the button).
pub async fn deletion_link_is_valid(services: &Services, token: &str) -> Result<bool, StoreError> {
    if !tokens::is_well_formed(token) {
        return Ok(false);
    }
    services
        .store
        .deletion_link_is_valid(&tokens::digest(token))
        .await
}

/// Uses a deletion link: the account is erased after the grace period unless the person logs
/// in. Returns when, or `None` for a link that is unknown, used or expired.
pub async fn confirm_deletion(
    services: &Services,
    token: &str,
    lang: Lang,
) -> Result<Option<Millis>, StoreError> {
    if !tokens::is_well_formed(token) {
        return Ok(None);
    }
    let policy = services.data_policy;
    let due_at = services.clock.now_ms() + policy.grace_ms();
    let base = &services.public_url;
    let confirmed = services
        .store
        .confirm_deletion(&tokens::digest(token), due_at, &|to, first_name, language| {
            let lang = language.unwrap_or(lang);
            templates::deletion_scheduled(lang, to, first_name, base, due_at, policy.aml_retention_years)
        })
        .await?;
    Ok(confirmed.map(|user| {
        tracing::info!(%user, "account deletion confirmed");
        due_at
    }))
}

/// One round of erasures (see [`crate::store::DataRights::erase_due`]).
pub async fn erase_once(services: &Services) -> Result<Erasures, StoreError> {
    let done = services
        .store
        .erase_due(services.data_policy.hold_ms(), 100)
        .await?;
    if done != Erasures::default() {
        tracing::info!(
            erased = done.erased,
            held = done.held,
            "accounts erased or held after their grace period"
        );
    }
    Ok(done)
}

/// One round of every retention rule, in batches, and the warnings to idle accounts.
/// Returns the rows removed or emptied per rule, and the accounts warned.
pub async fn retain_once(services: &Services) -> Result<(Vec<(RetentionRule, u64)>, u64), StoreError> {
    let policy = services.data_policy;
    let now = services.clock.now_ms();
    let mut removed = Vec::new();
    for rule in RetentionRule::ALL {
        let cutoff = now - policy.days(rule) * DAY_MS;
        let mut total = 0;
        for _ in 0..RETENTION_ROUNDS {
            let n = services
                .store
                .apply_retention(rule, cutoff, RETENTION_BATCH)
                .await?;
            total += n;
            if n < RETENTION_BATCH as u64 {
                break;
            }
        }
        if total > 0 {
            tracing::info!(rule = rule.as_str(), rows = total, "retention applied");
        }
        removed.push((rule, total));
    }
    let due_at = now + policy.grace_ms();
    let base = &services.public_url;
    let warned = services
        .store
        .warn_idle_accounts(
            now - policy.idle_days * DAY_MS,
            due_at,
            100,
            &|to, first_name, language| {
                templates::idle_warning(
                    language.unwrap_or_default(),
                    to,
                    first_name,
                    base,
                    policy.idle_days,
                    due_at,
                )
            },
        )
        .await?;
    if warned > 0 {
        tracing::info!(accounts = warned, "idle accounts warned of their deletion");
    }
    Ok((removed, warned))
}

/// Erases what is due and applies the retention rules every `poll`, forever.
pub async fn work(services: Services, poll: Duration) {
    loop {
        let round = services.workers.round().await;
        if let Err(e) = erase_once(&services).await {
            tracing::error!(error = %e, "erasures: could not erase the accounts due");
        }
        if let Err(e) = retain_once(&services).await {
            tracing::error!(error = %e, "retention: could not apply the rules");
        }
        drop(round);
        tokio::time::sleep(poll).await;
    }
}

/// The export's JSON for `user`, with what the tables hold about them, made at `now`.
pub fn document(user: &UserRecord, data: &PersonalData, now: Millis) -> Value {
    let time = |at: Millis| Value::String(rfc3339(at));
    let maybe_time = |at: Option<Millis>| at.map_or(Value::Null, rfc3339_value);
    json!({
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": time(now),
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language.map(|lang| lang.code()),
            "signed_up_at": time(user.created_at),
            "reminder_emails": if user.reminders_off { "off" } else { "on" },
        },
        "verification": {
            "ledgeros_user_id": user.ledger_user_id,
            "status": user.kyc.status.as_str(),
            "status_in_words": user.kyc.status.label(),
            "status_since": time(user.status_changed_at),
            "documents_requested": if user.kyc.status == ApplicationStatus::NeedsInformation {
                user.kyc.required_fields.clone()
            } else {
                Vec::new()
            },
        },
        "status_history": data.status_changes.iter().map(|change| json!({
            "status": change.status,
            "at": time(change.at),
            "how_we_learned_it": crate::kyc::StatusSource::describe(&change.source),
        })).collect::<Vec<_>>(),
        "appeals": data.appeals.iter().map(|appeal| json!({
            "message": appeal.message,
            "sent_at": time(appeal.sent_at),
            "answer": appeal.answer,
            "answered_at": maybe_time(appeal.answered_at),
        })).collect::<Vec<_>>(),
        "emails": data.emails.iter().map(|email| json!({
            "kind": email.kind,
            "to": email.to,
            "subject": email.subject,
            "body": email.body,
            "queued_at": time(email.queued_at),
            "sent_at": maybe_time(email.sent_at),
        })).collect::<Vec<_>>(),
        "documents": data.documents.iter().map(|document| json!({
            "type": document.document_type,
            "sent_at": time(document.at),
        })).collect::<Vec<_>>(),
        "devices": data.devices.iter().map(|device| json!({
            "first_seen_at": time(device.first_seen_at),
            "last_used_at": time(device.last_used_at),
        })).collect::<Vec<_>>(),
        "sessions": { "open": data.open_sessions },
        "passkeys": data.passkeys.iter().map(|passkey| json!({
            "name": passkey.name,
            "added_at": time(passkey.created_at),
            "last_used_at": maybe_time(passkey.last_used_at),
        })).collect::<Vec<_>>(),
        "audit": data.audit.iter().map(|entry| json!({
            "action": entry.action,
            "by": if entry.by_person { "you" } else if entry.by_operator { "support" } else { "the system" },
            "at": time(entry.at),
        })).collect::<Vec<_>>(),
        "exports": data.exports.iter().map(|export| json!({
            "requested_by": if export.requested_by == Requester::Person.as_str() { "you" } else { "support" },
            "at": time(export.at),
        })).collect::<Vec<_>>(),
        "not_included": [
            "Your password: we keep only a one-way hash of it, which cannot be turned back into the password.",
            "The secret parts of links we emailed you (confirmation, password reset, reminders).",
            "Some compliance records about your verification are held and not included, as anti-money-laundering law requires.",
            "Your ID documents, selfie and tax number: they went to LedgerOS and were never stored here. Ask LedgerOS for what it holds.",
            "IP addresses and browser names: we do not keep them with your account.",
        ],
    })
}

fn rfc3339_value(at: Millis) -> Value {
    Value::String(rfc3339(at))
}

/// `at` as an RFC 3339 time in UTC, to the second.
pub fn rfc3339(at: Millis) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    time.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub mod requests;

#[cfg(test)]
mod tests;
