//! Time as the domain sees it: milliseconds since the Unix epoch, from a clock that tests can control.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// A source of the current time. The system clock in production; a settable one in tests.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stands still at `start` until moved with [`Clock::advance`].
    pub fn manual(start: Millis) -> Self {
        Self {
            fixed: Some(Arc::new(AtomicI64::new(start))),
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by_ms: i64) {
        if let Some(at) = &self.fixed {
            at.fetch_add(by_ms, Ordering::SeqCst);
        }
    }

    pub fn now_ms(&self) -> Millis {
        match &self.fixed {
            Some(at) => at.load(Ordering::SeqCst),
            None => (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as Millis,
        }
    }

    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }
}

/// A day in words, UTC, such as "30 November 2026".
pub fn date_in_words(at: Millis) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// A moment in words, UTC, to the minute, such as "30 November 2026, 17:05 UTC".
pub fn time_in_words(at: Millis) -> String {
    let format =
        time::macros::format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_words() {
        // 2026-11-30 17:05:09 UTC
        let at = 1_796_058_309_000;
        assert_eq!(super::date_in_words(at), "30 November 2026");
        assert_eq!(super::time_in_words(at), "30 November 2026, 17:05 UTC");
    }
}
