//! `GET /events/status`: a server-sent event each time the signed-in user's status changes,
//! so an open status page updates by itself.
//!
//! Streams are counted per session ([`MAX_STREAMS_PER_SESSION`], one per open tab or so) and in
//! all ([`MAX_STREAMS`]), and every stream of a session ends when that session logs out.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use onboarding::store::UserId;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use crate::startup::AppState;

/// Live-status streams one session may hold open at once.
pub const MAX_STREAMS_PER_SESSION: usize = 4;
/// Live-status streams the whole process holds open at once.
pub const MAX_STREAMS: usize = 10_000;

/// The open live-status streams, by session id.
#[derive(Default)]
pub struct LiveStreams {
    sessions: Mutex<HashMap<String, SessionStreams>>,
}

struct SessionStreams {
    open: usize,
    /// Set to `true` when the session logs out.
    closed: watch::Sender<bool>,
}

/// Why a stream could not be opened.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamRefused {
    SessionFull,
    ServerFull,
}

impl LiveStreams {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, SessionStreams>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a new stream for `session`; the ticket gives the count back when dropped and
    /// tells the stream when the session logs out.
    pub fn open(self: &Arc<Self>, session: &str) -> Result<StreamTicket, StreamRefused> {
        let mut sessions = self.lock();
        let total: usize = sessions.values().map(|s| s.open).sum();
        if total >= MAX_STREAMS {
            return Err(StreamRefused::ServerFull);
        }
        let entry = sessions
            .entry(session.to_owned())
            .or_insert_with(|| SessionStreams {
                open: 0,
                closed: watch::channel(false).0,
            });
        if entry.open >= MAX_STREAMS_PER_SESSION {
            return Err(StreamRefused::SessionFull);
        }
        entry.open += 1;
        Ok(StreamTicket {
            streams: self.clone(),
            session: session.to_owned(),
            closed: entry.closed.subscribe(),
        })
    }

    /// Ends every stream of `session` (at logout).
    pub fn close(&self, session: &str) {
        if let Some(entry) = self.lock().remove(session) {
            let _ = entry.closed.send(true);
        }
    }

    /// Streams open for `session` now.
    pub fn open_for(&self, session: &str) -> usize {
        self.lock().get(session).map_or(0, |s| s.open)
    }
}

/// One open stream's place in [`LiveStreams`].
pub struct StreamTicket {
    streams: Arc<LiveStreams>,
    session: String,
    closed: watch::Receiver<bool>,
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut sessions = self.streams.lock();
        if let Some(entry) = sessions.get_mut(&self.session) {
            entry.open = entry.open.saturating_sub(1);
            if entry.open == 0 {
                sessions.remove(&self.session);
            }
        }
    }
}

pub async fn status_events(State(state): State<AppState>, auth: app::auth::Auth) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_gets_a_few_streams_and_gets_them_back_when_they_end() {
        let streams = Arc::new(LiveStreams::default());
        let tickets: Vec<_> = (0..MAX_STREAMS_PER_SESSION)
            .map(|_| streams.open("s1").unwrap())
            .collect();
        assert_eq!(streams.open("s1").err(), Some(StreamRefused::SessionFull));
        assert!(streams.open("s2").is_ok(), "another session is not affected");
        drop(tickets);
        assert_eq!(streams.open_for("s1"), 0);
        assert!(streams.open("s1").is_ok());
    }

    #[test]
    fn closing_a_session_tells_its_streams() {
        let streams = Arc::new(LiveStreams::default());
        let ticket = streams.open("s1").unwrap();
        assert!(!*ticket.closed.borrow());
        streams.close("s1");
        assert!(*ticket.closed.borrow());
    }
}
