//! The safety net for what no webhook says: users who sit in `pending` or `manualReview` for
//! longer than expected are looked up at LedgerOS (a lost webhook, or a change the contract
//! sends none for), and approved customers are looked up now and then for a later lock. All
//! within LedgerOS's read limit: every read also takes one from the shared budget
//! ([`verification::take_read`]).

use std::time::Duration;

use crate::services::Services;
use crate::status::ApplicationStatus;
use crate::verification;

/// When and how much to poll.
#[derive(Clone, Debug)]
pub struct ReconcilerConfig {
    /// How often to look for stale users.
    pub every: Duration,
    /// A status unchanged for this long is worth a check.
    pub stale_after: Duration,
    /// Do not ask about the same user again within this time.
    pub recheck_after: Duration,
    /// Our share of LedgerOS's 100 reads a minute: the rest is left to people using the app.
    pub reads_per_minute: u32,
    /// Check each approved customer for a lock about this often...
    pub lock_recheck: Duration,
    /// ...but with at most this many reads a minute (spread evenly, oldest check first). At 10 a
    /// minute that is 14,400 checks a day: each of 10k customers daily, of 100k weekly, of 1M
    /// every ~70 days. Daily checks of 1M would need ~694 reads a minute, over LedgerOS's 100:
    /// at that size only a lock webhook (or a higher limit) can tell us in time.
    pub lock_checks_per_minute: u32,
}

impl Default for ReconcilerConfig {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(60),
            stale_after: Duration::from_secs(15 * 60),
            recheck_after: Duration::from_secs(15 * 60),
            reads_per_minute: 30,
            lock_recheck: Duration::from_secs(24 * 60 * 60),
            lock_checks_per_minute: 10,
        }
    }
}

/// Statuses that wait on LedgerOS, where a lost webhook would leave the user stuck.
const WAITING: [ApplicationStatus; 2] = [ApplicationStatus::Pending, ApplicationStatus::ManualReview];

/// One pass: polls up to one period's worth of stale users, then of approved customers due a
/// lock check, spaced to respect the read limits. Returns how many were polled.
pub async fn reconcile_once(services: &Services, config: &ReconcilerConfig) -> usize {
    let now = services.clock.now_ms();
    let waiting = poll(
        services,
        &WAITING,
        now - config.stale_after.as_millis() as i64,
        now - config.recheck_after.as_millis() as i64,
        config.reads_per_minute,
        config.every,
    )
    .await;
    let approved = poll(
        services,
        &[ApplicationStatus::Approved],
        now + 1,
        now - config.lock_recheck.as_millis() as i64,
        config.lock_checks_per_minute,
        config.every,
    )
    .await;
    waiting + approved
}

/// Reads up to `per_minute` × `every` users in `statuses` (unchanged since `changed_before`, not
/// checked since `checked_before`), `60 / per_minute` seconds apart.
async fn poll(
    services: &Services,
    statuses: &[ApplicationStatus],
    changed_before: i64,
    checked_before: i64,
    per_minute: u32,
    every: Duration,
) -> usize {
    if per_minute == 0 {
        return 0;
    }
    let per_pass = (u64::from(per_minute) * every.as_secs()).div_ceil(60).max(1) as i64;
    let spacing = Duration::from_millis(60_000 / u64::from(per_minute));
    let users = match services
        .store
        .stale_users(statuses, changed_before, checked_before, per_pass)
        .await
    {
        Ok(users) => users,
        Err(e) => {
            tracing::error!(error = %e, "reconciler: could not list users to check");
            return 0;
        }
    };
    let count = users.len();
    for (i, (user, _ledger_id)) in users.into_iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(spacing).await;
        }
        match verification::refresh_status(services, &user, crate::kyc::StatusSource::Reconciler).await {
            Ok(record) => {
                tracing::info!(%user, status = %record.kyc.status, "reconciler: checked at LedgerOS")
            }
            Err(verification::VerificationError::ReadBudget) => {
                // Not checked: it stays due and comes first next time.
                continue;
            }
            Err(e) => tracing::warn!(%user, error = %e, "reconciler: check failed; will try again later"),
        }
        if let Err(e) = services.store.mark_reconciled(&user).await {
            tracing::error!(%user, error = %e, "reconciler: could not record the check");
        }
    }
    count
}

/// Runs [`reconcile_once`] every `config.every`, forever.
pub async fn work(services: Services, config: ReconcilerConfig) {
    let mut every = tokio::time::interval(config.every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let _round = services.workers.round().await;
        reconcile_once(&services, &config).await;
    }
}
