//! What every handler shares: the [`AppState`] the router is built with.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use onboarding::services::Services;
use onboarding::store::GroupCommit;
use onboarding::webhook::WebhookSecrets;

use crate::client_ip::TrustedProxies;
use crate::config::Timeouts;
use crate::limits::AuthLimits;
use crate::live::LiveStreams;

/// What handlers share: one reference-counted [`Shared`], so that the many per-request copies
/// (each layer and extractor with a state takes its own) cost one counter increment each.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What is in the [`AppState`].
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub webhook_secrets: WebhookSecrets,
    /// Verified webhooks go through here: deliveries that arrive together commit together.
    pub webhook_inbox: GroupCommit,
    pub public_url: String,
    pub limits: Arc<AuthLimits>,
    /// Emails go to the dev mailbox page instead of SMTP (demo mode).
    pub dev_mailbox: bool,
    /// Whose `X-Forwarded-For` we believe.
    pub trusted_proxies: TrustedProxies,
    /// Open live-status streams, per session.
    pub live_streams: Arc<LiveStreams>,
    /// Wakes the streams of the person whose status changed, and only theirs.
    pub status_hub: Arc<crate::live::StatusHub>,
    /// At most one status read from LedgerOS per user every few seconds.
    pub refresh_gate: Arc<app::auth::RefreshGate>,
    pub timeouts: Timeouts,
    /// The anonymous pages, rendered once.
    pub page_cache: Arc<crate::routes::PageCache>,
    /// Webhook deliveries refused here, on their way to the database's tally.
    pub webhook_refusals: Arc<RefusalTally>,
    pub mode: crate::config::Mode,
    /// The built-in LedgerOS sandbox (demo mode): the console's demo data goes through it.
    pub sandbox: Option<Arc<sandbox::Sandbox>>,
    /// What `/metrics` asks for (see [`crate::config::Config::metrics_token`]).
    pub metrics_token: Option<secrecy::SecretString>,
    /// Signs the signup form's proof-of-work challenges.
    pub proof_key: onboarding::proof_of_work::ProofKey,
    /// Passkey ceremonies, when the public URL's host is a domain (WebAuthn needs one).
    pub passkeys: Option<Arc<onboarding::passkeys::Passkeys>>,
}

/// Refused webhook deliveries counted in memory and added to the database's per-minute tally
/// every few seconds ([`RefusalTally::flush_every`]): a flood of forged deliveries costs a
/// counter increment each, not a database write each.
#[derive(Default)]
pub struct RefusalTally {
    counts: std::sync::Mutex<std::collections::BTreeMap<&'static str, i64>>,
}

impl RefusalTally {
    pub fn add(&self, reason: &'static str) {
        *self
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(reason)
            .or_default() += 1;
    }

    fn take(&self) -> Vec<(&'static str, i64)> {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(|p| p.into_inner()))
            .into_iter()
            .collect()
    }

    /// Adds what was counted to the database every `period`, until the tally is dropped.
    pub async fn flush_every(
        tally: std::sync::Weak<Self>,
        store: onboarding::store::Store,
        period: std::time::Duration,
    ) {
        loop {
            tokio::time::sleep(period).await;
            let Some(tally) = tally.upgrade() else { return };
            for (reason, count) in tally.take() {
                if let Err(e) = store.count_webhook_refusals(reason, count).await {
                    tracing::warn!(error = %e, "could not tally refused webhooks");
                }
            }
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for TrustedProxies {
    fn from_ref(state: &AppState) -> Self {
        state.trusted_proxies.clone()
    }
}
