//! Building the application: database, LedgerOS client (or the sandbox), routes, workers.

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum_login::AuthManagerLayerBuilder;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use leptos::config::LeptosOptions;
use onboarding::clock::Clock;
use onboarding::email::Mailer;
use onboarding::ledger::LedgerClient;
use onboarding::services::Services;
use onboarding::store::SessionStore;
use onboarding::store::Store;
use sandbox::{Sandbox, SandboxConfig};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};

use crate::config::{Config, Mode};
use crate::limits::AuthLimits;
use crate::live::LiveStreams;
use crate::routes;
use crate::state::AppState;
use crate::supervise::supervise;
use crate::takeover::{StreamThread, Takeover};

/// The running server, and the sandbox when it runs one.
pub struct Application {
    listener: TcpListener,
    router: Router,
    public_url: String,
    sandbox: Option<Arc<Sandbox>>,
    services: Services,
    workers: Vec<tokio::task::JoinHandle<()>>,
    header_read_timeout: Duration,
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
        match config.mode {
            Mode::Demo => tracing::warn!(
                "DEMO MODE: built-in LedgerOS sandbox, the public demo webhook secret and an open dev mailbox. Not for real customers: set LEDGER_API_URL, its secrets and SMTP_URL for that"
            ),
            Mode::Live => tracing::info!("live mode: real LedgerOS and real email"),
        }
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {} (LEPTOS_SITE_ADDR)", config.site_addr))?;
        let local: SocketAddr = listener.local_addr()?;
        leptos_options.site_addr = local;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));

        crate::observability::prometheus();
        // The database URL may hold a password: the error names the variable, not its value.
        let store = Store::connect(&config.database_url, clock.clone(), &public_url)
            .await
            .context("cannot open the database in DATABASE_URL")?;
        tracing::info!(backend = store.kind(), "database ready, migrations applied");
        if config.mode == Mode::Demo {
            onboarding::operators::ensure_demo_operator(&store).await?;
        }

        let (sandbox, ledger_url) = match &config.ledger_api_url {
            Some(url) => (None, url.clone()),
            None => {
                let sandbox_listener = TcpListener::bind(config.sandbox_addr).await.with_context(|| {
                    format!(
                        "cannot listen on {} for the built-in sandbox (SANDBOX_ADDR)",
                        config.sandbox_addr
                    )
                })?;
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
                        status_updates: config.sandbox_status_updates,
                        state_file: sandbox_state_file(&config.database_url),
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
            status_check_gap: config.status_check_gap,
            workers: Default::default(),
            data_policy: config.data_policy,
            budget: config.budget,
        };
        let mailer = match &config.smtp_url {
            Some(url) => Mailer::smtp(url.expose_secret(), &config.mail_from)?,
            None => {
                tracing::info!("SMTP_URL is not set: emails go to the dev mailbox at /dev/mailbox");
                Mailer::DevMailbox
            }
        };
        let dev_mailbox = mailer.keeps_bodies();

        let session_store = store.session_store();
        let cleanup = tokio::spawn(delete_expired_sessions(
            session_store.clone(),
            config.session_cleanup,
        ));
        let https = public_url.starts_with("https://");
        let sessions = SessionManagerLayer::new(session_store)
            .with_name(if https { "__Host-session" } else { "session" })
            .with_secure(https)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(time::Duration::minutes(30)));
        let auth = AuthManagerLayerBuilder::new(app::auth::Backend::new(services.clone()), sessions).build();

        let refusals = Arc::new(crate::state::RefusalTally::default());
        let tally = tokio::spawn(crate::state::RefusalTally::flush_every(
            Arc::downgrade(&refusals),
            store.clone(),
            config.worker_idle.max(Duration::from_secs(1)),
        ));
        let workers = vec![
            {
                let (services, idle) = (services.clone(), config.worker_idle);
                supervise("ledger-calls", move || {
                    onboarding::jobs::ledger_calls::work(services.clone(), idle)
                })
            },
            {
                let (services, reconciler) = (services.clone(), config.reconciler.clone());
                supervise("reconciler", move || {
                    onboarding::jobs::reconciler::work(services.clone(), reconciler.clone())
                })
            },
            {
                let (store, clock, idle) = (store.clone(), clock.clone(), config.worker_idle);
                supervise("mail", move || {
                    onboarding::jobs::mail::work(store.clone(), mailer.clone(), clock.clone(), idle)
                })
            },
            {
                let (services, reminders) = (services.clone(), config.reminders.clone());
                supervise("reminders", move || {
                    onboarding::jobs::reminders::work(services.clone(), reminders.clone())
                })
            },
            {
                let (services, poll) = (services.clone(), config.erasure_poll);
                supervise("erasures", move || {
                    onboarding::data_rights::work(services.clone(), poll)
                })
            },
            {
                let store = store.clone();
                supervise("funnel", move || {
                    onboarding::jobs::funnel::work(store.clone(), onboarding::jobs::funnel::EVERY)
                })
            },
            cleanup,
            tally,
        ];
        // Several instances share one PostgreSQL: they must share the counts too.
        let shared_limits = (store.kind() == "postgres").then(|| store.clone());
        let limits = Arc::new(AuthLimits::new(shared_limits));
        tokio::spawn(prune_limits(Arc::downgrade(&limits)));
        let status_hub = Arc::new(crate::live::StatusHub::default());
        tokio::spawn(status_hub.clone().run(store.subscribe()));
        // Every instance has the same webhook secret, so the same key for the challenges.
        let proof_key = onboarding::proof_of_work::ProofKey::derived_from(
            config
                .webhook_secrets
                .primary()
                .map(|secret| secret.expose_secret().as_bytes())
                .unwrap_or_default(),
        );
        let state = AppState::new(crate::state::Shared {
            proof_key,
            leptos_options,
            services: services.clone(),
            webhook_secrets: config.webhook_secrets,
            webhook_inbox: onboarding::store::GroupCommit::for_store(store.clone()),
            public_url: public_url.clone(),
            limits,
            dev_mailbox,
            trusted_proxies: config.trusted_proxies,
            live_streams: Arc::new(LiveStreams::default()),
            status_hub,
            refresh_gate: Arc::new(app::auth::RefreshGate::default()),
            timeouts: config.timeouts.clone(),
            page_cache: Arc::default(),
            webhook_refusals: refusals,
            mode: config.mode,
            sandbox: sandbox.clone(),
            metrics_token: config.metrics_token.clone(),
            passkeys: passkeys_for(&public_url),
        });
        let router = routes::router(state, auth);
        Ok(Self {
            listener,
            router,
            public_url,
            sandbox,
            services,
            workers,
            header_read_timeout: config.timeouts.header_read,
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
    ///
    /// Our own accept loop rather than `axum::serve`, for one setting it lacks: a client must
    /// send its request headers within the header-read timeout (a client that trickles them is
    /// cut off). Body and whole-request timeouts are layers on the router.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Like [`Application::run_until_stopped`], stopping when `stop` completes (tests replace a
    /// process this way).
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()>) -> std::io::Result<()> {
        let _sandbox = self.sandbox;
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout);
        builder.http2().timer(TokioTimer::new());
        let graceful = GracefulShutdown::new();
        let stopping = tokio::sync::watch::Sender::new(false);
        let streams = Arc::new(StreamThread::start(stopping.subscribe())?);
        let mut stop = pin!(stop);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, say: wait a little rather than spin.
                        tracing::warn!(error = %e, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut stop => break,
            };
            let _ = stream.set_nodelay(true);
            let stream = Arc::new(stream);
            let takeover = Takeover::default();
            let io = takeover.io(stream.clone());
            let router = self.router.clone();
            let connection_takeover = takeover.clone();
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    if request.version() == hyper::Version::HTTP_11 {
                        request.extensions_mut().insert(connection_takeover.clone());
                    }
                    let takeover = connection_takeover.clone();
                    let response = router.clone().oneshot(request.map(Body::new));
                    async move { response.await.map(|response| takeover.intercept(response)) }
                });
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(io), service)
                .into_owned();
            let connection = graceful.watch(connection);
            let streams = streams.clone();
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                // A stream that took the connection: hyper has let it go (and its buffers).
                if let Some(handover) = takeover.handover()
                    && let Ok(stream) = Arc::try_unwrap(stream)
                {
                    streams.serve(stream, handover);
                }
            });
        }
        drop(self.listener);
        // Streams served outside hyper end now; their pages reconnect (to another instance).
        let _ = stopping.send(true);
        // Jobs are durable: one cut short here is taken up again after its lease.
        for worker in self.workers {
            worker.abort();
        }
        // Open requests get a while to finish; live-status streams would never end by themselves.
        if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown())
            .await
            .is_err()
        {
            tracing::info!("stopped with connections still open");
        }
        Ok(())
    }
}

