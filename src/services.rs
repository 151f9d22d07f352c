//! The handles every request and worker needs, bundled once at start-up.

use crate::clock::Clock;
use crate::ledger::LedgerClient;
use crate::store::Store;

/// Shared services: the database, the LedgerOS client, the clock and our own address (for
/// links in emails). Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub ledger: LedgerClient,
    pub clock: Clock,
    /// How people reach the app, without a trailing slash: `https://app.example`.
    pub public_url: String,
    /// A person's status is read from LedgerOS at login and on their status page at most this
    /// often ([`crate::verification::PERSON_CHECK_GAP`] in production).
    pub status_check_gap: std::time::Duration,
}
