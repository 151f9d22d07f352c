//! The LedgerOS call queue: calls to LedgerOS that must eventually happen, stored with the account and
//! retried with backoff until they succeed. A signup never depends on LedgerOS being up.

use std::time::Duration;

use crate::services::Services;
use crate::store::{Job, JobKind, UserId};
use crate::verification::{self, VerificationError};

/// How long a worker holds a job before another may take it over: a crashed worker's jobs
/// come back after this, so it is short. An attempt is given up a little before its lease
/// ends ([`ATTEMPT_LIMIT`]), so two workers never run one job at once.
pub const LEASE_MS: i64 = 20_000;
/// The longest one attempt may take (LedgerOS's `Retry-After` waits included); past it the
/// attempt counts as failed and is retried (the idempotency key makes that safe).
pub const ATTEMPT_LIMIT: Duration = Duration::from_millis(LEASE_MS as u64 - 5_000);
/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The longest wait after a failure LedgerOS recovers from (an outage, a rate limit, a
/// timeout), unless LedgerOS asks for longer: each waiting call is tried at least this often,
/// so accounts are set up within this long once LedgerOS is back. The first call that works
/// then brings every other waiting call forward.
pub const MAX_TRANSIENT_BACKOFF: Duration = Duration::from_secs(30);

/// The wait before attempt `attempts + 1`: exponential from 1 s, capped, never shorter than
/// what LedgerOS asked for with `Retry-After`.
pub fn backoff(attempts: i64, retry_after: Option<Duration>) -> Duration {
    let exponent = attempts.clamp(1, 20) as u32 - 1;
    let wait = Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF);
    match retry_after {
        Some(asked) => wait.max(asked),
        None => wait,
    }
}

/// The wait before the next attempt after `error`: capped at [`MAX_TRANSIENT_BACKOFF`] when
/// LedgerOS will recover by itself, at [`MAX_BACKOFF`] when the call itself was refused.
pub fn wait_after(attempts: i64, retry_after: Option<Duration>, permanent: bool) -> Duration {
    let wait = backoff(attempts, retry_after);
    if permanent {
        wait
    } else {
        wait.min(MAX_TRANSIENT_BACKOFF)
            .max(retry_after.unwrap_or_default())
    }
}

/// Runs a claimed job, then completes it or schedules the next attempt.
#[tracing::instrument(skip(services, job), fields(job = job.id, user = %job.user_id, attempt = job.attempts))]
pub async fn run(services: &Services, job: Job) -> bool {
    let attempt = async {
        match job.kind {
            JobKind::Provision => verification::provision(services, &job.user_id).await.map(|_| ()),
        }
    };
    let result = tokio::time::timeout(ATTEMPT_LIMIT, attempt)
        .await
        .unwrap_or(Err(VerificationError::TooSlow(ATTEMPT_LIMIT)));
    let outcome = match result {
        Err(VerificationError::OverBudget) => {
            // Not a failure: the job waits, uncounted, for the next hour (when the budget may
            // open) or for an admin to allow more. Its place in the queue stays.
            let (_, hour) = crate::budget::periods(services.clock.now_ms());
            services
                .store
                .hold_job(&job, hour + crate::budget::HOUR_MS)
                .await
                .map(|()| false)
        }
        Ok(()) => {
            let done = services.store.complete_job(&job).await.map(|()| true);
            // It had failed before and works now: LedgerOS is back, so the other calls that
            // were waiting out their backoff go now.
            if job.attempts > 1 {
                match services.store.hasten_failed_jobs().await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(jobs = n, "LedgerOS answers again; waiting calls brought forward")
                    }
                    Err(e) => tracing::warn!(error = %e, "could not bring waiting calls forward"),
                }
            }
            done
        }
        Err(error) => {
            let retry_after = match &error {
                VerificationError::Ledger(e) => e.retry_after(),
                _ => None,
            };
            let permanent = matches!(&error, VerificationError::Ledger(e) if !e.is_retryable());
            let wait = wait_after(job.attempts, retry_after, permanent);
            if permanent {
                tracing::error!(%error, ?wait, "LedgerOS refused the call; retrying later, but this needs a look");
            } else {
                tracing::warn!(%error, ?wait, "LedgerOS call failed; will retry");
            }
            let run_at = services.clock.now_ms() + wait.as_millis() as i64;
            services
                .store
                .retry_job(&job, run_at, &error.to_string())
                .await
                .map(|()| false)
        }
    };
    outcome.unwrap_or_else(|e| {
        // The lease runs out and the job is picked up again.
        tracing::error!(error = %e, "could not record the job's outcome");
        false
    })
}

/// Provisions `user` right now if its job is free (at signup, so the common case needs no
/// wait). Returns whether it succeeded; if not, the worker retries. The person is waiting, so
/// a `429` is not waited out here: the queue does that, without holding their request.
pub async fn provision_now(services: &Services, user: &UserId) -> bool {
    match services.store.claim_job(JobKind::Provision, user, LEASE_MS).await {
        Ok(Some(job)) => {
            let quick = Services {
                ledger: services.ledger.impatient(),
                ..services.clone()
            };
            run(&quick, job).await
        }
        Ok(None) => false,
        Err(e) => {
            tracing::error!(error = %e, "could not claim the provisioning job");
            false
        }
    }
}

/// Drains due jobs forever, checking again every `idle` when there is nothing to do.
pub async fn work(services: Services, idle: Duration) {
    loop {
        let round = services.workers.round().await;
        match services.store.claim_due_job(LEASE_MS).await {
            Ok(Some(job)) => {
                run(&services, job).await;
            }
            Ok(None) => {
                drop(round);
                tokio::time::sleep(idle).await;
            }
            Err(e) => {
                drop(round);
                tracing::error!(error = %e, "ledger calls: could not read jobs");
                tokio::time::sleep(idle * 5).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_failures_wait_at_most_30_s_unless_ledgeros_asks_for_longer() {
        assert_eq!(wait_after(3, None, false), Duration::from_secs(4));
        assert_eq!(wait_after(7, None, false), MAX_TRANSIENT_BACKOFF);
        assert_eq!(wait_after(7, None, true), Duration::from_secs(64));
        assert_eq!(wait_after(40, None, true), MAX_BACKOFF);
        assert_eq!(
            wait_after(7, Some(Duration::from_secs(90)), false),
            Duration::from_secs(90)
        );
    }

    #[test]
    fn backoff_doubles_from_one_second_and_is_capped() {
        assert_eq!(backoff(1, None), Duration::from_secs(1));
        assert_eq!(backoff(2, None), Duration::from_secs(2));
        assert_eq!(backoff(5, None), Duration::from_secs(16));
        assert_eq!(backoff(40, None), MAX_BACKOFF);
    }

    #[test]
    fn retry_after_is_honoured_when_longer() {
        assert_eq!(backoff(1, Some(Duration::from_secs(30))), Duration::from_secs(30));
        assert_eq!(backoff(5, Some(Duration::from_secs(2))), Duration::from_secs(16));
    }
}
