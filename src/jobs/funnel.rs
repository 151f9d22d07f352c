//! Folds the funnel's recent differences into its totals, so that a read of the funnel adds up
//! a few rows per day whatever the number of status changes (see `Console::fold_funnel`).

use std::time::Duration;

use crate::store::Store;

/// How often: a read adds what is not folded yet, so this only bounds that table's size.
pub const EVERY: Duration = Duration::from_secs(10);

/// Folds every `every`, forever.
pub async fn work(store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match store.fold_funnel().await {
            Ok(0) => {}
            Ok(folded) => tracing::debug!(folded, "funnel: differences folded"),
            Err(e) => {
                tracing::warn!(error = %e, "funnel: could not fold the counts; the next round tries again")
            }
        }
    }
}
