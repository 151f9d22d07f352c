//! Background workers that cannot silently disappear: each runs under a supervisor that logs a
//! worker which panicked or returned, and starts it again after a pause that grows while it
//! keeps failing (100 ms up to 30 s). The work itself is durable (leases in the database), so a
//! restart picks up where the failed run left off.

use std::future::Future;
use std::time::Duration;

use tokio::task::{AbortHandle, JoinHandle};

const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);
/// A run this long counts as healthy: the next failure starts again from the first pause.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// Runs `start()` as the worker `name`, restarting it whenever it ends. Aborting the returned
/// handle stops the worker too.
pub fn supervise<F, Fut>(name: &'static str, start: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut pause = FIRST_PAUSE;
        loop {
            let started = tokio::time::Instant::now();
            let run = tokio::spawn(start());
            // If the supervisor is aborted, the run it holds is aborted with it.
            let guard = AbortOnDrop(run.abort_handle());
            match run.await {
                Ok(()) => tracing::error!(worker = name, "worker stopped; starting it again"),
                Err(e) if e.is_panic() => {
                    tracing::error!(worker = name, "worker panicked; starting it again")
                }
                Err(_) => return,
            }
            drop(guard);
            if started.elapsed() >= HEALTHY_RUN {
                pause = FIRST_PAUSE;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    })
}

struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_worker_that_panics_or_returns_is_started_again() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let handle = supervise("test", move || {
            let runs = counted.clone();
            async move {
                match runs.fetch_add(1, Ordering::SeqCst) {
                    0 => panic!("first run fails"),
                    1 => (),
                    _ => std::future::pending().await,
                }
            }
        });
        for _ in 0..50 {
            if runs.load(Ordering::SeqCst) >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            3,
            "a panic and a return, each followed by a restart"
        );
        handle.abort();
    }

    #[tokio::test]
    async fn stopping_the_supervisor_stops_the_worker() {
        let alive = Arc::new(AtomicUsize::new(0));
        let counter = alive.clone();
        let handle = supervise("test", move || {
            let counter = counter.clone();
            async move {
                loop {
                    counter.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        handle.abort();
        let _ = handle.await;
        let at_stop = alive.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(
            alive.load(Ordering::SeqCst),
            at_stop,
            "the worker stopped with it"
        );
    }
}
