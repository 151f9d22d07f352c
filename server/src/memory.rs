//! The allocator's upkeep: mimalloc (set in `main.rs`) told to give freed memory back to the
//! system, and asked to collect on each runtime thread when it runs out of work.

/// Numbers of options in `mi_option_e` of the mimalloc v3 that libmimalloc-sys 0.1.49 bundles
/// (its Rust names stop short of them; printed from its `mimalloc.h`); the version is pinned in
/// `Cargo.toml`.
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
const MI_OPTION_PAGE_FULL_RETAIN: std::ffi::c_int = 36;
const MI_OPTION_ALLOW_THP: std::ffi::c_int = 43;

/// Gives freed memory back to the system at once, commits arenas as they are used, keeps no
/// empty pages aside, and asks for no transparent huge pages, unless the environment says
/// otherwise (`MIMALLOC_PURGE_DELAY`, `MIMALLOC_ARENA_EAGER_COMMIT`, `MIMALLOC_PAGE_FULL_RETAIN`,
/// `MIMALLOC_ALLOW_THP`).
///
/// Measured with the load proof (2,000 open status pages, release build): mimalloc's
/// defaults rested at 50 MB, the first two options at 24 MB. Huge pages were the rest: where
/// the kernel allows them on request (`madvise`, Debian's default), mimalloc asked for them on
/// its arenas, and each 2 MiB huge page stayed whole in memory for a few live objects: 14 of
/// the 22 MB of heap at rest, and 82 to 90 MB with the pages open against 48 to 50 without.
pub fn return_freed_memory() {
    for (option, name) in [
        (MI_OPTION_PURGE_DELAY, "MIMALLOC_PURGE_DELAY"),
        (MI_OPTION_ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT"),
        (MI_OPTION_PAGE_FULL_RETAIN, "MIMALLOC_PAGE_FULL_RETAIN"),
        (MI_OPTION_ALLOW_THP, "MIMALLOC_ALLOW_THP"),
    ] {
        if std::env::var_os(name).is_none() {
            // SAFETY: sets a global option of the allocator, before any thread but this one
            // exists; each is read when memory is reserved, retained or purged.
            unsafe { libmimalloc_sys::mi_option_set(option, 0) };
        }
    }
    // mimalloc reserved its first arena, and asked for huge pages on it, before `main`: what
    // it does itself when `MIMALLOC_ALLOW_THP=0` is in the environment at start, turning huge
    // pages off for the whole process, is done here.
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: a flag on this process's memory map; no pointer is passed.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

/// When a runtime thread runs out of work, at most ten times a second: mimalloc frees what other
/// threads gave back to this thread's heap (the buffers of connections that ended elsewhere)
/// and returns empty pages to the system. Without it, memory freed by closed status pages
/// stays with threads that have nothing more to allocate. Both the request runtime and the
/// live-stream thread call it when they park.
pub fn collect_when_idle() {
    #[cfg(not(feature = "system-allocator"))]
    {
        use std::cell::Cell;
        use std::time::{Duration, Instant};
        thread_local!(static LAST: Cell<Option<Instant>> = const { Cell::new(None) });
        LAST.with(|last| {
            if last
                .get()
                .is_none_or(|at| at.elapsed() >= Duration::from_millis(100))
            {
                last.set(Some(Instant::now()));
                // SAFETY: collects the calling thread's own heap; no pointer is passed.
                unsafe { libmimalloc_sys::mi_collect(false) };
            }
        });
    }
}
