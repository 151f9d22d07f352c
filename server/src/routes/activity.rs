//! Idle sessions end 30 minutes after their last use, not their last change. tower-sessions
//! moves a session's expiry only when it saves it, and it saves only sessions that changed: a
//! person reading their status page for half an hour would be signed out mid-use. So a
//! signed-in session records when it was last seen, at most once a minute (one small write per
//! person per minute, none per page).

use app::auth::Auth;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

const SEEN_AT_KEY: &str = "seen_at";
/// How often a signed-in session is saved only to move its expiry.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Records the visit of a signed-in session, when the last one recorded is a minute old. Runs
/// before the handler, so a logout in the handler is not undone.
pub async fn keep_alive(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(auth) = request.extensions().get::<Auth>()
        && auth.user.is_some()
    {
        let now = state.services.clock.now_ms();
        let seen_at = auth.session.get::<i64>(SEEN_AT_KEY).await.ok().flatten();
        if seen_at.is_none_or(|at| now - at >= TOUCH_EVERY_MS)
            && let Err(e) = auth.session.insert(SEEN_AT_KEY, now).await
        {
            tracing::warn!(error = %e, "could not record the session's activity");
        }
    }
    next.run(request).await
}
