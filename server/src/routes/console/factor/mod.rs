//! The operators' second factor (issue 27): given after the password before any console page
//! opens, and again before a sensitive action when it is older than five minutes. A passkey
//! (WebAuthn) or an authenticator app's code, with ten single-use recovery codes; set up
//! through a one-time link (from `server admin create`, or from an admin).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::clock::Millis;
use onboarding::forms::safe_next;
use onboarding::operators::DEMO_OPERATOR_EMAIL;
use onboarding::passkeys::passkey_name;
use onboarding::passkeys::{PasskeyAuthentication, PasskeyRegistration};
use onboarding::second_factor::{self, Checked, DEMO_OPERATOR_TOTP_SECRET};
use onboarding::store::{OperatorId, PasskeyOwner, PasskeyRow};
use tower_sessions::Session;

use super::{OPERATOR_KEY, Operator, OperatorLogin, PasswordGiven, page, page_with_passkeys, unavailable};
use crate::client_ip::ClientIp;
use crate::limits::try_again_in;
use crate::state::AppState;

mod security;
mod setup;
mod verify;

use security::{new_codes, remove_passkey, security_page};
use setup::{setup_link, setup_page, setup_passkey, setup_totp, use_setup_link};
use verify::{verify_page, verify_view};

/// A setup link, once opened: whom it lets set up a factor, until when.
const SETUP_GRANT: &str = "console_setup_grant";
/// An authenticator app's secret shown on the setup page, until a code confirms it.
const TOTP_PENDING: &str = "console_totp_pending";
/// A passkey ceremony between its two steps.
const PASSKEY_REGISTRATION: &str = "console_passkey_registration";
const PASSKEY_AUTHENTICATION: &str = "console_passkey_authentication";
/// How long an opened setup link's grant lasts.
const SETUP_GRANT_MS: Millis = 30 * 60 * 1000;

pub(super) fn routes(state: &AppState) -> Router<AppState> {
    let anonymous = Router::new()
        .route("/admin/setup/{token}", get(setup_link).post(use_setup_link))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::super::guard::limit_anonymous_forms,
        ));
    Router::new()
        .route("/admin/2fa", get(verify_page).post(verify_code))
        .route("/admin/2fa/passkey", post(verify_passkey))
        .route("/admin/2fa/setup", get(setup_page))
        .route("/admin/2fa/setup/totp", post(setup_totp))
        .route("/admin/2fa/setup/passkey", post(setup_passkey))
        .route("/admin/security", get(security_page))
        .route("/admin/security/codes", post(new_codes))
        .route("/admin/security/passkeys/remove", post(remove_passkey))
        .merge(anonymous)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SetupGrant {
    operator: OperatorId,
    until: Millis,
}

#[derive(serde::Deserialize, Default)]
struct VerifyQuery {
    next: Option<String>,
    /// A step-up before a sensitive action.
    #[serde(default)]
    again: Option<String>,
}

fn console_next(next: Option<&str>) -> String {
    safe_next(next)
        .filter(|n| n.starts_with("/admin") && !n.starts_with("/admin/2fa"))
        .unwrap_or_else(|| "/admin/appeals".to_owned())
}

async fn grant_for(session: &Session, operator: &OperatorId, now: Millis) -> bool {
    let grant: Option<SetupGrant> = session.get(SETUP_GRANT).await.ok().flatten();
    grant.is_some_and(|g| &g.operator == operator && g.until > now)
}

#[derive(serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
    again: Option<String>,
}

/// `POST /admin/2fa`: an app's code or a recovery code.
async fn verify_code(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    given: PasswordGiven,
    Form(form): Form<CodeForm>,
) -> Response {
    let query = VerifyQuery {
        next: form.next.clone(),
        again: form.again.clone(),
    };
    if let Some(message) = too_many_tries(&state, client, &given.record.id).await {
        return answer_again(&state, &given, &query, StatusCode::TOO_MANY_REQUESTS, message).await;
    }
    let now = state.services.clock.now_ms();
    match second_factor::check(&state.services.store, &given.record.id, &form.code, now).await {
        Ok(Checked::Code) => factor_given(&state, &given, "authenticator app", None, &query).await,
        Ok(Checked::Recovery { left }) => {
            let notice = (left <= 3).then(|| {
                format!(
                    "You used a recovery code; {left} left. Make new ones on \u{201c}Your sign-in\u{201d}."
                )
            });
            factor_given(&state, &given, "recovery code", notice, &query).await
        }
        Ok(Checked::Refused) => {
            tracing::info!(operator = %given.record.id, "console: a second factor was refused");
            note_refusal(&state, &given.record.id, "a code").await;
            let message = "That code is not right, or it was used already. App codes change every 30 seconds: type the one showing now.".to_owned();
            answer_again(&state, &given, &query, StatusCode::UNPROCESSABLE_ENTITY, message).await
        }
        Err(e) => unavailable(e),
    }
}

