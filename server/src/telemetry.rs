//! Logging: readable lines in development, JSON when `LOG_FORMAT=json`.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn,hyper=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json");
    // `try_init`: tests start several apps in one process.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
