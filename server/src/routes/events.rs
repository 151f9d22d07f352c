//! `GET /events/status`: a server-sent event each time the signed-in user's status changes,
//! so an open status page updates by itself.
//!
//! Streams are counted by [`crate::live::LiveStreams`]: a few per session and a cap in all; every stream of a
//! session ends when that session logs out.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use onboarding::store::UserId;
use tokio::sync::broadcast::error::RecvError;

use crate::live::StreamTicket;
use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let streams = Router::new()
        .route("/events/status", get(status_events))
        .route_layer(axum::middleware::from_fn(super::guard::require_login));
    super::small_and_quick(streams, state)
}

async fn status_events(State(state): State<AppState>, auth: app::auth::Auth) -> Response {
    let Some(user) = app::auth::user_id(&auth).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(session) = auth.session.id().map(|id| id.to_string()) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let ticket = match state.live_streams.open(&session) {
        Ok(ticket) => ticket,
        Err(refused) => {
            tracing::info!(%user, ?refused, "live-status stream refused");
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many live status pages are open. Close a few tabs, or reload to see the latest status.",
            )
                .into_response();
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("30"));
            return response;
        }
    };
    let changes = state.services.store.subscribe();
    Sse::new(events_for(user, changes, ticket))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// A `status` event carrying the new status for each change of `user`; a `resync` event if we
/// fell behind (the page then reloads its status, so nothing is missed). Ends when the session
/// logs out.
fn events_for(
    user: UserId,
    changes: tokio::sync::broadcast::Receiver<UserId>,
    ticket: StreamTicket,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(
        (user, changes, ticket),
        |(user, mut changes, mut ticket)| async move {
            loop {
                if *ticket.closed.borrow() {
                    return None;
                }
                tokio::select! {
                    closed = ticket.closed.changed() => {
                        if closed.is_err() || *ticket.closed.borrow() {
                            return None;
                        }
                    }
                    change = changes.recv() => match change {
                        Ok(changed) if changed == user => {
                            let event = Event::default().event("status").data("changed");
                            return Some((Ok(event), (user, changes, ticket)));
                        }
                        Ok(_) => continue,
                        Err(RecvError::Lagged(_)) => {
                            let event = Event::default().event("status").data("resync");
                            return Some((Ok(event), (user, changes, ticket)));
                        }
                        Err(RecvError::Closed) => return None,
                    },
                }
            }
        },
    )
}
