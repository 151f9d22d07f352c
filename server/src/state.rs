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

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
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
    /// At most one status read from LedgerOS per user every few seconds.
    pub refresh_gate: Arc<app::auth::RefreshGate>,
    pub timeouts: Timeouts,
    /// The anonymous pages, rendered once.
    pub page_cache: Arc<crate::routes::PageCache>,
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
