//! The safety net for lost webhooks: users who sit in `pending` or `manualReview` for longer
//! than expected are looked up at LedgerOS, within its published read limits.

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
}

impl Default for ReconcilerConfig {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(60),
            stale_after: Duration::from_secs(15 * 60),
            recheck_after: Duration::from_secs(15 * 60),
            reads_per_minute: 30,
        }
    }
}

/// Statuses that wait on LedgerOS, where a lost webhook would leave the user stuck.
const WAITING: [ApplicationStatus; 2] = [ApplicationStatus::Pending, ApplicationStatus::ManualReview];

/// One pass: polls up to one period's worth of stale users, spaced to respect the read limit.
/// Returns how many were polled.
pub async fn reconcile_once(services: &Services, config: &ReconcilerConfig) -> usize {
    let now = services.clock.now_ms();
    let per_pass = (config.reads_per_minute as u64 * config.every.as_secs())
        .div_ceil(60)
        .max(1) as i64;
    let spacing = Duration::from_millis(60_000 / config.reads_per_minute.max(1) as u64);
    let stale = services
        .store
        .stale_users(
            &WAITING,
            now - config.stale_after.as_millis() as i64,
            now - config.recheck_after.as_millis() as i64,
            per_pass,
        )
        .await;
    let users = match stale {
        Ok(users) => users,
        Err(e) => {
            tracing::error!(error = %e, "reconciler: could not list stale users");
            return 0;
        }
    };
    let count = users.len();
    for (i, (user, _ledger_id)) in users.into_iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(spacing).await;
        }
        match verification::refresh_status(services, &user).await {
            Ok(record) => {
                tracing::info!(%user, status = %record.kyc.status, "reconciler: checked at LedgerOS")
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
        reconcile_once(&services, &config).await;
    }
}
