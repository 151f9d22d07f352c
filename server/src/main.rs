use leptos::config::get_configuration;
use server::config::Config;
use server::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::telemetry::init();
    let leptos = get_configuration(None)?.leptos_options;
    let config = Config::from_env(leptos.site_addr)?;
    let app = Application::build(config, leptos).await?;
    tracing::info!(url = %app.public_url(), "onboarding app ready");
    app.run_until_stopped().await?;
    Ok(())
}
