//! Forgotten passwords: asking for a reset link, and setting a new password with it.

use app::auth;
use app::auth::Auth;
use app::views::Flash;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use onboarding::accounts::{self, ResetError};
use onboarding::email::templates;
use onboarding::forms::{Email, FieldErrors};
use onboarding::i18n::{Arg, Lang, msg, t, t_with};

use super::flash::{Back, clean_token, notice, try_again};
use super::{guard, small_and_quick};
use crate::client_ip::ClientIp;
use crate::limits::try_again_in;
use crate::state::AppState;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let forms = Router::new()
        .route("/password/forgot", post(forgot_password))
        .route("/password/reset", post(reset_password))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ));
    small_and_quick(forms, state)
}

#[derive(serde::Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Asks for a password reset link. The answer is the same whether or not the address has an
/// account, and it does not wait for the work (which takes longer when there is one).
async fn forgot_password(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    Form(form): Form<ForgotForm>,
) -> Response {
    let values = vec![("email".to_owned(), form.email.clone())];
    // The address is checked first: only a valid one becomes a rate-limit key.
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(problem) => {
            let mut errors = FieldErrors::default();
            errors.add("email", problem.message(lang));
            let flash = Flash {
                form: "forgot".into(),
                errors,
                values,
                notice: None,
            };
            return Back::to("/password/forgot", flash).into_response();
        }
    };
    if let Err(wait) = state.limits.password_reset(client, email.as_str()).await {
        let flash = Flash {
            form: "forgot".into(),
            values,
            notice: Some(try_again_in(lang, wait)),
            ..Flash::default()
        };
        return Back::to("/password/forgot", flash).into_response();
    }
    let services = state.services.clone();
    let address = email.as_str().to_owned();
    tokio::spawn(async move {
        if let Err(e) = accounts::request_password_reset(&services, &address, lang).await {
            tracing::error!(error = %e, "password reset request could not be stored");
        }
    });
    let sent = t_with(
        lang,
        msg::NOTICE_RESET_SENT,
        &[
            ("email", Arg::from(email.as_str())),
            ("minutes", Arg::from(templates::RESET_MINUTES)),
        ],
    );
    Back::to("/password/forgot", notice("forgot", &sent)).into_response()
}

#[derive(serde::Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// Sets the new password from a reset link, then signs the person in with a new session; all
/// their other sessions end (their password fingerprint no longer matches).
async fn reset_password(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    mut auth: Auth,
    Form(form): Form<ResetForm>,
) -> Response {
    let token = clean_token(&form.token);
    let form_path = format!("/password/reset?token={token}");
    if let Err(wait) = state.limits.password_reset(client, &token).await {
        return Back::to(&form_path, notice("reset", &try_again_in(lang, wait))).into_response();
    }
    match accounts::reset_password(&state.services, &token, form.password, lang).await {
        Ok(user) => {
            tracing::info!(%user, "password reset");
            // Whatever session this browser had is not the account's any more.
            let _ = auth::log_out(&mut auth).await;
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after a reset");
                let done = notice("login", &t(lang, msg::NOTICE_PASSWORD_CHANGED_LOG_IN));
                return Back::to("/login", done).into_response();
            }
            let done = notice("status", &t(lang, msg::NOTICE_PASSWORD_CHANGED));
            Back::to("/status", done).into_response()
        }
        Err(ResetError::Invalid(errors)) => {
            let flash = Flash {
                form: "reset".into(),
                errors,
                ..Flash::default()
            };
            Back::to(&form_path, flash).into_response()
        }
        Err(ResetError::LinkInvalid) => {
            // The page itself explains and offers a new link.
            Redirect::to(&form_path).into_response()
        }
        Err(ResetError::Store(e)) => {
            tracing::error!(error = %e, "password reset failed");
            Back::to(&form_path, notice("reset", &try_again(lang))).into_response()
        }
    }
}
