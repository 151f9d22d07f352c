//! `POST /webhooks/ledger`: verify, store durably, apply, acknowledge. Deliveries that arrive
//! together are committed together ([`GroupCommit`](onboarding::store::GroupCommit)).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use onboarding::store::{EventOutcome, InboxEvent};
use onboarding::webhook::ParsedEvent;
use onboarding::webhook::signature::SIGNATURE_HEADER;
use serde_json::json;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use tower::ServiceBuilder;

/// Largest webhook body we read; LedgerOS events are a few hundred bytes.
const WEBHOOK_BODY_LIMIT: usize = 64 * 1024;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new().route(
        "/webhooks/ledger",
        post(receive).layer(
            ServiceBuilder::new()
                .layer(super::request_timeout(state.timeouts.request))
                .layer(DefaultBodyLimit::max(WEBHOOK_BODY_LIMIT)),
        ),
    )
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The signature is checked on the raw bytes before anything is parsed. The event is committed
/// (stored and applied in one transaction) before we answer 2xx, so an acknowledged event is
/// never lost; if storing fails we answer 500 and LedgerOS retries.
async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(signature) = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()) else {
        tracing::warn!("webhook without a signature refused");
        state.webhook_refusals.add("signature");
        count("unknown", "refused_signature");
        return refuse(StatusCode::UNAUTHORIZED, "missing signature");
    };
    let now = state.services.clock.now_secs();
    if let Err(reason) = state.webhook_secrets.verify(signature, &body, now) {
        tracing::warn!(%reason, "webhook with a bad signature refused");
        state.webhook_refusals.add("signature");
        count("unknown", "refused_signature");
        return refuse(StatusCode::UNAUTHORIZED, "invalid signature");
    }
    let event = match ParsedEvent::from_json(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = %e, "signed webhook with a malformed body refused");
            state.webhook_refusals.add("malformed");
            count("unknown", "malformed");
            return refuse(StatusCode::BAD_REQUEST, "malformed event");
        }
    };
    if let Some(header_id) = headers.get("x-ledger-event-id").and_then(|v| v.to_str().ok())
        && header_id != event.id.as_str()
    {
        return refuse(StatusCode::BAD_REQUEST, "event id header and body disagree");
    }
    let inbox = InboxEvent::from_webhook(&event, &body);
    match state.webhook_inbox.ingest(inbox).await {
        Ok(outcome) => {
            tracing::info!(event = %event.id.as_str(), kind = %event.type_name, ?outcome, "webhook accepted");
            let duplicate = outcome == EventOutcome::Duplicate;
            let kind = match &outcome {
                EventOutcome::Applied(_) => "applied",
                EventOutcome::Duplicate => "duplicate",
                EventOutcome::Ignored(_) => "stale",
                EventOutcome::Recorded => "recorded",
                EventOutcome::Waiting => "waiting",
            };
            count(&event.type_name, kind);
            (
                StatusCode::OK,
                Json(json!({ "received": true, "duplicate": duplicate })),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(event = %event.id.as_str(), error = %e, "webhook could not be stored; LedgerOS will retry");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "temporarily unavailable")
        }
    }
}

/// Counts a delivery by type (LedgerOS's three; anything else is "other", so a sender cannot
/// grow the label set) and outcome.
fn count(event_type: &str, outcome: &'static str) {
    let event_type = match event_type {
        "user.application.approved"
        | "user.application.denied"
        | "user.application.needs_info"
        | "unknown" => event_type.to_owned(),
        _ => "other".to_owned(),
    };
    metrics::counter!("onboarding_webhooks_total", "type" => event_type, "outcome" => outcome).increment(1);
}
