//! What every fuzz target shares: a per-input time limit.
//!
//! libFuzzer's own `-timeout` counts whole seconds; our claim is "no input takes over 10 ms".
//! The time is the thread's CPU time, so a busy machine that puts the fuzzer aside for a while
//! (a build beside it) does not count. An input over the limit is run twice more (a cold cache
//! costs once), and only when every run is over does the target panic: libFuzzer reports it as a
//! crash and keeps the input in `fuzz/artifacts/` to replay.

use std::time::Duration;

/// The most one input may take.
pub const LIMIT: Duration = Duration::from_millis(10);

/// CPU time this thread has used so far.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    assert!(ok, "the thread CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Runs `check` on `input` within [`LIMIT`] of CPU time, or panics naming the time taken.
pub fn within_limit<T: ?Sized>(input: &T, check: impl Fn(&T)) {
    let mut fastest = Duration::MAX;
    for _ in 0..3 {
        let started = thread_cpu_time();
        check(input);
        fastest = fastest.min(thread_cpu_time().saturating_sub(started));
        if fastest <= LIMIT {
            return;
        }
    }
    panic!("one input took {fastest:?} of CPU at best, over the {LIMIT:?} limit");
}
