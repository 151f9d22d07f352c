//! The account forms: signup and its confirmation, login and logout. Plain HTML form posts
//! that redirect (303) with a [`Back`].

use app::auth;
use app::auth::{Auth, Credentials};
use app::views::Flash;
use axum::Extension;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::accounts::{self, SignupError};
use onboarding::forms::{Email, FieldErrors, LoginForm, SignupForm, safe_next};
use onboarding::i18n::{Lang, msg, t};
use onboarding::jobs;
use onboarding::proof_of_work;
use onboarding::store::ConfirmOutcome;
use onboarding::tokens;
use onboarding::verification;

use super::device::{device_token, remember_device};
use super::flash::{Back, clean_token, notice, try_again};
use super::{guard, small_and_quick};
use crate::client_ip::{ClientIp, sending_network};
use crate::limits::{LoginFrom, try_again_in};
use crate::state::AppState;
use axum::Router;
use axum::routing::post;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let anyone = Router::new()
        .route("/signup", post(signup))
        .route("/signup/confirm", post(confirm_signup))
        .route("/login", post(login))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_anonymous_forms,
        ));
    small_and_quick(
        anyone
            .route("/logout", post(logout))
            .route("/signup/challenge", axum::routing::get(proof_challenge)),
        state,
    )
}

/// `GET /signup/challenge`: a fresh proof-of-work challenge for the signup form's script.
async fn proof_challenge(State(state): State<AppState>) -> Response {
    let challenge = proof_of_work::challenge(&state.proof_key, state.services.clock.now_ms());
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        challenge,
    )
        .into_response()
}

/// Where the signup form always leads, whoever the address belongs to.
const SIGNUP_SENT: &str = "/signup/sent";

async fn signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    Form(form): Form<SignupForm>,
) -> Response {
    let values = form.redisplay();
    // Mistakes in the form do not count against the limit (it guards the emails we send).
    let email = match form.clone().validate(lang) {
        Ok(valid) => valid.email,
        Err(errors) => {
            let flash = Flash {
                form: "signup".into(),
                errors,
                values,
                notice: None,
            };
            return Back::to("/signup", flash).into_response();
        }
    };
    // The proof of work, or without one (no JavaScript) a much tighter limit per client.
    let now = state.services.clock.now_ms();
    let proof = if form.altcha.trim().is_empty() {
        state
            .limits
            .signup_without_proof(client)
            .await
            .map_err(|wait| try_again_in(lang, wait))
    } else {
        proof_of_work::check(&state.services.store, &state.proof_key, &form.altcha, now)
            .await
            .map_err(|problem| {
                tracing::info!(%problem, "signup form refused: its proof of work");
                t(lang, msg::NOTICE_SEND_FORM_AGAIN)
            })
    };
    if let Err(notice) = proof {
        let flash = Flash {
            form: "signup".into(),
            values,
            notice: Some(notice),
            ..Flash::default()
        };
        return Back::to("/signup", flash).into_response();
    }
    if let Err(wait) = state.limits.signup(client, email.as_str()).await {
        let flash = Flash {
            form: "signup".into(),
            values,
            notice: Some(try_again_in(lang, wait)),
            ..Flash::default()
        };
        return Back::to("/signup", flash).into_response();
    }
    let outcome = accounts::sign_up(&state.services, form, lang).await;
    // The console's signals: where signup forms come from (the network, not the address).
    if matches!(outcome, Ok(()) | Err(SignupError::Throwaway(_)))
        && let Err(e) = state
            .services
            .store
            .record_signup_attempt(&sending_network(client), outcome.is_ok())
            .await
    {
        tracing::warn!(error = %e, "could not note the signup for the console's signals");
    }
    match outcome {
        // The same answer for a new address and one that has an account: the email tells
        // them apart, and only the owner of the address reads it.
        Ok(()) => {
            tracing::info!("signup form accepted");
            Redirect::to(SIGNUP_SENT).into_response()
        }
        Err(SignupError::Invalid(errors) | SignupError::Throwaway(errors)) => Back::to(
            "/signup",
            Flash {
                form: "signup".into(),
                errors,
                values,
                notice: None,
            },
        )
        .into_response(),
        Err(SignupError::Store(e)) => {
            tracing::error!(error = %e, "signup failed");
            Back::to(
                "/signup",
                Flash {
                    form: "signup".into(),
                    values,
                    notice: Some(try_again(lang)),
                    ..Flash::default()
                },
            )
            .into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// The form on the confirmation page (a POST, so that mail scanners opening the link do not
/// use it up): with the password chosen at signup, creates the account, signs the person in
/// and starts verification.
async fn confirm_signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Extension(lang): Extension<Lang>,
    mut auth: Auth,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let token = clean_token(&form.token);
    let page = format!("/signup/confirm?token={token}");
    if let Err(wait) = state.limits.confirm(client).await {
        return Back::to(&page, notice("confirm", &try_again_in(lang, wait))).into_response();
    }
    match accounts::confirm_signup(&state.services, &token, form.password).await {
        Ok(ConfirmOutcome::Created(user)) => {
            tracing::info!(%user, "account created");
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after signup");
                let ready = notice("login", &t(lang, msg::NOTICE_ACCOUNT_READY));
                return Back::to("/login", ready).into_response();
            }
            // Start verification straight away, as LedgerOS advises. The provisioning job was
            // stored with the account: if LedgerOS is unreachable now, the LedgerOS call worker retries.
            jobs::ledger_calls::provision_now(&state.services, &user).await;
            let mut response = Redirect::to("/status").into_response();
            remember_device(&state, &user, &headers, &mut response).await;
            response
        }
        Ok(ConfirmOutcome::AlreadyExists) => {
            let message = t(lang, msg::NOTICE_ALREADY_CONFIRMED);
            Back::to("/login", notice("login", &message)).into_response()
        }
        Ok(ConfirmOutcome::WrongPassword) => {
            let mut errors = FieldErrors::default();
            errors.add("password", t(lang, msg::ERROR_WRONG_SIGNUP_PASSWORD));
            let flash = Flash {
                form: "confirm".into(),
                errors,
                ..Flash::default()
            };
            Back::to(&page, flash).into_response()
        }
        // The page explains and offers the way on.
        Ok(ConfirmOutcome::Invalid) => Redirect::to(&page).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "signup confirmation failed");
            Back::to(&page, notice("confirm", &try_again(lang))).into_response()
        }
    }
}

