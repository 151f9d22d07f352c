//! The handles every request and worker needs, bundled once at start-up.

use crate::clock::Clock;
use crate::ledger::LedgerClient;
use crate::store::Store;

/// Shared services: the database, the LedgerOS client and the clock. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub ledger: LedgerClient,
    pub clock: Clock,
}
