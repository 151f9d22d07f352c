//! Retention that runs by itself (issue 26), as storage sees it: each rule's statement, the
//! tally of what the rules removed, and the accounts to warn for idleness. The SQL is the same
//! on both backends but for placeholders; the backends run it in
//! [`super::DataRights::apply_retention`] and [`super::DataRights::warn_idle_accounts`].

use crate::clock::Millis;

/// A retention rule that runs by itself (see the README's Retention table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionRule {
    /// Raw webhook bodies, emptied: the parsed fields stay in their columns.
    WebhookBodies,
    /// Email bodies (and their unsubscribe links), emptied after sending.
    EmailBodies,
    /// What is left of an email (address, subject, times), deleted.
    EmailRecords,
    /// Signups whose link was never used, deleted.
    UnconfirmedSignups,
}

impl RetentionRule {
    pub const ALL: [RetentionRule; 4] = [
        Self::WebhookBodies,
        Self::EmailBodies,
        Self::EmailRecords,
        Self::UnconfirmedSignups,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WebhookBodies => "webhook_bodies",
            Self::EmailBodies => "email_bodies",
            Self::EmailRecords => "email_records",
            Self::UnconfirmedSignups => "unconfirmed_signups",
        }
    }

    /// The statement, with `p(1)` the cutoff and `p(2)` the batch size.
    pub(super) fn sql(self, p: fn(usize) -> String) -> String {
        let (cutoff, limit) = (p(1), p(2));
        match self {
            Self::WebhookBodies => format!(
                "UPDATE webhook_events SET payload = '' WHERE id IN \
                 (SELECT id FROM webhook_events WHERE received_at < {cutoff} AND payload <> '' LIMIT {limit})"
            ),
            Self::EmailBodies => format!(
                "UPDATE emails SET body = NULL, unsubscribe_url = NULL WHERE id IN \
                 (SELECT id FROM emails WHERE sent_at < {cutoff} AND body IS NOT NULL LIMIT {limit})"
            ),
            // Sent, or never sent and long dead.
            Self::EmailRecords => format!(
                "DELETE FROM emails WHERE id IN \
                 (SELECT id FROM emails WHERE COALESCE(sent_at, created_at) < {cutoff} LIMIT {limit})"
            ),
            Self::UnconfirmedSignups => format!(
                "DELETE FROM signups WHERE token_hash IN \
                 (SELECT token_hash FROM signups WHERE created_at < {cutoff} LIMIT {limit})"
            ),
        }
    }
}

/// What a retention rule (or the erasures) has removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionTally {
    pub rule: String,
    pub removed: i64,
    pub last_run_at: Millis,
    pub last_removed: i64,
}

/// Adds `removed` to `rule`'s tally, with `p(1)` the rule, `p(2)` the rows and `p(3)` now.
pub(super) fn tally_sql(p: fn(usize) -> String) -> String {
    format!(
        "INSERT INTO retention_tally (rule, removed, last_run_at, last_removed) VALUES ({r}, {n}, {now}, {n}) \
         ON CONFLICT (rule) DO UPDATE SET removed = retention_tally.removed + excluded.removed, \
         last_run_at = excluded.last_run_at, last_removed = excluded.last_removed",
        r = p(1),
        n = p(2),
        now = p(3)
    )
}

/// The accounts to warn for idleness (see [`super::DataRights::warn_idle_accounts`]), with `p(1)` the
/// idle cutoff and `p(2)` the batch size.
pub(super) fn idle_accounts_sql(p: fn(usize) -> String) -> String {
    format!(
        "SELECT id, email, first_name, language FROM users WHERE started_at IS NULL AND idle_warned_at IS NULL \
         AND deletion_due_at IS NULL AND held_until IS NULL AND COALESCE(last_login_at, created_at) < {} \
         ORDER BY created_at LIMIT {}",
        p(1),
        p(2)
    )
}
