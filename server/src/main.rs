use leptos::config::get_configuration;
use server::config::{Config, Mode};
use server::startup::Application;

/// mimalloc instead of glibc's malloc: a page render makes many small short-lived allocations
/// on several threads, and glibc's arenas spent about a fifth of the signed-in status page's CPU
/// (perf, `cargo make bench`) and kept freed memory.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Numbers of two options in `mi_option_e` of the mimalloc v3 that libmimalloc-sys 0.1.49
/// bundles (its Rust names stop short of them); the version is pinned in `Cargo.toml`.
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Gives freed memory back to the system at once and commits arenas as they are used, unless
/// the environment says otherwise (`MIMALLOC_PURGE_DELAY`, `MIMALLOC_ARENA_EAGER_COMMIT`). With
/// mimalloc's defaults the server rested at 50 MB; with these, at 24 MB (measured once each).
fn return_freed_memory() {
    for (option, name) in [
        (MI_OPTION_PURGE_DELAY, "MIMALLOC_PURGE_DELAY"),
        (MI_OPTION_ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT"),
    ] {
        if std::env::var_os(name).is_none() {
            // SAFETY: sets a global option of the allocator, before any thread but this one
            // exists; both options are read when memory is reserved or purged.
            unsafe { libmimalloc_sys::mi_option_set(option, 0) };
        }
    }
}

/// When a runtime thread runs out of work, at most once a second: mimalloc frees what other
/// threads gave back to this thread's heap (the buffers of connections that ended elsewhere)
/// and returns empty pages to the system. Without it, memory freed by closed status pages
/// stays with threads that have nothing more to allocate.
fn collect_when_idle() {
    #[cfg(not(feature = "system-allocator"))]
    {
        use std::cell::Cell;
        use std::time::{Duration, Instant};
        thread_local!(static LAST: Cell<Option<Instant>> = const { Cell::new(None) });
        LAST.with(|last| {
            if last.get().is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                last.set(Some(Instant::now()));
                // SAFETY: collects the calling thread's own heap; no pointer is passed.
                unsafe { libmimalloc_sys::mi_collect(false) };
            }
        });
    }
}

fn main() -> anyhow::Result<()> {
    if cfg!(not(feature = "system-allocator")) {
        return_freed_memory();
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(collect_when_idle)
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        if let Err(e) = server::cli::run(&args).await {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
        return Ok(());
    }
    server::telemetry::init();
    let leptos = get_configuration(None)?.leptos_options;
    let config = Config::from_env(leptos.site_addr)?;
    let demo = config.mode == Mode::Demo;
    let app = Application::build(config, leptos).await?;
    tracing::info!(url = %app.public_url(), "onboarding app ready");
    let seed = std::env::var("DEMO_APPLICANTS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok());
    if let (true, Some(count), Some(sandbox)) = (demo, seed, app.sandbox()) {
        tokio::spawn(server::demo::seed(
            app.services().clone(),
            sandbox,
            count.min(1000),
        ));
    }
    if demo {
        // Demo credentials on the terminal (not in the log): the password is public anyway.
        println!(
            "\n  Demo ready: {url}\n  Operator console: {url}/admin (log in as {} with \"{}\"; the second-factor page shows the demo's code)\n  Dev mailbox: {url}/dev/mailbox\n",
            onboarding::operators::DEMO_OPERATOR_EMAIL,
            onboarding::operators::DEMO_OPERATOR_PASSWORD,
            url = app.public_url(),
        );
    }
    app.run_until_stopped().await?;
    Ok(())
}
