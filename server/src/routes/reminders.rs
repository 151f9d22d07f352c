//! Reminder emails: the one-click opt-out link (and the RFC 8058 post mail clients send), the
//! button that turns them back on, and the switch on the status page.

use app::auth;
use app::auth::Auth;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onboarding::i18n::{Lang, msg, t};

use super::flash::{Back, clean_token, notice, try_again};
use super::{guard, small_and_quick};
use crate::state::AppState;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let anyone = Router::new()
        .route("/reminders/stop", get(stop).post(stop_one_click))
        .route("/reminders/resume", post(resume))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ));
    let signed_in = Router::new()
        .route("/account/reminders", post(account_reminders))
        .route_layer(axum::middleware::from_fn(guard::require_login));
    small_and_quick(anyone.merge(signed_in), state)
}

#[derive(serde::Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

impl TokenForm {
    /// The token as we issue them (hex digits only), safe to put back into a URL; anything
    /// else becomes empty and simply matches nothing.
    fn token(&self) -> String {
        clean_token(&self.token)
    }
}

/// `GET /reminders/stop?token=…`, the opt-out link in every reminder: one click turns them off
/// (it changes nothing else, and the page that follows can turn them back on).
async fn stop(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Query(form): Query<TokenForm>,
) -> Response {
    let token = form.token();
    match state.services.store.set_reminders(&token, false).await {
        Ok(true) => Redirect::to(&format!("/reminders?token={token}")).into_response(),
        Ok(false) => Redirect::to("/reminders").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders off");
            (StatusCode::SERVICE_UNAVAILABLE, try_again(lang)).into_response()
        }
    }
}

/// `POST /reminders/stop`: the one-click unsubscribe mail clients send (RFC 8058).
async fn stop_one_click(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Query(query): Query<TokenForm>,
) -> Response {
    match state.services.store.set_reminders(&query.token(), false).await {
        Ok(true) => (StatusCode::OK, "Reminders are off.").into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "This link is not valid.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders off");
            (StatusCode::SERVICE_UNAVAILABLE, try_again(lang)).into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct RemindersForm {
    #[serde(default)]
    on: bool,
}

/// The reminders switch on the status page.
async fn account_reminders(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(form): Form<RemindersForm>,
) -> Response {
    let Some(user) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let message = match state.services.store.set_user_reminders(&user, form.on).await {
        Ok(()) if form.on => t(lang, msg::NOTICE_REMINDERS_ON),
        Ok(()) => t(lang, msg::NOTICE_REMINDERS_OFF),
        Err(e) => {
            tracing::error!(%user, error = %e, "could not change reminder settings");
            try_again(lang)
        }
    };
    Back::to("/status", notice("status", &message)).into_response()
}

/// The button on the reminders page that turns them back on.
async fn resume(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Form(form): Form<TokenForm>,
) -> Response {
    let token = form.token();
    let path = format!("/reminders?token={token}");
    match state.services.store.set_reminders(&token, true).await {
        Ok(_) => Back::to(
            &path,
            notice("reminders", &t(lang, msg::NOTICE_REMINDERS_BACK_ON)),
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders on");
            Back::to(&path, notice("reminders", &try_again(lang))).into_response()
        }
    }
}
