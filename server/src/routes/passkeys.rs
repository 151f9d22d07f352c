//! Applicants' passkeys (issue 27, optional for them): added on the account page (an email
//! tells them), listed with their names and last use, removable; on the login page the
//! browser offers a saved passkey (conditional UI) or a button asks for one, and it signs them
//! in alone. The password keeps working, and without JavaScript it is the only way.
//!
//! The browser talks WebAuthn through `public/passkey.js`: it fetches the options (JSON), then
//! posts the answer as a plain form, which ends like every form here (a redirect, a flash).

use app::auth::{self, Auth, SignedIn};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Form, Router};
use onboarding::email::templates;
use onboarding::forms::safe_next;
use onboarding::i18n::{Arg, Lang, msg, t, t_with};
use onboarding::passkeys::{DiscoverableAuthentication, PasskeyRegistration, handle_for};
use onboarding::store::{PasskeyOwner, PasskeyRow};
use tower_sessions::Session;

use super::accounts::start_session;
use super::flash::{Back, notice, try_again};
use super::{guard, small_and_quick};
use crate::state::AppState;

const ACCOUNT_PAGE: &str = "/account";
/// The ceremonies between their two steps, in the session.
const REGISTRATION: &str = "passkey_registration";
const DISCOVERY: &str = "passkey_discovery";

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route("/account/passkeys/options", post(registration_options))
        .route("/account/passkeys", post(add))
        .route("/account/passkeys/remove", post(remove))
        .route_layer(axum::middleware::from_fn(guard::require_login));
    let anyone = Router::new()
        .route("/login/passkey/options", post(login_options))
        .route("/login/passkey", post(log_in))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ));
    small_and_quick(signed_in.merge(anyone), state)
}

