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
    /// Held by the demo while it writes its past (see [`WorkerGate`]).
    pub workers: WorkerGate,
    /// The deletion grace period and the anti-money-laundering hold.
    pub data_policy: crate::data_rights::DataPolicy,
    /// At most this many verifications a day and an hour ([`crate::budget`]).
    pub budget: crate::budget::VerificationBudget,
}

impl Services {
    /// The same services with time read from `clock`, in the store too.
    pub fn with_clock(&self, clock: Clock) -> Self {
        Self {
            store: self.store.with_clock(clock.clone()),
            clock,
            ..self.clone()
        }
    }
}

/// Lets one task keep the background workers (LedgerOS calls, the reconciler, reminders)
/// between two of their rounds. The demo writes 30 days of history with a manual clock; a
/// worker reading the wall clock in the middle of it would find people "due" and date its
/// work today, in the middle of their past.
#[derive(Clone, Debug, Default)]
pub struct WorkerGate(std::sync::Arc<tokio::sync::RwLock<()>>);

impl WorkerGate {
    /// One round of a worker: waits while the gate is held.
    pub async fn round(&self) -> tokio::sync::RwLockReadGuard<'_, ()> {
        self.0.read().await
    }

    /// Keeps every worker out until the guard is dropped (after their current round).
    pub async fn hold(&self) -> tokio::sync::RwLockWriteGuard<'_, ()> {
        self.0.write().await
    }
}
