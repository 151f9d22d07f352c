//! Signing in to the console, and out.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::forms::{Email, safe_next};
use onboarding::operators;
use tower_sessions::Session;

use super::{OPERATOR_KEY, Operator, OperatorLogin, page, unavailable};
use crate::client_ip::ClientIp;
use crate::limits::{LoginFrom, try_again_in};
use crate::state::AppState;

pub(super) fn routes(state: &AppState) -> Router<AppState> {
    let login = Router::new()
        .route("/admin/login", get(login_page).post(log_in))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::super::guard::limit_anonymous_forms,
        ));
    Router::new()
        .route("/admin", get(home))
        .route("/admin/logout", post(log_out))
        .merge(login)
}

/// `/admin`: the appeals queue for operators, the login for everyone else.
async fn home(operator: Result<Operator, Response>) -> Response {
    match operator {
        Ok(_) => Redirect::to("/admin/appeals").into_response(),
        Err(_) => Redirect::to("/admin/login").into_response(),
    }
}

#[derive(serde::Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(Query(query): Query<NextQuery>) -> Response {
    login_form(StatusCode::OK, query.next.as_deref(), "", None)
}

fn login_form(status: StatusCode, next: Option<&str>, email: &str, error: Option<String>) -> Response {
    let next = safe_next(next).filter(|n| n.starts_with("/admin"));
    let setting_up = next.as_deref() == Some("/admin/2fa/setup");
    let email = email.to_owned();
    let invalid = error.is_some();
    let body = view! {
        <div class="narrow">
            <h1>"Operator login"</h1>
            <p class="lead">"For the support team and admins. Customers log in on the "<a href="/login">"customer login page"</a>"."</p>
            {setting_up.then(|| view! {
                <div class="notice" role="status"><p>"Your setup link works. Log in with the password your admin gave you; next you set up your second factor (a passkey or an authenticator app)."</p></div>
            })}
            <form method="post" action="/admin/login" class="form" novalidate>
                {error.map(|e| view! { <p class="field-error" role="alert" id="login-error">{e}</p> })}
                <input type="hidden" name="next" value=next.unwrap_or_default() />
                <div class="field" class:field-invalid=invalid>
                    <label for="field-email">"Work email"</label>
                    <input id="field-email" name="email" type="email" autocomplete="username" required=true value=email
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <div class="field" class:field-invalid=invalid>
                    <label for="field-password">"Password"</label>
                    <input id="field-password" name="password" type="password" autocomplete="current-password" required=true
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <button type="submit" class="button button-block">"Log in to the console"</button>
            </form>
            <p class="muted">"After your password, the console asks for your second factor: your passkey, or a code from your authenticator app."</p>
            <p class="muted">"No operator account? An admin creates one with "<code>"server admin create"</code>" (see the README)."</p>
        </div>
    };
    page(status, "Operator login", None, None, body)
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn log_in(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    session: Session,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let refused =
        |status, message: String| login_form(status, form.next.as_deref(), &form.email, Some(message));
    // Operators' attempts are counted apart from customers' (the same address may be both).
    let account = Email::parse(&form.email)
        .ok()
        .map(|e| format!("operator:{}", e.as_str()));
    if let Err(wait) = state
        .limits
        .login(client, account.as_deref(), LoginFrom::Unknown)
        .await
    {
        return refused(
            StatusCode::TOO_MANY_REQUESTS,
            try_again_in(onboarding::i18n::Lang::En, wait),
        );
    }
    let operator = match operators::log_in_operator(&state.services, &form.email, form.password.clone()).await
    {
        Ok(Some(operator)) => operator,
        Ok(None) => {
            tracing::info!("console: operator login refused");
            return refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "That email and password don't match an operator account.".to_owned(),
            );
        }
        Err(e) => return unavailable(e),
    };
    // A new session id at login: an id planted before is worthless.
    if let Err(e) = session.cycle_id().await {
        tracing::error!(error = %e, "console: could not renew the session id");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let now = state.services.clock.now_ms();
    let login = OperatorLogin {
        id: operator.id.clone(),
        at: now,
        seen: now,
        browser: super::browser_family(&headers).to_owned(),
        factor_at: None,
    };
    if let Err(e) = session.insert(OPERATOR_KEY, login).await {
        tracing::error!(error = %e, "console: could not keep the login");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if let Err(e) = state
        .services
        .store
        .audit(Some(&operator.id), "logged in", None, "")
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    tracing::info!(operator = %operator.id, "console: operator gave their password");
    // The password alone opens nothing: the second factor next, then where they were going.
    let next = safe_next(form.next.as_deref())
        .filter(|n| n.starts_with("/admin"))
        .unwrap_or_else(|| "/admin/appeals".to_owned());
    Redirect::to(&format!("/admin/2fa?next={}", super::encode_query_value(&next))).into_response()
}

async fn log_out(operator: Result<Operator, Response>, session: Session) -> Response {
    if let Ok(operator) = operator {
        let _ = session.remove::<OperatorLogin>(OPERATOR_KEY).await;
        let _ = session.cycle_id().await;
        tracing::info!(operator = %operator.record.id, "console: operator logged out");
    }
    Redirect::to("/admin/login").into_response()
}
