//! `GET /events/status`: a server-sent event each time the signed-in user's status changes,
//! so an open status page updates by itself.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use onboarding::store::UserId;
use tokio::sync::broadcast::error::RecvError;

use crate::startup::AppState;

pub async fn status_events(State(state): State<AppState>, auth: app::auth::Auth) -> Response {
    let Some(user) = app::auth::user_id(&auth).await else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    let changes = state.services.store.subscribe();
    Sse::new(events_for(user, changes))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// A `status` event carrying the new status for each change of `user`; a `resync` event if we
/// fell behind (the page then reloads its status, so nothing is missed).
fn events_for(
    user: UserId,
    changes: tokio::sync::broadcast::Receiver<UserId>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold((user, changes), |(user, mut changes)| async move {
        loop {
            match changes.recv().await {
                Ok(changed) if changed == user => {
                    return Some((
                        Ok(Event::default().event("status").data("changed")),
                        (user, changes),
                    ));
                }
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    return Some((
                        Ok(Event::default().event("status").data("resync")),
                        (user, changes),
                    ));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