async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Extension(lang): Extension<Lang>,
    mut auth: Auth,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).unwrap_or_else(|| "/status".to_owned());
    // Only a real address becomes a rate-limit key (anything else cannot match an account).
    let account = Email::parse(&form.email).ok();
    let device = device_token(&state, &headers);
    let known = match (&account, &device) {
        (Some(email), Some(token)) => state
            .services
            .store
            .is_known_device(email.as_str(), &tokens::digest(token))
            .await
            .unwrap_or(false),
        _ => false,
    };
    let from = match (&device, known) {
        (Some(token), true) => LoginFrom::KnownDevice(token),
        _ => LoginFrom::Unknown,
    };
    if let Err(wait) = state
        .limits
        .login(client, account.as_ref().map(Email::as_str), from)
        .await
    {
        let values = vec![("email".to_owned(), form.email)];
        let flash = Flash {
            form: "login".into(),
            values,
            notice: Some(try_again_in(lang, wait)),
            ..Flash::default()
        };
        return Back::to("/login", flash).into_response();
    }
    let credentials = Credentials {
        email: form.email.clone(),
        password: form.password,
    };
    match auth.authenticate(credentials).await {
        Ok(Some(user)) => start_session(&state, lang, &mut auth, &user, &next, &headers).await,
        Ok(None) => {
            let mut errors = FieldErrors::default();
            errors.add("email", t(lang, msg::ERROR_LOGIN_MISMATCH));
            let values = vec![("email".to_owned(), form.email)];
            Back::to(
                "/login",
                Flash {
                    form: "login".into(),
                    errors,
                    values,
                    notice: None,
                },
            )
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "login failed");
            Back::to("/login", notice("login", &try_again(lang))).into_response()
        }
    }
}

/// Starts the session of `user`, who just proved who they are (a password or a passkey), and
/// sends them to `next`.
pub(super) async fn start_session(
    state: &AppState,
    lang: Lang,
    auth: &mut Auth,
    user: &auth::SignedIn,
    next: &str,
    headers: &HeaderMap,
) -> Response {
    match auth::log_in_user(auth, user).await {
        Ok(()) => {
            // Statuses no webhook announces (manual review, a lock…) are learned by asking:
            // in the background, so logging in does not wait for LedgerOS. An open status
            // page hears the outcome.
            let services = state.services.clone();
            let id = user.record.id.clone();
            tokio::spawn(async move {
                let gap = services.status_check_gap;
                if let Err(e) = verification::refresh_if_due(&services, &id, gap).await {
                    tracing::warn!(user = %id, error = %e, "could not check the status at login");
                }
            });
            // Noted (an idle account is one nobody logs into); logging in during a
            // deletion's grace period cancels it.
            let mut response = match state.services.store.note_login(&user.record.id).await {
                Ok(true) => {
                    tracing::info!(user = %user.record.id, "account deletion cancelled by logging in");
                    let message = t(lang, msg::NOTICE_DELETION_CANCELLED);
                    Back::to(next, notice("status", &message)).into_response()
                }
                Ok(false) => Redirect::to(next).into_response(),
                Err(e) => {
                    tracing::error!(user = %user.record.id, error = %e, "could not note the login");
                    Redirect::to(next).into_response()
                }
            };
            remember_device(state, &user.record.id, headers, &mut response).await;
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "session could not be started at login");
            Back::to("/login", notice("login", &try_again(lang))).into_response()
        }
    }
}

async fn logout(State(state): State<AppState>, Extension(lang): Extension<Lang>, mut auth: Auth) -> Response {
    // Live-status streams opened by this session end with it.
    if let Some(id) = auth.session.id() {
        state.live_streams.close(&id.to_string());
    }
    if let Err(e) = auth::log_out(&mut auth).await {
        tracing::error!(error = %e, "logout could not end the session");
    }
    Back::to("/login", notice("login", &t(lang, msg::NOTICE_LOGGED_OUT))).into_response()
}
