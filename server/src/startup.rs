//! Building the application: database, LedgerOS client (or the sandbox), routes, workers.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum_login::AuthManagerLayerBuilder;
use leptos::config::LeptosOptions;
use onboarding::clock::Clock;
use onboarding::email::Mailer;
use onboarding::ledger::LedgerClient;
use onboarding::sandbox::{Sandbox, SandboxConfig};
use onboarding::services::Services;
use onboarding::store::Store;
use onboarding::webhook::WebhookSecrets;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use crate::config::Config;
use crate::limits::AuthLimits;
use crate::routes;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub webhook_secrets: WebhookSecrets,
    pub public_url: String,
    pub limits: Arc<AuthLimits>,
    /// Emails go to the dev mailbox page instead of SMTP (demo mode).
    pub dev_mailbox: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The running server, and the sandbox when it runs one.
pub struct Application {
    listener: TcpListener,
    router: Router,
    public_url: String,
    sandbox: Option<Arc<Sandbox>>,
    services: Services,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Opens the database, starts the sandbox if no LedgerOS URL is configured, binds the
    /// listener and assembles the routes. Nothing is served until [`Application::run_until_stopped`].
    pub async fn build(config: Config, leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        Self::build_with_clock(config, leptos_options, Clock::system()).await
    }

    pub async fn build_with_clock(
        config: Config,
        mut leptos_options: LeptosOptions,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        ensure_sqlite_dir(&config.database_url)?;
        let store = Store::connect(&config.database_url, clock.clone()).await?;

        let listener = TcpListener::bind(config.site_addr).await?;
        let local: SocketAddr = listener.local_addr()?;
        leptos_options.site_addr = local;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));

        let (sandbox, ledger_url) = match &config.ledger_api_url {
            Some(url) => (None, url.clone()),
            None => {
                let sandbox_listener = TcpListener::bind(config.sandbox_addr).await?;
                let sandbox = Sandbox::start(
                    SandboxConfig {
                        api_key: config.ledger_api_key.expose_secret().to_owned(),
                        webhook_secrets: vec![
                            config
                                .webhook_secrets
                                .primary()
                                .map(|s| s.expose_secret().to_owned())
                                .unwrap_or_default(),
                        ],
                        app_url: public_url.clone(),
                    },
                    sandbox_listener,
                )
                .await?;
                tracing::info!(url = %sandbox.base_url(), "built-in LedgerOS sandbox started (demo mode)");
                let url = sandbox.base_url().to_owned();
                (Some(Arc::new(sandbox)), url)
            }
        };
        let ledger = LedgerClient::new(&ledger_url, config.ledger_api_key.clone())?;
        let services = Services {
            store: store.clone(),
            ledger,
            clock: clock.clone(),
            public_url: public_url.clone(),
        };
        let mailer = match &config.smtp_url {
            Some(url) => Mailer::smtp(url.expose_secret(), &config.mail_from)?,
            None => {
                tracing::info!("SMTP_URL is not set: emails go to the dev mailbox at /dev/mailbox");
                Mailer::DevMailbox
            }
        };
        let dev_mailbox = mailer.keeps_bodies();

        let session_store = SqliteStore::new(store.sqlite_pool().clone());
        session_store.migrate().await?;
        let https = public_url.starts_with("https://");
        let sessions = SessionManagerLayer::new(session_store)
            .with_name(if https { "__Host-session" } else { "session" })
            .with_secure(https)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(time::Duration::minutes(30)));
        let auth = AuthManagerLayerBuilder::new(app::auth::Backend::new(services.clone()), sessions).build();

        let workers = vec![
            tokio::spawn(onboarding::jobs::outbox::work(
                services.clone(),
                config.outbox_idle,
            )),
            tokio::spawn(onboarding::jobs::reconciler::work(
                services.clone(),
                config.reconciler.clone(),
            )),
            tokio::spawn(onboarding::jobs::mail::work(
                store.clone(),
                mailer,
                clock,
                config.outbox_idle,
            )),
            tokio::spawn(onboarding::jobs::reminders::work(
                services.clone(),
                config.reminders.clone(),
            )),
        ];
        let limits = Arc::new(AuthLimits::default());
        tokio::spawn(prune_limits(Arc::downgrade(&limits)));
        let state = AppState {
            leptos_options,
            services: services.clone(),
            webhook_secrets: config.webhook_secrets,
            public_url: public_url.clone(),
            limits,
            dev_mailbox,
        };
        let router = routes::router(state, auth);
        Ok(Self {
            listener,
            router,
            public_url,
            sandbox,
            services,
            workers,
        })
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// The sandbox this app started, if it runs in demo mode.
    pub fn sandbox(&self) -> Option<Arc<Sandbox>> {
        self.sandbox.clone()
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM), then finishes open requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _sandbox = self.sandbox;
        let served = axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await;
        // Jobs are durable: one cut short here is taken up again after its lease.
        for worker in self.workers {
            worker.abort();
        }
        served
    }
}

/// Lets rate-limit entries that have recovered go, once a minute, for as long as the app lives.
async fn prune_limits(limits: std::sync::Weak<AuthLimits>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match limits.upgrade() {
            Some(limits) => limits.prune(),
            None => return,
        }
    }
}

/// Creates the folder of a SQLite file URL, so the demo works from a fresh clone.
fn ensure_sqlite_dir(url: &str) -> std::io::Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