/// Passkeys are off here (an IP address): nothing to offer.
fn off() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// `POST /account/passkeys/options`: what the browser needs to make a passkey (JSON).
async fn registration_options(State(state): State<AppState>, auth: Auth, session: Session) -> Response {
    let Some(site) = &state.passkeys else {
        return off();
    };
    let Some(user) = auth::signed_in(&auth).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let existing = match state
        .services
        .store
        .passkeys_of(&PasskeyOwner::User(user.id.clone()))
        .await
    {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "could not read passkeys");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let handle = handle_for(&existing);
    let display = format!("{} {}", user.first_name, user.last_name);
    match site.start_registration(&handle, &user.email, &display, &existing, true) {
        Ok((options, ceremony)) => {
            if let Err(e) = session.insert(REGISTRATION, (ceremony, handle)).await {
                tracing::error!(error = %e, "could not keep a passkey ceremony");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            json(options)
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not start a passkey registration");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn json(options: String) -> Response {
    match serde_json::from_str::<serde_json::Value>(&options) {
        Ok(value) => {
            let mut response = Json(value).into_response();
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct NewPasskey {
    #[serde(default)]
    credential: String,
    #[serde(default)]
    name: String,
}

/// `POST /account/passkeys`: the browser's new passkey; an email tells the person.
async fn add(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<NewPasskey>,
) -> Response {
    let Some(user) = auth::signed_in(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let lang = user.language.unwrap_or(lang);
    let failed = || {
        Back::to(
            ACCOUNT_PAGE,
            notice("passkeys", &t(lang, msg::PASSKEYS_ADD_FAILED)),
        )
        .into_response()
    };
    let ceremony: Option<(PasskeyRegistration, String)> = session.remove(REGISTRATION).await.ok().flatten();
    let (Some(site), Some((ceremony, handle))) = (&state.passkeys, ceremony) else {
        return failed();
    };
    let (id, passkey) = match site.finish_registration(&form.credential, &ceremony) {
        Ok(done) => done,
        Err(e) => {
            tracing::info!(user = %user.id, error = %e, "a passkey registration was refused");
            return failed();
        }
    };
    let browser = super::console::browser_family(&headers);
    let typed: String = form
        .name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let name = if typed.is_empty() {
        t_with(
            lang,
            msg::PASSKEYS_DEFAULT_NAME,
            &[("browser", Arg::from(browser))],
        )
    } else {
        typed
    };
    let row = PasskeyRow {
        id,
        owner: PasskeyOwner::User(user.id.clone()),
        handle,
        name: name.clone(),
        passkey,
        created_at: state.services.clock.now_ms(),
        last_used_at: None,
    };
    let email = templates::passkey_added(lang, &user.email, &user.first_name, &state.public_url, &name);
    match state.services.store.add_passkey(&row, Some(&email)).await {
        Ok(true) => {
            tracing::info!(user = %user.id, "passkey added");
            Back::to(
                ACCOUNT_PAGE,
                notice("passkeys", &t(lang, msg::NOTICE_PASSKEY_ADDED)),
            )
            .into_response()
        }
        Ok(false) => failed(),
        Err(e) => {
            tracing::error!(error = %e, "could not store a passkey");
            Back::to(ACCOUNT_PAGE, notice("passkeys", &try_again(lang))).into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct Which {
    #[serde(default)]
    id: String,
}

/// `POST /account/passkeys/remove` (the passkey's id in the form, not in the logged path).
async fn remove(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(Which { id }): Form<Which>,
) -> Response {
    let Some(user) = auth::signed_in(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let lang = user.language.unwrap_or(lang);
    match state
        .services
        .store
        .remove_passkey(&PasskeyOwner::User(user.id.clone()), &id)
        .await
    {
        Ok(_) => {
            tracing::info!(user = %user.id, "passkey removed");
            Back::to(
                ACCOUNT_PAGE,
                notice("passkeys", &t(lang, msg::NOTICE_PASSKEY_REMOVED)),
            )
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not remove a passkey");
            Back::to(ACCOUNT_PAGE, notice("passkeys", &try_again(lang))).into_response()
        }
    }
}

/// `POST /login/passkey/options`: a sign-in with whichever passkey the browser offers (JSON).
async fn login_options(State(state): State<AppState>, session: Session) -> Response {
    let Some(site) = &state.passkeys else {
        return off();
    };
    match site.start_discoverable() {
        Ok((options, ceremony)) => {
            if let Err(e) = session.insert(DISCOVERY, ceremony).await {
                tracing::error!(error = %e, "could not keep a passkey ceremony");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            json(options)
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not start a passkey sign-in");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct PasskeyLogin {
    #[serde(default)]
    credential: String,
    next: Option<String>,
}

/// `POST /login/passkey`: the browser's answer; a right one signs the person in, as their
/// password would.
async fn log_in(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    mut auth: Auth,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<PasskeyLogin>,
) -> Response {
    let refused =
        || Back::to("/login", notice("login", &t(lang, msg::NOTICE_PASSKEY_REFUSED))).into_response();
    let ceremony: Option<DiscoverableAuthentication> = session.remove(DISCOVERY).await.ok().flatten();
    let (Some(site), Some(ceremony)) = (&state.passkeys, ceremony) else {
        return refused();
    };
    let Ok((id, handle)) = site.identify(&form.credential) else {
        return refused();
    };
    let store = &state.services.store;
    let row = match store.passkey(&id).await {
        Ok(Some(row)) if row.handle == handle => row,
        Ok(_) => {
            tracing::info!("a passkey sign-in named an unknown passkey");
            return refused();
        }
        Err(e) => {
            tracing::error!(error = %e, "could not read a passkey");
            return Back::to("/login", notice("login", &try_again(lang))).into_response();
        }
    };
    let PasskeyOwner::User(user_id) = &row.owner else {
        // An operator's passkey signs in to the console only.
        return refused();
    };
    let updated = match site.finish_discoverable(&form.credential, ceremony, &row) {
        Ok(updated) => updated,
        Err(e) => {
            tracing::info!(user = %user_id, error = %e, "a passkey sign-in was refused");
            return refused();
        }
    };
    let user = match store.user(user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return refused(),
        Err(e) => {
            tracing::error!(error = %e, "could not read an account");
            return Back::to("/login", notice("login", &try_again(lang))).into_response();
        }
    };
    if let Err(e) = store.passkey_used(&id, updated.as_deref()).await {
        tracing::warn!(error = %e, "could not note a passkey's use");
    }
    tracing::info!(user = %user.id, "signed in with a passkey");
    let next = safe_next(form.next.as_deref()).unwrap_or_else(|| "/status".to_owned());
    start_session(&state, lang, &mut auth, &SignedIn::new(user), &next, &headers).await
}