/// Deletes expired sessions (anonymous ones too: each failed form leaves one) every `period`.
async fn delete_expired_sessions(store: SessionStore, period: Duration) {
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
    }
}

/// Lets rate-limit entries that have recovered go, once a minute, for as long as the app lives.
async fn prune_limits(limits: std::sync::Weak<AuthLimits>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match limits.upgrade() {
            Some(limits) => limits.prune().await,
            None => return,
        }
    }
}

/// Where the demo's sandbox keeps its users: beside the SQLite database
/// (`data/onboarding.db` → `data/onboarding.sandbox.json`), so a restarted demo still knows
/// every LedgerOS user and verification link the database refers to. On PostgreSQL, none.
fn sandbox_state_file(database_url: &str) -> Option<std::path::PathBuf> {
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(std::path::Path::new(path).with_extension("sandbox.json"))
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

/// Passkeys for the site at `public_url`, unless its host is an address (WebAuthn needs a
/// domain; the demo runs on `localhost`).
fn passkeys_for(public_url: &str) -> Option<Arc<onboarding::passkeys::Passkeys>> {
    let passkeys = onboarding::passkeys::Passkeys::new(public_url, app::BRAND);
    if passkeys.is_none() {
        tracing::info!(
            "passkeys are off: PUBLIC_URL's host is not a domain name (use localhost, not 127.0.0.1)"
        );
    }
    passkeys.map(Arc::new)
}
