//! A person's data (issue 26): "Download my data" on the account page, after the password is
//! typed again. One export a day; each one is audited.

use app::auth::{self, Auth};
use app::views::Flash;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Form, Router};
use onboarding::accounts;
use onboarding::data_rights::{self, ExportError};
use onboarding::forms::FieldErrors;
use onboarding::i18n::{Arg, Lang, msg, t, t_with};
use onboarding::store::data_rights::Requester;

use super::flash::{Back, notice, try_again};
use super::{guard, small_and_quick};
use crate::client_ip::ClientIp;
use crate::limits::try_again_in;
use crate::state::AppState;

/// Where the forms are.
const ACCOUNT_PAGE: &str = "/account";

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route("/account/data", post(download))
        .route("/account/delete", post(ask_to_delete))
        .route_layer(axum::middleware::from_fn(guard::require_login));
    // The emailed link works signed out too: the token is the proof.
    let anyone = Router::new()
        .route("/account/delete/confirm", post(confirm_deletion))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ));
    small_and_quick(signed_in.merge(anyone), state)
}

#[derive(serde::Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// The password again, then the file (`Content-Disposition: attachment`), or back to the
/// account page with why not.
async fn download(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(user) = auth::signed_in(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    if let Err(message) =
        check_password(&state, client, &user, form.password, ("data", "password"), lang).await
    {
        return Back::to(ACCOUNT_PAGE, message).into_response();
    }
    match data_rights::export(&state.services, &user.id, Requester::Person).await {
        Ok(file) => {
            tracing::info!(user = %user.id, "personal data exported");
            let disposition = format!("attachment; filename=\"{}\"", file.file_name);
            let mut response = file.json.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(ExportError::TooSoon { next_at }) => {
            let wait_ms = (next_at - state.services.clock.now_ms()).max(1);
            let hours = (wait_ms as u64).div_ceil(60 * 60 * 1000) as i64;
            let message = t_with(lang, msg::NOTICE_EXPORT_TOO_SOON, &[("hours", Arg::from(hours))]);
            Back::to(ACCOUNT_PAGE, notice("data", &message)).into_response()
        }
        Err(e) => {
            tracing::error!(user = %user.id, error = %e, "could not export personal data");
            Back::to(ACCOUNT_PAGE, notice("data", &try_again(lang))).into_response()
        }
    }
}

/// "Delete my account": the password again, then a link by email to confirm.
async fn ask_to_delete(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some(user) = auth::signed_in(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let password = form.delete_password;
    if let Err(message) = check_password(
        &state,
        client,
        &user,
        password,
        ("delete", "delete_password"),
        lang,
    )
    .await
    {
        return Back::to(ACCOUNT_PAGE, message).into_response();
    }
    let message = match data_rights::request_deletion(&state.services, &user, lang).await {
        Ok(()) => t_with(
            lang,
            msg::NOTICE_DELETION_SENT,
            &[("email", Arg::from(user.email.as_str()))],
        ),
        Err(e) => {
            tracing::error!(user = %user.id, error = %e, "could not send a deletion link");
            try_again(lang)
        }
    };
    Back::to(ACCOUNT_PAGE, notice("delete", &message)).into_response()
}

/// The deletion form's password (its own name: the account page has two password fields).
#[derive(serde::Deserialize)]
struct DeleteForm {
    #[serde(default)]
    delete_password: String,
}

#[derive(serde::Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

/// The button on the page the deletion link opens (a POST, so mail scanners that open links
/// do not use it): the person is logged out, and the account is erased after the grace period.
async fn confirm_deletion(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    mut auth: Auth,
    Form(form): Form<TokenForm>,
) -> Response {
    let token = super::flash::clean_token(&form.token);
    match data_rights::confirm_deletion(&state.services, &token, lang).await {
        Ok(Some(due_at)) => {
            // Their sessions are gone from the store; this one is flushed so that it is not
            // saved again on the way out.
            if let Err(e) = auth::log_out(&mut auth).await {
                tracing::warn!(error = %e, "could not end the session after a deletion");
            }
            Redirect::to(&format!("/account/deleted?on={due_at}")).into_response()
        }
        Ok(None) => Redirect::to(&format!("/account/delete?token={token}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not confirm a deletion");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, try_again(lang)).into_response()
        }
    }
}

/// The signed-in person's password, typed again (rate-limited like a login), in `field` of
/// the account page's form `form`.
async fn check_password(
    state: &AppState,
    client: std::net::IpAddr,
    user: &onboarding::store::UserRecord,
    password: String,
    (form, field): (&str, &str),
    lang: Lang,
) -> Result<(), Flash> {
    if let Err(wait) = state.limits.reauthenticate(client, &user.email).await {
        return Err(notice(form, &try_again_in(lang, wait)));
    }
    let problem = if password.is_empty() {
        Some(msg::ERROR_PASSWORD_MISSING)
    } else if !accounts::verify_password(Some(user.password_hash.clone()), password).await {
        Some(msg::ERROR_PASSWORD_WRONG)
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => {
            let mut errors = FieldErrors::default();
            errors.add(field, t(lang, problem));
            Err(Flash {
                form: form.into(),
                errors,
                ..Flash::default()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_deletion_page_and_email_agree_on_how_long_the_link_works() {
        assert_eq!(
            app::DELETION_LINK_HOURS,
            onboarding::email::templates::DELETION_LINK_HOURS
        );
    }
}
