//! `GET /events/status`: a server-sent event each time the signed-in user's status changes,
//! so an open status page updates by itself.
//!
//! Streams are counted by [`crate::live::LiveStreams`]: a few per session and a cap in all; every stream of a
//! session ends when that session logs out.

use onboarding::i18n::Lang;
use std::convert::Infallible;
use std::time::Duration;

use crate::live::{StatusWatch, StreamTicket};
use crate::state::AppState;
use crate::takeover::Takeover;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use onboarding::services::Services;
use onboarding::store::UserId;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let streams = Router::new()
        .route("/events/status", get(status_events))
        .route_layer(axum::middleware::from_fn(super::guard::require_login));
    super::small_and_quick(streams, state)
}

async fn status_events(
    State(state): State<AppState>,
    auth: app::auth::Auth,
    axum::Extension(lang): axum::Extension<Lang>,
    takeover: Option<axum::Extension<Takeover>>,
) -> Response {
    let Some(user) = app::auth::user_id(&auth).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(session) = auth.session.id().map(|id| id.to_string()) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(axum::Extension(takeover)) = takeover else {
        // Through hyper (HTTP/2, or a router called directly).
        let ticket = match state.live_streams.open(&session) {
            Ok(ticket) => ticket,
            Err(refused) => return refusal(&user, refused),
        };
        let changes = state.status_hub.watch(&user);
        let events = events_for(state.services.clone(), user, lang, changes, ticket);
        return Sse::new(events.map(|data| Ok::<_, Infallible>(Event::default().event("status").data(data))))
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            .into_response();
    };
    // Served outside hyper's connection, on the stream thread (`crate::takeover`): about 2 KB
    // a page, all of it allocated there. Here the stream is only checked; it is counted there
    // (one refused there, in a race, ends at once and its page tries again).
    if let Err(refused) = state.live_streams.check(&session) {
        return refusal(&user, refused);
    }
    takeover.claim(
        Box::new(move || {
            // Copies made on the stream thread, so that what the stream keeps lives there.
            let (session, user) = (session.as_str().to_owned(), UserId(user.0.as_str().to_owned()));
            let Ok(ticket) = state.live_streams.open(&session) else {
                return stream::empty().boxed();
            };
            let changes = state.status_hub.watch(&user);
            events_for(state.services.clone(), user, lang, changes, ticket)
                .map(|data| Bytes::from(format!("event: status\ndata: {data}\n\n")))
                .boxed()
        }),
        KEEP_ALIVE,
    );
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// 429 for a stream past the limits.
fn refusal(user: &UserId, refused: crate::live::StreamRefused) -> Response {
    tracing::info!(%user, ?refused, "live-status stream refused");
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        "Too many live status pages are open. Close a few tabs, or reload to see the latest status.",
    )
        .into_response();
    response
        .headers_mut()
        .insert("retry-after", axum::http::HeaderValue::from_static("30"));
    response
}

/// A comment after this long without an event, so that proxies and the browser keep the
/// stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The data of a `status` event: the user's status as the page shows it (the heading, and
/// the card and account features rendered to HTML, as JSON). One when the stream opens (a
/// change may have happened since the page was rendered, or while a dropped stream
/// reconnected), then one after each change of `user` (several quick ones read as one). Only
/// `user`'s changes wake it ([`crate::live::StatusHub`]). Ends when the session logs out.
fn events_for(
    services: Services,
    user: UserId,
    lang: Lang,
    changes: StatusWatch,
    ticket: StreamTicket,
) -> impl Stream<Item = String> + Send + 'static {
    stream::unfold(
        (services, user, changes, ticket, true),
        move |(services, user, mut changes, mut ticket, opening)| async move {
            let mut send_now = opening;
            loop {
                if *ticket.closed.borrow() {
                    return None;
                }
                if send_now {
                    // Boxed: the read's state is held only while it runs, not by every open
                    // stream.
                    let data = Box::pin(status_data(&services, &user, lang)).await?;
                    return Some((data, (services, user, changes, ticket, false)));
                }
                tokio::select! {
                    closed = ticket.closed.changed() => {
                        if closed.is_err() || *ticket.closed.borrow() {
                            return None;
                        }
                    }
                    change = changes.changes.changed() => match change {
                        Ok(()) => send_now = true,
                        Err(_) => return None,
                    },
                }
            }
        },
    )
}

/// The user's current status as a `status` event's data, in their saved language (else the
/// page's); `None` (the stream ends, the page keeps what it shows) if it cannot be read.
async fn status_data(services: &Services, user: &UserId, lang: Lang) -> Option<String> {
    // A few at a time: when thousands of pages open (or reconnect) together, each would
    // otherwise hold a database read and a render in flight at once, and the process's memory
    // would grow by the burst (the load proof: 133 MB with 2,000 pages just opened, 66 MB a few
    // seconds later). Each takes about a millisecond.
    static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);
    let _turn = READING.acquire().await.ok()?;
    let record = match services.store.user(user).await {
        Ok(Some(record)) => record,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the status for a live page");
            return None;
        }
    };
    let lang = record.language.unwrap_or(lang);
    let view = app::auth::status_view_of(record, services.clock.now_ms());
    let fragments = app::live_fragments(view, app::views::Flash::default(), lang);
    serde_json::to_string(&fragments).ok()
}
