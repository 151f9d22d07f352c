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

/// `GET /admin/2fa`: the second factor, after the password (or again, before a sensitive action).
async fn verify_page(
    State(state): State<AppState>,
    given: PasswordGiven,
    Query(query): Query<VerifyQuery>,
) -> Response {
    verify_view(&state, &given, &query, StatusCode::OK, None).await
}

async fn verify_view(
    state: &AppState,
    given: &PasswordGiven,
    query: &VerifyQuery,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let store = &state.services.store;
    let id = &given.record.id;
    let (secret, passkeys) = match (
        store.totp_secret(id).await,
        store.passkeys_of(&PasskeyOwner::Operator(id.clone())).await,
    ) {
        (Ok(secret), Ok(passkeys)) => (secret, passkeys),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    let next = console_next(query.next.as_deref());
    if secret.is_none() && passkeys.is_empty() {
        if grant_for(&given.session, id, state.services.clock.now_ms()).await {
            return Redirect::to("/admin/2fa/setup").into_response();
        }
        return no_factor_yet(&given.record);
    }
    // A passkey first, when they have one and passkeys work here.
    let passkey_form = match (&state.passkeys, passkeys.is_empty()) {
        (Some(site), false) => match site.start_authentication(&passkeys) {
            Ok((options, ceremony)) => {
                if let Err(e) = given.session.insert(PASSKEY_AUTHENTICATION, ceremony).await {
                    tracing::warn!(error = %e, "console: could not keep a passkey ceremony");
                }
                Some(options)
            }
            Err(e) => {
                tracing::warn!(error = %e, "console: could not start a passkey sign-in");
                None
            }
        },
        _ => None,
    };
    let demo_hint = (state.mode == crate::config::Mode::Demo && given.record.email == DEMO_OPERATOR_EMAIL)
        .then(|| second_factor::code_at(DEMO_OPERATOR_TOTP_SECRET, state.services.clock.now_ms()))
        .flatten();
    let again = query.again.is_some() && given.login.factor_at.is_some();
    let has_app = secret.is_some();
    let invalid = error.is_some();
    let next_for_passkey = next.clone();
    let body = view! {
        <div class="narrow">
            <h1>{if again { "Confirm it's you" } else { "Your second factor" }}</h1>
            <p class="lead">{if again {
                "This action needs your second factor again: the last time you gave it was more than 5 minutes ago."
            } else {
                "Your password was right. One more step before the console opens, so that a stolen password alone opens nothing."
            }}</p>
            {passkey_form.map(|options| view! {
                <form method="post" action="/admin/2fa/passkey" class="form" data-passkey="authenticate" data-options=options hidden>
                    <input type="hidden" name="credential" value="" />
                    <input type="hidden" name="next" value=next_for_passkey />
                    <p class="field-error" role="alert" data-passkey-error hidden>"Your passkey was not used. Try again, or type a code below."</p>
                    <button type="submit" class="button button-block">"Use your passkey"</button>
                </form>
            })}
            <form method="post" action="/admin/2fa" class="form" novalidate>
                {error.map(|e| view! { <p class="field-error" role="alert" id="code-error">{e}</p> })}
                <input type="hidden" name="next" value=next />
                {again.then(|| view! { <input type="hidden" name="again" value="1" /> })}
                <div class="field" class:field-invalid=invalid>
                    <label for="field-code">{if has_app { "Code from your authenticator app, or a recovery code" } else { "A recovery code" }}</label>
                    <p class="field-hint" id="field-code-hint">{if has_app {
                        "Six digits (they change every 30 seconds), or one of the recovery codes you saved, like abcd-efgh-ijkl-mnop."
                    } else {
                        "If your passkey is not at hand: one of the recovery codes you saved, like abcd-efgh-ijkl-mnop."
                    }}</p>
                    <input id="field-code" name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required=true
                        aria-describedby=if invalid { "field-code-hint code-error" } else { "field-code-hint" }
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <button type="submit" class="button button-block button-secondary">"Continue"</button>
            </form>
            {demo_hint.map(|code| view! {
                <p class="muted">"Demo mode: the demo admin's app would show " <strong>{code}</strong> " now (its secret is published in the README; never in production)."</p>
            })}
            <p class="muted">"Lost your passkey, your phone and your recovery codes? Ask another admin to reset your second factor; they give you a new setup link."</p>
            <form method="post" action="/admin/logout" class="inline-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
        </div>
    };
    let notice = given
        .session
        .remove::<String>(super::NOTICE_KEY)
        .await
        .ok()
        .flatten();
    page_with_passkeys(status, "Second factor", None, notice, body)
}

fn no_factor_yet(operator: &onboarding::operators::OperatorRecord) -> Response {
    let body = view! {
        <div class="narrow">
            <h1>"Set up your second factor first"</h1>
            <p class="lead">"Your account has no second factor yet, and the console needs one: a passkey or an authenticator app."</p>
            <p>"Open the one-time setup link an admin gave you (it comes from "<code>"server admin create"</code>" or from the Operators page). If you don't have it, or it has expired, ask an admin for a new one."</p>
            <form method="post" action="/admin/logout" class="inline-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
        </div>
    };
    tracing::info!(operator = %operator.id, "console: an operator without a second factor and without a setup link");
    page(StatusCode::FORBIDDEN, "Second factor needed", None, None, body)
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
        return verify_view(
            &state,
            &given,
            &query,
            StatusCode::TOO_MANY_REQUESTS,
            Some(message),
        )
        .await;
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
            verify_view(
                &state,
                &given,
                &query,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
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
    let refused = |message: &str| message.to_owned();
    if let Some(message) = too_many_tries(&state, client, &given.record.id).await {
        return verify_view(
            &state,
            &given,
            &query,
            StatusCode::TOO_MANY_REQUESTS,
            Some(message),
        )
        .await;
    }
    let ceremony: Option<PasskeyAuthentication> =
        given.session.remove(PASSKEY_AUTHENTICATION).await.ok().flatten();
    let (Some(site), Some(ceremony)) = (&state.passkeys, ceremony) else {
        let message = refused("That passkey sign-in had expired. Try again.");
        return verify_view(
            &state,
            &given,
            &query,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
        )
        .await;
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
            let message = refused("That passkey was not accepted. Try again, or type a code.");
            verify_view(
                &state,
                &given,
                &query,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
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

/// `GET /admin/setup/{token}`: a setup link. Opening it changes nothing (a chat app's preview
/// must not use it up); the button does.
async fn setup_link(Path(token): Path<String>) -> Response {
    let well_formed = onboarding::tokens::is_well_formed(&token);
    let action = format!("/admin/setup/{}", if well_formed { token.as_str() } else { "" });
    let body = view! {
        <div class="narrow">
            <h1>"Set up your console sign-in"</h1>
            <p class="lead">"This one-time link lets you set up your second factor: a passkey (your phone, laptop or security key) or an authenticator app. You need your password too."</p>
            <form method="post" action=action class="form">
                <button type="submit" class="button button-block">"Continue"</button>
            </form>
        </div>
    };
    page(StatusCode::OK, "Set up your sign-in", None, None, body)
}

/// `POST /admin/setup/{token}`: uses the link; the operator logs in (if they haven't) and sets
/// up their factor within 30 minutes.
async fn use_setup_link(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> Response {
    let used = if onboarding::tokens::is_well_formed(&token) {
        state
            .services
            .store
            .use_setup_link(&onboarding::tokens::digest(&token))
            .await
    } else {
        Ok(None)
    };
    let operator = match used {
        Ok(Some(operator)) => operator,
        Ok(None) => {
            let body = view! {
                <div class="narrow">
                    <h1>"This setup link no longer works"</h1>
                    <p class="lead">"It was used already, or it is more than 72 hours old. Ask an admin for a new one: they make it on the Operators page (or with "<code>"server admin reset-factor"</code>")."</p>
                    <p><a href="/admin/login">"Operator login"</a></p>
                </div>
            };
            return page(StatusCode::GONE, "Link no longer works", None, None, body);
        }
        Err(e) => return unavailable(e),
    };
    let grant = SetupGrant {
        operator: operator.clone(),
        until: state.services.clock.now_ms() + SETUP_GRANT_MS,
    };
    if let Err(e) = session.insert(SETUP_GRANT, grant).await {
        tracing::error!(error = %e, "console: could not keep a setup grant");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let _ = state
        .services
        .store
        .audit(Some(&operator), "opened their setup link", None, "")
        .await;
    let signed_in_as: Option<OperatorLogin> = session.get(OPERATOR_KEY).await.ok().flatten();
    if signed_in_as.is_some_and(|login| login.id == operator) {
        return Redirect::to("/admin/2fa/setup").into_response();
    }
    Redirect::to("/admin/login?next=%2Fadmin%2F2fa%2Fsetup").into_response()
}

/// Whether `given` may add a factor now: with a setup link's grant, or with a second factor
/// given in the last five minutes.
async fn may_set_up(state: &AppState, given: &PasswordGiven) -> bool {
    let now = state.services.clock.now_ms();
    grant_for(&given.session, &given.record.id, now).await
        || given
            .login
            .factor_at
            .is_some_and(|at| now - at <= super::STEP_UP_MS)
}

/// `GET /admin/2fa/setup`: add a passkey or an authenticator app.
async fn setup_page(State(state): State<AppState>, given: PasswordGiven) -> Response {
    setup_view(&state, &given, StatusCode::OK, None).await
}

async fn setup_view(
    state: &AppState,
    given: &PasswordGiven,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    if !may_set_up(state, given).await {
        if given.login.factor_at.is_some() {
            let back = "/admin/2fa/setup";
            let _ = given
                .session
                .insert(super::NOTICE_KEY, "To add a factor, confirm it's you first.")
                .await;
            return Redirect::to(&format!(
                "/admin/2fa?again=1&next={}",
                super::encode_query_value(back)
            ))
            .into_response();
        }
        return Redirect::to("/admin/2fa").into_response();
    }
    let email = given.record.email.clone();
    // The app's secret stays the same across reloads until a code confirms it.
    let pending: Option<String> = given.session.get(TOTP_PENDING).await.ok().flatten();
    let secret = pending.unwrap_or_else(second_factor::new_secret);
    if let Err(e) = given.session.insert(TOTP_PENDING, &secret).await {
        tracing::error!(error = %e, "console: could not keep a pending secret");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let qr = second_factor::qr_svg(&secret, &email).unwrap_or_default();
    let owner = PasskeyOwner::Operator(given.record.id.clone());
    let existing = match state.services.store.passkeys_of(&owner).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let passkey_options = state.passkeys.as_ref().and_then(|site| {
        let handle = onboarding::passkeys::handle_for(&existing);
        match site.start_registration(&handle, &email, &email, &existing, false) {
            Ok((options, ceremony)) => Some((options, ceremony, handle)),
            Err(e) => {
                tracing::warn!(error = %e, "console: could not start a passkey registration");
                None
            }
        }
    });
    let passkey_form = match passkey_options {
        Some((options, ceremony, handle)) => {
            if let Err(e) = given
                .session
                .insert(PASSKEY_REGISTRATION, (ceremony, handle))
                .await
            {
                tracing::warn!(error = %e, "console: could not keep a passkey ceremony");
            }
            Some(options)
        }
        None => None,
    };
    let grouped: String = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let invalid = error.is_some();
    let no_passkeys = state.passkeys.is_none();
    let body = view! {
        <h1>"Set up your second factor"</h1>
        <p class="lead">"After your password, the console asks for this every time you log in, and again before sensitive actions. Set up at least one; both is better."</p>
        {error.map(|e| view! { <p class="field-error" role="alert" id="setup-error">{e}</p> })}
        {passkey_form.map(|options| view! {
            <section class="factor-card" aria-labelledby="passkey-heading">
                <h2 id="passkey-heading">"A passkey (recommended)"</h2>
                <p>"Your phone, your laptop's fingerprint or face unlock, or a security key. Nothing to type, and it cannot be phished."</p>
                <form method="post" action="/admin/2fa/setup/passkey" class="form" data-passkey="register" data-options=options hidden>
                    <input type="hidden" name="credential" value="" />
                    <div class="field">
                        <label for="field-passkey-name">"Name it (optional)"</label>
                        <input id="field-passkey-name" name="name" type="text" maxlength="60" autocomplete="off" placeholder="Work laptop" />
                    </div>
                    <p class="field-error" role="alert" data-passkey-error hidden>"No passkey was added. Try again, or use an authenticator app below."</p>
                    <button type="submit" class="button">"Add a passkey"</button>
                </form>
                <noscript><p class="muted">"Passkeys need JavaScript in this browser; use an authenticator app below instead."</p></noscript>
            </section>
        })}
        {no_passkeys.then(|| view! {
            <p class="muted">"Passkeys are off on this address (they need a domain name, not an IP address): use an authenticator app."</p>
        })}
        <section class="factor-card" aria-labelledby="app-heading">
            <h2 id="app-heading">"An authenticator app"</h2>
            <p>"Scan this code with an app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy, then type the six digits it shows."</p>
            <div class="qr-code" role="img" aria-label="QR code to scan with your authenticator app" inner_html=qr></div>
            <p>"Can't scan? Type this key into the app instead: " <code class="secret-key" data-totp-secret=secret.clone()>{grouped}</code></p>
            <form method="post" action="/admin/2fa/setup/totp" class="form" novalidate>
                <div class="field" class:field-invalid=invalid>
                    <label for="field-code">"The six digits your app shows"</label>
                    <input id="field-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required=true
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <button type="submit" class="button">"Use this app"</button>
            </form>
        </section>
    };
    page_with_passkeys(status, "Set up your second factor", None, None, body)
}

#[derive(serde::Deserialize)]
struct SetupCode {
    #[serde(default)]
    code: String,
}

/// `POST /admin/2fa/setup/totp`: the app's first code confirms its secret.
async fn setup_totp(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    given: PasswordGiven,
    Form(form): Form<SetupCode>,
) -> Response {
    if !may_set_up(&state, &given).await {
        return Redirect::to("/admin/2fa").into_response();
    }
    if let Some(message) = too_many_tries(&state, client, &given.record.id).await {
        return setup_view(&state, &given, StatusCode::TOO_MANY_REQUESTS, Some(message)).await;
    }
    let pending: Option<String> = given.session.get(TOTP_PENDING).await.ok().flatten();
    let now = state.services.clock.now_ms();
    let step = pending
        .as_deref()
        .and_then(|secret| second_factor::step_of(secret, &form.code, now).map(|step| (secret, step)));
    let Some((secret, step)) = step else {
        note_refusal(&state, &given.record.id, "a code while setting up an app").await;
        let message = "That is not the code your app shows now. Check that you scanned the code on this page, then type the six digits showing now.".to_owned();
        return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    };
    if let Err(e) = state
        .services
        .store
        .save_totp(&given.record.id, secret, step)
        .await
    {
        return unavailable(e);
    }
    let _ = given.session.remove::<String>(TOTP_PENDING).await;
    factor_added(&state, &given, "an authenticator app").await
}

/// `POST /admin/2fa/setup/passkey`: the browser's new passkey.
async fn setup_passkey(
    State(state): State<AppState>,
    given: PasswordGiven,
    headers: axum::http::HeaderMap,
    Form(form): Form<CredentialForm>,
) -> Response {
    if !may_set_up(&state, &given).await {
        return Redirect::to("/admin/2fa").into_response();
    }
    let ceremony: Option<(PasskeyRegistration, String)> =
        given.session.remove(PASSKEY_REGISTRATION).await.ok().flatten();
    let (Some(site), Some((ceremony, handle))) = (&state.passkeys, ceremony) else {
        let message = "That passkey setup had expired. Try again.".to_owned();
        return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    };
    let (id, passkey) = match site.finish_registration(&form.credential, &ceremony) {
        Ok(done) => done,
        Err(e) => {
            tracing::info!(operator = %given.record.id, error = %e, "console: a passkey registration was refused");
            let message = "No passkey was added: your browser's answer was not accepted. Try again, or use an authenticator app.".to_owned();
            return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
        }
    };
    let row = PasskeyRow {
        id,
        owner: PasskeyOwner::Operator(given.record.id.clone()),
        handle,
        name: passkey_name(&form.name, super::browser_family(&headers)),
        passkey,
        created_at: state.services.clock.now_ms(),
        last_used_at: None,
    };
    match state.services.store.add_passkey(&row, None).await {
        Ok(true) => factor_added(&state, &given, "a passkey").await,
        Ok(false) => {
            let message = "This passkey is registered already.".to_owned();
            setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await
        }
        Err(e) => unavailable(e),
    }
}

/// A factor was added: the login counts as having given it, and a first factor comes with
/// recovery codes, shown once.
async fn factor_added(state: &AppState, given: &PasswordGiven, what: &str) -> Response {
    let store = &state.services.store;
    let _ = given.session.remove::<SetupGrant>(SETUP_GRANT).await;
    if let Err(response) = mark_factor(state, &given.session, &given.login).await {
        return response;
    }
    if let Err(e) = store
        .audit(Some(&given.record.id), "set up a second factor", None, what)
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    match store.recovery_codes_left(&given.record.id).await {
        Ok(0) => issue_codes(state, &given.record, &given.session).await,
        Ok(_) => {
            let _ = given
                .session
                .insert(super::NOTICE_KEY, format!("Done: {what} is set up."))
                .await;
            Redirect::to("/admin/security").into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// New recovery codes for `operator` (the old ones stop working), shown once.
async fn issue_codes(
    state: &AppState,
    operator: &onboarding::operators::OperatorRecord,
    session: &Session,
) -> Response {
    let (codes, digests) = second_factor::new_recovery_codes();
    if let Err(e) = state
        .services
        .store
        .replace_recovery_codes(&operator.id, &digests)
        .await
    {
        return unavailable(e);
    }
    let _ = state
        .services
        .store
        .audit(Some(&operator.id), "made new recovery codes", None, "")
        .await;
    let _ = session;
    let items: Vec<_> = codes
        .into_iter()
        .map(|code| view! { <li><code>{code}</code></li> })
        .collect();
    let body = view! {
        <div class="narrow">
            <h1>"Save your recovery codes"</h1>
            <p class="lead">"If you lose your passkey or your phone, each of these codes opens the console once instead. This is the only time they are shown: print them, or keep them in your password manager."</p>
            <ol class="recovery-codes" aria-label="Recovery codes">{items}</ol>
            <p>"Older recovery codes of yours no longer work."</p>
            <p><a class="button" href="/admin/appeals">"I saved them: continue to the console"</a></p>
        </div>
    };
    page(StatusCode::OK, "Recovery codes", Some(operator), None, body)
}

/// `GET /admin/security`: the operator's own second factors.
async fn security_page(State(state): State<AppState>, operator: Operator) -> Response {
    let store = &state.services.store;
    let id = &operator.record.id;
    let owner = PasskeyOwner::Operator(id.clone());
    let (secret, passkeys, left) = match (
        store.totp_secret(id).await,
        store.passkeys_of(&owner).await,
        store.recovery_codes_left(id).await,
    ) {
        (Ok(s), Ok(p), Ok(l)) => (s, p, l),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return unavailable(e),
    };
    let factors = passkeys.len() + usize::from(secret.is_some());
    let rows: Vec<_> = passkeys
        .into_iter()
        .map(|pk| {
            let last = pk
                .last_used_at
                .map_or_else(|| "never".to_owned(), onboarding::clock::time_in_words);
            view! {
                <tr>
                    <td>{pk.name.clone()}</td>
                    <td>{onboarding::clock::time_in_words(pk.created_at)}</td>
                    <td>{last}</td>
                    <td>{(factors > 1).then(|| view! {
                        <form method="post" action="/admin/security/passkeys/remove" class="inline-form">
                            <input type="hidden" name="id" value=pk.id.clone() />
                            <button type="submit" class="link-button">"Remove " <span class="visually-hidden">{pk.name.clone()}</span></button>
                        </form>
                    })}</td>
                </tr>
            }
        })
        .collect();
    let has_passkeys = !rows.is_empty();
    let body = view! {
        <h1>"Your sign-in"</h1>
        <p class="lead">"Your password, then one of these second factors, every time you log in."</p>
        <h2>"Passkeys"</h2>
        {if has_passkeys {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Your passkeys">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Added"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        } else {
            view! { <p>"None yet."</p> }.into_any()
        }}
        <h2>"Authenticator app"</h2>
        <p>{if secret.is_some() { "Set up." } else { "Not set up." }}</p>
        <p><a class="button button-secondary" href="/admin/2fa/setup">"Add a passkey or an app"</a></p>
        <h2>"Recovery codes"</h2>
        <p>{format!("{left} of 10 unused.")}</p>
        <form method="post" action="/admin/security/codes" class="form">
            <button type="submit" class="button button-secondary">"Make new recovery codes"</button>
        </form>
    };
    let notice = operator.take_notice().await;
    page(
        StatusCode::OK,
        "Your sign-in",
        Some(&operator.record),
        notice,
        body,
    )
}

/// `POST /admin/security/codes`: new recovery codes (after the second factor again).
async fn new_codes(State(state): State<AppState>, operator: Operator) -> Response {
    if !operator.factor_is_fresh(state.services.clock.now_ms()) {
        return operator.step_up("/admin/security").await;
    }
    issue_codes(&state, &operator.record, &operator.session).await
}

#[derive(serde::Deserialize)]
struct Which {
    #[serde(default)]
    id: String,
}

/// `POST /admin/security/passkeys/remove` (its id in the form, not in the logged path):
/// removes one of their passkeys, never their last factor.
async fn remove_passkey(
    State(state): State<AppState>,
    operator: Operator,
    Form(Which { id }): Form<Which>,
) -> Response {
    if !operator.factor_is_fresh(state.services.clock.now_ms()) {
        return operator.step_up("/admin/security").await;
    }
    let store = &state.services.store;
    let owner = PasskeyOwner::Operator(operator.record.id.clone());
    let (secret, passkeys) = match (
        store.totp_secret(&operator.record.id).await,
        store.passkeys_of(&owner).await,
    ) {
        (Ok(s), Ok(p)) => (s, p),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    if secret.is_none() && passkeys.len() <= 1 {
        operator
            .leave_notice("This is your only second factor: add another one before you remove it.")
            .await;
        return Redirect::to("/admin/security").into_response();
    }
    match store.remove_passkey(&owner, &id).await {
        Ok(true) => {
            let _ = store
                .audit(Some(&operator.record.id), "removed a passkey", None, "")
                .await;
            operator.leave_notice("Passkey removed.").await;
        }
        Ok(false) => operator.leave_notice("That passkey was removed already.").await,
        Err(e) => return unavailable(e),
    }
    Redirect::to("/admin/security").into_response()
}
