//! What operators watch: `/readyz` (the database and LedgerOS answer), `/metrics` in
//! Prometheus's text format (through the `metrics` facade and its Prometheus exporter), and
//! the request id every log line of a request carries (`x-request-id`, made here when the
//! client sent none, and returned in the answer).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;

use crate::config::Mode;
use crate::state::AppState;

/// How often the recorder folds the timings recorded since into its buckets.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's Prometheus recorder (one per process: tests start several apps in one).
///
/// A recorder installed this way keeps every timing it is given, one by one (about 8 bytes
/// each), until something folds them into the histogram's buckets: a scrape of `/metrics`, or
/// its upkeep. Without a scraper (the demo, an instance nobody watches yet) that was every
/// request's timing for the life of the process: at 100 requests a second, 70 MB a day. A
/// thread of its own runs the upkeep, whichever runtime or test is running.
pub fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = recorder();
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("metrics-upkeep".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            })
            .expect("a thread for the metrics' upkeep");
        handle
    })
}

fn recorder() -> PrometheusHandle {
    PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Suffix("seconds".to_owned()),
            &[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ],
        )
        .expect("the buckets are not empty")
        .install_recorder()
        .expect("no other metrics recorder is installed")
}

/// The route a response came from (its pattern, never the raw path: ids stay out of labels).
#[derive(Clone)]
pub struct RouteLabel(pub &'static str);

/// Inside the router: tags the response with the matched route's pattern.
pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| intern(m.as_str()));
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// Route patterns as `&'static str` labels (a small, fixed set: the app's routes).
fn intern(route: &str) -> &'static str {
    static ROUTES: OnceLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> = OnceLock::new();
    let mut routes = ROUTES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(known) = routes.get(route) {
        return known;
    }
    let leaked: &'static str = Box::leak(route.to_owned().into_boxed_str());
    routes.insert(leaked);
    leaked
}

/// Outermost: the time to the answer's head, by route, method and status class.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or("unmatched", |r| r.0);
    let status = match response.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::histogram!(
        "onboarding_http_request_duration_seconds",
        "route" => route,
        "method" => method,
        "status" => status
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /readyz`: 200 when the database answers and LedgerOS answers HTTP (within 2 s each),
/// else 503, saying which failed.
pub async fn ready(State(state): State<AppState>) -> Response {
    let services = &state.services;
    let limit = Duration::from_secs(2);
    let database = async {
        matches!(
            tokio::time::timeout(limit, services.store.pending_jobs()).await,
            Ok(Ok(_))
        )
    };
    let (database, ledger) = tokio::join!(database, services.ledger.reachable(limit));
    let word = |ok: bool| if ok { "ok" } else { "unreachable" };
    let body = format!(
        "{{\"database\":\"{}\",\"ledgeros\":\"{}\"}}\n",
        word(database),
        word(ledger)
    );
    let status = if database && ledger {
        StatusCode::OK
    } else {
        tracing::warn!(database, ledgeros = ledger, "not ready");
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `GET /metrics`, for a Prometheus scraper holding `METRICS_TOKEN` (or anyone in demo mode
/// when no token is set). Counters and latencies are this instance's; the figures read from
/// the database (applicants by status, the outboxes) are the deployment's.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match &state.metrics_token {
        Some(token) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            if !onboarding::webhook::signature::constant_time_eq(
                given.as_bytes(),
                token.expose_secret().as_bytes(),
            ) {
                return (
                    StatusCode::UNAUTHORIZED,
                    [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
                    "a bearer token is needed (METRICS_TOKEN)\n",
                )
                    .into_response();
            }
        }
        None if state.mode == Mode::Demo => {}
        None => return StatusCode::NOT_FOUND.into_response(),
    }
    let now = state.services.clock.now_ms();
    match state.services.store.figures().await {
        Ok(figures) => {
            for (status, count) in &figures.applicants_by_status {
                metrics::gauge!("onboarding_applicants", "status" => status.clone()).set(*count as f64);
            }
            metrics::gauge!("onboarding_outbox_emails").set(figures.emails_waiting as f64);
            metrics::gauge!("onboarding_outbox_emails_oldest_age_seconds").set(
                figures
                    .oldest_email_at
                    .map_or(0.0, |at| (now - at).max(0) as f64 / 1000.0),
            );
            metrics::gauge!("onboarding_outbox_jobs").set(figures.jobs_waiting as f64);
            metrics::gauge!("onboarding_outbox_jobs_oldest_age_seconds").set(
                figures
                    .oldest_job_at
                    .map_or(0.0, |at| (now - at).max(0) as f64 / 1000.0),
            );
        }
        Err(e) => tracing::warn!(error = %e, "metrics: could not read the database figures"),
    }
    // The verification budget (issue 30), shared by every instance.
    let budget = state.services.budget;
    match (
        state.services.store.verification_spend(now).await,
        state.services.store.budget_waiting().await,
    ) {
        (Ok(spend), Ok(waiting)) => {
            metrics::gauge!("onboarding_verifications_created_this_hour").set(spend.this_hour as f64);
            metrics::gauge!("onboarding_verifications_created_today").set(spend.today as f64);
            metrics::gauge!("onboarding_verifications_waiting_for_budget").set(waiting as f64);
            if let Some(left) = budget.left(&spend) {
                metrics::gauge!("onboarding_verification_budget_left").set(left as f64);
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "metrics: could not read the verification budget")
        }
    }
    // What retention and erasures removed, by rule, on every instance together.
    match state.services.store.retention_tally().await {
        Ok(tally) => {
            for rule in tally {
                metrics::gauge!("onboarding_retention_rows_removed", "rule" => rule.rule)
                    .set(rule.removed as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: could not read the retention tally"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        prometheus().render(),
    )
        .into_response()
}
