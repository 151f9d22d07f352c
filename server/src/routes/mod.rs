//! HTTP routes: Leptos pages and server functions, plain form posts, the webhook, health.

mod accounts;
mod device;
mod documents;
mod events;
mod forms;
mod guard;
mod headers;
mod mailbox;
mod webhooks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use std::sync::OnceLock;

use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

use crate::state::AppState;
use app::{App, shell};

/// Largest webhook body we read; LedgerOS events are a few hundred bytes.
const WEBHOOK_BODY_LIMIT: usize = 64 * 1024;
/// Largest body of a form post or server-function call: our forms send well under 1 KB.
pub const FORM_BODY_LIMIT: usize = 8 * 1024;
/// Largest appeal post: 4,000 characters, percent-encoded.
const APPEAL_BODY_LIMIT: usize = 48 * 1024;

/// The app's routes, worked out once per process. Leptos renders the whole app to list them and
/// meanwhile holds every resource in the process pending (a process-wide flag), so listing them
/// again while another app instance serves pages (tests run several at once) would hang its
/// renders for good (leptos-rs/leptos#4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The app's routes. `sessions` (the session and sign-in layers) wraps everything but the
/// webhook, the health check and the static bundle under `/pkg`: none of them reads a session.
pub fn router<L>(state: AppState, sessions: L) -> Router
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Response: axum::response::IntoResponse + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
{
    let routes = route_list();
    let services = state.services.clone();
    let mailbox = app::views::DevMailbox(state.dev_mailbox);
    let refresh_gate = state.refresh_gate.clone();
    let context = move || {
        provide_context(services.clone());
        provide_context(mailbox);
        provide_context(refresh_gate.clone());
        // A fresh nonce per page for the hydration script, named in the page's CSP.
        leptos::nonce::provide_nonce();
    };
    let options = state.leptos_options.clone();
    let pkg = format!("/{}", options.site_pkg_dir);
    let assets = ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir));
    let dynamic = Router::new()
        .route("/signup", post(accounts::signup))
        .route("/signup/confirm", post(accounts::confirm_signup))
        .route("/login", post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route("/password/forgot", post(accounts::forgot_password))
        .route("/password/reset", post(accounts::reset_password))
        .route("/verification/start", post(forms::start_verification))
        .route("/verification/continue", get(forms::continue_verification))
        .route(
            "/reminders/stop",
            get(forms::stop_reminders).post(forms::stop_reminders_one_click),
        )
        .route("/reminders/resume", post(forms::resume_reminders))
        .route("/account/reminders", post(forms::account_reminders))
        .route("/dev/mailbox", get(mailbox::list))
        .route("/dev/mailbox/{id}", get(mailbox::show))
        .route("/events/status", get(events::status_events))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Every body here is small, and every answer quick (a live-status stream answers at
        // once and then streams: the timeout ends at the answer's start).
        .layer(RequestBodyLimitLayer::new(FORM_BODY_LIMIT))
        .layer(request_timeout(state.timeouts.request))
        .route(
            "/appeal",
            post(forms::appeal).layer(
                ServiceBuilder::new()
                    .layer(RequestBodyLimitLayer::new(APPEAL_BODY_LIMIT))
                    .layer(request_timeout(state.timeouts.request)),
            ),
        )
        .route(
            "/documents",
            post(documents::upload).layer(
                ServiceBuilder::new()
                    .layer(request_timeout(state.timeouts.upload))
                    .layer(DefaultBodyLimit::max(documents::BODY_LIMIT)),
            ),
        )
        .layer(axum::middleware::from_fn(guard::require_login))
        .layer(axum::middleware::from_fn(guard::same_origin_writes))
        .layer(axum::middleware::from_fn(forms::keep_flash))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ))
        .layer(sessions);
    // No sessions here: LedgerOS's webhooks, health checks and the static bundle.
    let sessionless = Router::new()
        .route(
            "/webhooks/ledger",
            post(webhooks::receive).layer(
                ServiceBuilder::new()
                    .layer(request_timeout(state.timeouts.request))
                    .layer(DefaultBodyLimit::max(WEBHOOK_BODY_LIMIT)),
            ),
        )
        .route("/healthz", get(|| async { "ok" }))
        .nest_service(&pkg, assets);
    Router::new()
        .merge(sessionless)
        .merge(dynamic)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(CompressionLayer::new())
        // A client must keep its body coming: a pause this long between two chunks ends it.
        .layer(RequestBodyTimeoutLayer::new(state.timeouts.body))
        .layer(TraceLayer::new_for_http().make_span_with(guard::request_span))
        .with_state(state)
}

/// Answers 408 if the request has not been answered within `limit`.
fn request_timeout(limit: std::time::Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit)
}
