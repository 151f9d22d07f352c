//! Erasing an account, or reducing it to the due-diligence record under the anti-money-
//! laundering hold (issue 26), as statements the same on both backends but for placeholders.
//! The backends run them in [`super::DataRights::erase_due`].

use super::console_sql::Bind;
use super::data_rights::ACCOUNT_HELD;
use crate::clock::Millis;

/// A statement and the values of its placeholders, in order.
pub(super) type Statement = (String, Vec<Bind>);

/// Who an erasure or a hold is about.
pub(super) struct Target {
    pub id: String,
    pub email: String,
    pub ledger_user_id: Option<String>,
}

/// The accounts whose grace period ended by `p(1)` (at most `p(2)`), with whether LedgerOS ever
/// decided on them: they keep a due-diligence record.
pub(super) fn due_for_erasure_sql(p: fn(usize) -> String) -> String {
    format!(
        "SELECT id, email, ledger_user_id, (application_status IN ('approved', 'denied', 'locked') OR EXISTS \
         (SELECT 1 FROM status_changes c WHERE c.user_id = users.id AND c.status IN ('approved', 'denied', 'locked'))) \
         AS decided FROM users WHERE deletion_due_at <= {} ORDER BY deletion_due_at LIMIT {}",
        p(1),
        p(2)
    )
}

/// The held records whose hold ended by `p(1)` (at most `p(2)`).
pub(super) fn hold_ended_sql(p: fn(usize) -> String) -> String {
    format!(
        "SELECT id, email, ledger_user_id FROM users WHERE held_until <= {} ORDER BY held_until LIMIT {}",
        p(1),
        p(2)
    )
}

/// What goes first in both an erasure and a hold: the emails to `who` (also those sent before
/// the account existed), any signup with their address, and their sessions.
fn mail_and_sessions(who: &Target, p: fn(usize) -> String, sessions: &str) -> Vec<Statement> {
    let (id, email) = (Bind::Text(who.id.clone()), Bind::Text(who.email.clone()));
    vec![
        (
            format!(
                "DELETE FROM emails WHERE user_id = {} OR to_address = {}",
                p(1),
                p(2)
            ),
            vec![id.clone(), email.clone()],
        ),
        (format!("DELETE FROM signups WHERE email = {}", p(1)), vec![email]),
        (
            format!("DELETE FROM {sessions} WHERE user_id = {}", p(1)),
            vec![id.clone()],
        ),
        // A passkey signs in to the account: a held record cannot be signed in to.
        (format!("DELETE FROM passkeys WHERE user_id = {}", p(1)), vec![id]),
    ]
}

/// Erases `who`: every row that holds their email, name or LedgerOS id, the account row last
/// (the rows that belong to it go with it: `ON DELETE CASCADE`). The audit log keeps its
/// entries, which name the account only by its internal id. LedgerOS has no deletion call, so
/// the erasure is listed for staff to ask LedgerOS.
pub(super) fn erase_statements(
    who: &Target,
    now: Millis,
    p: fn(usize) -> String,
    sessions: &str,
) -> Vec<Statement> {
    let mut statements = mail_and_sessions(who, p, sessions);
    statements.push((
        format!("DELETE FROM users WHERE id = {}", p(1)),
        vec![Bind::Text(who.id.clone())],
    ));
    if let Some(ledger) = &who.ledger_user_id {
        statements.push((
            format!("DELETE FROM webhook_events WHERE ledger_user_id = {}", p(1)),
            vec![Bind::Text(ledger.clone())],
        ));
        statements.push((
            format!(
                "INSERT INTO ledger_erasures (ledger_user_id, erased_at) VALUES ({}, {})",
                p(1),
                p(2)
            ),
            vec![Bind::Text(ledger.clone()), Bind::Int(now)],
        ));
    }
    statements
}

/// Reduces `who` to the due-diligence record (names, email, LedgerOS ids, status history,
/// decisions, appeals) until `held_until`; everything else goes now, and they can no longer
/// log in (no password, no links).
pub(super) fn hold_statements(
    who: &Target,
    now: Millis,
    held_until: Millis,
    p: fn(usize) -> String,
    sessions: &str,
) -> Vec<Statement> {
    let id = || Bind::Text(who.id.clone());
    let mut statements = mail_and_sessions(who, p, sessions);
    for table in [
        "tokens",
        "known_devices",
        "jobs",
        "job_failures",
        "document_uploads",
        "data_exports",
        "data_requests",
    ] {
        statements.push((
            format!("DELETE FROM {table} WHERE user_id = {}", p(1)),
            vec![id()],
        ));
    }
    statements.push((
        format!(
            "UPDATE users SET password_hash = '', verification_url = NULL, reminders_token = NULL, \
             reminders_off_at = {}, deletion_due_at = NULL, held_until = {} WHERE id = {}",
            p(1),
            p(2),
            p(3)
        ),
        vec![Bind::Int(now), Bind::Int(held_until), id()],
    ));
    statements.push((
        format!(
            "INSERT INTO audit_log (operator_id, action, subject, detail, at) VALUES (NULL, {}, {}, '', {})",
            p(1),
            p(2),
            p(3)
        ),
        vec![Bind::Text(ACCOUNT_HELD.to_owned()), id(), Bind::Int(now)],
    ));
    statements
}