#[derive(serde::Deserialize)]
struct CredentialForm {
    #[serde(default)]
    credential: String,
    next: Option<String>,
    #[serde(default)]
    name: String,
}

/// `POST /admin/2fa/passkey`: the browser's answer to the passkey sign-in.
async fn verify_passkey(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    given: PasswordGiven,
    Form(form): Form<CredentialForm>,
) -> Response {
    let query = VerifyQuery {
        next: form.next.clone(),
        again: given.login.factor_at.map(|_| "1".to_owned()),
    };
    if let Some(message) = too_many_tries(&state, client, &given.record.id).await {
        return answer_again(&state, &given, &query, StatusCode::TOO_MANY_REQUESTS, message).await;
    }
    let ceremony: Option<PasskeyAuthentication> =
        given.session.remove(PASSKEY_AUTHENTICATION).await.ok().flatten();
    let (Some(site), Some(ceremony)) = (&state.passkeys, ceremony) else {
        let message = "That passkey sign-in had expired. Try again.".to_owned();
        return answer_again(&state, &given, &query, StatusCode::UNPROCESSABLE_ENTITY, message).await;
    };
    let owner = PasskeyOwner::Operator(given.record.id.clone());
    let rows = match state.services.store.passkeys_of(&owner).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    match site.finish_authentication(&form.credential, &ceremony, &rows) {
        Ok((id, updated)) => {
            if let Err(e) = state.services.store.passkey_used(&id, updated.as_deref()).await {
                return unavailable(e);
            }
            factor_given(&state, &given, "passkey", None, &query).await
        }
        Err(e) => {
            tracing::info!(operator = %given.record.id, error = %e, "console: a passkey was refused");
            note_refusal(&state, &given.record.id, "a passkey").await;
            let message = "That passkey was not accepted. Try again, or type a code.".to_owned();
            answer_again(&state, &given, &query, StatusCode::UNPROCESSABLE_ENTITY, message).await
        }
    }
}

/// Why this operator may not try a second factor now ("Too many attempts…"), if so: their
/// address used up its tries (with logins), or they did (refusals in the audit log).
async fn too_many_tries(state: &AppState, client: std::net::IpAddr, operator: &OperatorId) -> Option<String> {
    let lang = onboarding::i18n::Lang::En;
    if let Err(wait) = state.limits.second_factor(client).await {
        return Some(try_again_in(lang, wait));
    }
    let now = state.services.clock.now_ms();
    match second_factor::wait_before_trying(&state.services.store, operator, now).await {
        Ok(None) => None,
        Ok(Some(ms)) => {
            tracing::warn!(operator = %operator, "console: too many refused second factors");
            let wait = std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(60_000));
            Some(try_again_in(lang, wait))
        }
        Err(e) => {
            tracing::warn!(error = %e, "console: could not count refused second factors");
            Some(try_again_in(lang, std::time::Duration::from_secs(60)))
        }
    }
}

async fn note_refusal(state: &AppState, operator: &OperatorId, what: &str) {
    if let Err(e) = second_factor::refused(&state.services.store, operator, what).await {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
}

/// The second factor was right: the session is renewed and marked, and the operator goes on.
async fn factor_given(
    state: &AppState,
    given: &PasswordGiven,
    how: &str,
    notice: Option<String>,
    query: &VerifyQuery,
) -> Response {
    let first = given.login.factor_at.is_none();
    if let Err(response) = mark_factor(state, &given.session, &given.login).await {
        return response;
    }
    let action = if first { "logged in" } else { "confirmed it's them" };
    if let Err(e) = state
        .services
        .store
        .audit(Some(&given.record.id), action, None, &format!("with a {how}"))
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    tracing::info!(operator = %given.record.id, how, "console: second factor given");
    if let Some(notice) = notice {
        let _ = given.session.insert(super::NOTICE_KEY, notice).await;
    }
    Redirect::to(&console_next(query.next.as_deref())).into_response()
}

/// Marks the login as having given its second factor now, under a new session id.
async fn mark_factor(state: &AppState, session: &Session, login: &OperatorLogin) -> Result<(), Response> {
    let now = state.services.clock.now_ms();
    let marked = OperatorLogin {
        id: login.id.clone(),
        at: login.at,
        seen: now,
        browser: login.browser.clone(),
        factor_at: Some(now),
    };
    if let Err(e) = session.cycle_id().await {
        tracing::error!(error = %e, "console: could not renew the session id");
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    if let Err(e) = session.insert(OPERATOR_KEY, marked).await {
        tracing::error!(error = %e, "console: could not keep the login");
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    Ok(())
}

/// The verify page again, with `message` on why the factor was not taken.
async fn answer_again(
    state: &AppState,
    given: &PasswordGiven,
    query: &VerifyQuery,
    status: StatusCode,
    message: String,
) -> Response {
    verify_view(state, given, query, status, Some(message)).await
}
