//! The mail worker: delivers the email queue, retrying failed sends with backoff.

use std::time::Duration;

use crate::clock::Clock;
use crate::email::{Mailer, QueuedEmail};
use crate::jobs::ledger_calls::backoff;
use crate::store::Store;

/// How long a worker holds an email before another may try it (a crashed worker's emails come
/// back after this; one that crashed mid-send may send its email twice, never zero times).
pub const LEASE_MS: i64 = 60_000;

/// Delivers one claimed email and records the outcome. Returns whether it was sent.
pub async fn deliver(store: &Store, mailer: &Mailer, clock: &Clock, email: QueuedEmail) -> bool {
    match mailer.deliver(&email).await {
        Ok(()) => {
            tracing::info!(email = email.id, "email sent");
            metrics::counter!("onboarding_emails_sent_total").increment(1);
            if let Err(e) = store.email_sent(email.id, mailer.keeps_bodies()).await {
                tracing::error!(email = email.id, error = %e, "could not record a sent email; it may be sent again");
            }
            true
        }
        Err(error) => {
            let run_at = error
                .is_retryable()
                .then(|| clock.now_ms() + backoff(email.attempts, None).as_millis() as i64);
            let last = if run_at.is_some() { "false" } else { "true" };
            metrics::counter!("onboarding_emails_failed_total", "final" => last).increment(1);
            if run_at.is_some() {
                tracing::warn!(email = email.id, attempt = email.attempts, %error, "email not sent; will retry");
            } else {
                tracing::error!(email = email.id, %error, "email cannot be sent; giving up on it");
            }
            if let Err(e) = store.email_failed(email.id, run_at, &error.detail()).await {
                tracing::error!(email = email.id, error = %e, "could not record a failed email");
            }
            false
        }
    }
}

/// Sends due emails forever: at once when one is queued in this process, otherwise checking
/// every `idle` (for retries and emails queued by other instances).
pub async fn work(store: Store, mailer: Mailer, clock: Clock, idle: Duration) {
    loop {
        match store.claim_due_email(LEASE_MS).await {
            Ok(Some(email)) => {
                deliver(&store, &mailer, &clock, email).await;
            }
            Ok(None) => store.wait_for_mail(idle).await,
            Err(e) => {
                tracing::error!(error = %e, "mail: could not read the email queue");
                tokio::time::sleep(idle * 5).await;
            }
        }
    }
}
