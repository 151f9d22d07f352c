use leptos::config::get_configuration;
use server::config::{Config, Mode};
use server::startup::Application;

/// mimalloc instead of glibc's malloc: a page render makes many small short-lived allocations
/// on several threads, and glibc's arenas spent about a fifth of the signed-in status page's CPU
/// (perf, `cargo make bench`) and kept freed memory.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    if cfg!(not(feature = "system-allocator")) {
        server::memory::return_freed_memory();
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(server::memory::collect_when_idle)
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
