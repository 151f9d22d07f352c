//! HTTP routes: Leptos pages and server functions, plain form posts, the webhook, health.

mod accounts;
mod activity;
mod console;
mod data_rights;
mod device;
mod documents;
mod events;
mod flash;
mod guard;
mod headers;
mod language;
mod mailbox;
mod pages;
mod passkeys;
mod password;
mod reminders;
mod verification;
mod webhooks;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use leptos::prelude::{provide_context, use_context};
use std::sync::{Arc, OnceLock};

use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

use crate::state::AppState;
use app::{App, shell};
pub use pages::PageCache;

/// Largest body of a form post or server-function call: our forms send well under 1 KB.
pub const FORM_BODY_LIMIT: usize = 8 * 1024;

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
        // What the page reads, read before it renders (`pages::preload`).
        if let Some(data) = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Arc<app::preload::Preloaded>>().cloned())
        {
            provide_context(data);
        }
    };
    let options = state.leptos_options.clone();
    let pkg = format!("/{}", options.site_pkg_dir);
    // The release build precompresses the bundle (brotli 11, gzip 9): served as is when present.
    let assets = ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    // Leptos renders the pages and answers their server functions, in one router (leptos_axum
    // registers every server function with each page router, so pages cannot be split by area).
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::preload,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.page_cache.clone(),
            pages::hashed_policy_and_cache,
        ))
        .layer(axum::middleware::from_fn(guard::require_login_for_private_pages));
    // One router per area, each with its own limits and, where it needs one, the login layer.
    let with_sessions = Router::new()
        .merge(small_and_quick(pages, &state))
        .merge(accounts::router(&state))
        .merge(password::router(&state))
        .merge(verification::router(&state))
        .merge(documents::router(&state))
        .merge(reminders::router(&state))
        .merge(data_rights::router(&state))
        .merge(passkeys::router(&state))
        .merge(language::router(&state))
        .merge(events::router(&state))
        .merge(mailbox::router(&state))
        .merge(console::router(&state))
        .layer(axum::middleware::from_fn(guard::same_origin_writes))
        .layer(axum::middleware::from_fn(flash::keep_flash))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            activity::keep_alive,
        ))
        .layer(axum::middleware::from_fn(language::saved))
        .layer(sessions)
        // A slot for the user row that loading the session brings along (one read for both).
        .layer(axum::middleware::from_fn(
            |request: axum::extract::Request, next: axum::middleware::Next| {
                onboarding::store::with_loaded_users(next.run(request))
            },
        ));
    // No sessions here: LedgerOS's webhooks, health checks and the static bundle.
    let sessionless = Router::new()
        .merge(webhooks::router(&state))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(crate::observability::ready))
        .route("/metrics", get(crate::observability::metrics))
        .nest_service(&pkg, assets);
    Router::new()
        .merge(sessionless)
        .merge(with_sessions)
        .route_layer(axum::middleware::from_fn(crate::observability::label_route))
        // The language, and the anonymous pages rendered before (kept per language): served
        // ahead of every session layer.
        .layer(axum::middleware::from_fn_with_state(
            state.page_cache.clone(),
            pages::serve_cached,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(CompressionLayer::new())
        // A client must keep its body coming: a pause this long between two chunks ends it.
        .layer(RequestBodyTimeoutLayer::new(state.timeouts.body))
        .layer(TraceLayer::new_for_http().make_span_with(guard::request_span))
        // Each request gets an id (unless a proxy gave one): in every log line of its span, and
        // in the answer's `x-request-id`.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(axum::middleware::from_fn(crate::observability::track_requests))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// What almost every route gets: a small body (forms and server functions send well under
/// 1 KB) and a quick answer (a live-status stream answers at once and then streams: the
/// timeout ends at the answer's start).
fn small_and_quick(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(RequestBodyLimitLayer::new(FORM_BODY_LIMIT))
        .layer(request_timeout(state.timeouts.request))
}

/// Answers 408 if the request has not been answered within `limit`.
fn request_timeout(limit: std::time::Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit)
}
