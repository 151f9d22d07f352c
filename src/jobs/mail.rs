//! The mail worker: delivers the email queue, retrying failed sends with backoff.

use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::email::{Mailer, QueuedEmail};
use crate::jobs::ledger_calls::backoff;
use crate::store::Store;

/// How long a worker holds an email before another may try it (a crashed worker's emails come
/// back after this; one that crashed mid-send may send its email twice, never zero times).
/// A worker starts sends from a claim for at most [`SEND_FOR`] and gives the rest back, and an
/// SMTP command times out after [`crate::email::SMTP_TIMEOUT`], so no lease runs out
/// under an email still being sent or waiting its turn; and a busy worker claims again often
/// enough to take a dead one's emails soon after their lease ends (within 20 s of the crash).
pub const LEASE_MS: i64 = 15_000;
/// How long a worker starts sends from one claim before it gives the rest back.
const SEND_FOR: Duration = Duration::from_secs(3);

/// The most emails one claim takes. Claiming and marking cost a write each, whatever their
/// size: one at a time, the dev mailbox fell 46,763 emails behind a burst of 100,000 webhooks.
pub const BATCH: i64 = 256;

/// Once woken by a queued email, the worker lets others gather this long before it claims.
/// Its writes queue behind webhooks for SQLite's one writer: claiming after every status
/// change put two of them between consecutive webhooks. Nobody notices a tenth of a second
/// on an email.
const GATHER: Duration = Duration::from_millis(100);

/// Sent emails are marked at the end of a batch, or sooner once this long has passed since
/// the last mark: a crash re-sends at most this much of the worker's time (never loses one).
const MARK_EVERY: Duration = Duration::from_secs(1);

/// Delivers one claimed email and records a failure. Returns whether it was sent; the caller
/// records the sent ones ([`Store::emails_sent`]), many at a time.
pub async fn deliver(store: &Store, mailer: &Mailer, clock: &Clock, email: &QueuedEmail) -> bool {
    match mailer.deliver(email).await {
        Ok(()) => {
            tracing::debug!(email = email.id, "email sent");
            metrics::counter!("onboarding_emails_sent_total").increment(1);
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

/// Records `sent` (and empties it).
async fn mark_sent(store: &Store, mailer: &Mailer, sent: &mut Vec<i64>) {
    if sent.is_empty() {
        return;
    }
    match store.emails_sent(sent, mailer.keeps_bodies()).await {
        Ok(()) => tracing::info!(emails = sent.len(), "emails sent"),
        Err(e) => {
            tracing::error!(emails = sent.len(), error = %e, "could not record sent emails; they may be sent again");
        }
    }
    sent.clear();
}

/// Sends due emails forever, up to [`BATCH`] per claim: soon after one is queued in this
/// process ([`GATHER`]), otherwise checking every `idle` (for retries and emails queued by
/// other instances).
pub async fn work(store: Store, mailer: Mailer, clock: Clock, idle: Duration) {
    let mut sent = Vec::with_capacity(BATCH as usize);
    loop {
        match store.claim_due_emails(LEASE_MS, BATCH).await {
            Ok(emails) if emails.is_empty() => {
                store.wait_for_mail(idle).await;
                tokio::time::sleep(GATHER).await;
            }
            Ok(emails) => {
                let claimed = Instant::now();
                let mut marked = claimed;
                let mut rest = emails.iter();
                for email in rest.by_ref() {
                    if deliver(&store, &mailer, &clock, email).await {
                        sent.push(email.id);
                    }
                    if marked.elapsed() >= MARK_EVERY {
                        mark_sent(&store, &mailer, &mut sent).await;
                        marked = Instant::now();
                    }
                    if claimed.elapsed() >= SEND_FOR {
                        break;
                    }
                }
                mark_sent(&store, &mailer, &mut sent).await;
                let untried: Vec<i64> = rest.map(|email| email.id).collect();
                if !untried.is_empty() {
                    tracing::info!(
                        emails = untried.len(),
                        "mail: the claim took long; giving the rest back"
                    );
                    if let Err(e) = store.release_emails(&untried).await {
                        tracing::warn!(error = %e, "mail: could not give emails back; they return when their lease ends");
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "mail: could not read the email queue");
                tokio::time::sleep(idle * 5).await;
            }
        }
    }
}
