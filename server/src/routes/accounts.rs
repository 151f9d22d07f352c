//! The account forms: signup and its confirmation, login and logout, password reset. Plain
//! HTML form posts that redirect (303), like the rest of [`super::forms`].

use app::auth;
use app::auth::{Auth, Credentials};
use app::views::Flash;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::accounts::{self, ResetError, SignupError};
use onboarding::email::templates;
use onboarding::forms::{Email, FieldErrors, LoginForm, SignupForm, safe_next};
use onboarding::jobs;
use onboarding::store::ConfirmOutcome;
use onboarding::tokens;

use super::device::{device_token, remember_device};
use super::forms::{Back, TRY_AGAIN, clean_token, notice};
use crate::client_ip::ClientIp;
use crate::limits::{LoginFrom, try_again_in};
use crate::state::AppState;

/// Where the signup form always leads, whoever the address belongs to.
const SIGNUP_SENT: &str = "/signup/sent";

pub async fn signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Form(form): Form<SignupForm>,
) -> Response {
    let values = form.redisplay();
    // Mistakes in the form do not count against the limit (it guards the emails we send).
    let email = match form.clone().validate() {
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
    if let Err(wait) = state.limits.signup(client, email.as_str()).await {
        let flash = Flash {
            form: "signup".into(),
            values,
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return Back::to("/signup", flash).into_response();
    }
    match accounts::sign_up(&state.services, form).await {
        // The same answer for a new address and one that has an account: the email tells
        // them apart, and only the owner of the address reads it.
        Ok(()) => {
            tracing::info!("signup form accepted");
            Redirect::to(SIGNUP_SENT).into_response()
        }
        Err(SignupError::Invalid(errors)) => Back::to(
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
                    notice: Some(TRY_AGAIN.into()),
                    ..Flash::default()
                },
            )
            .into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// The form on the confirmation page (a POST, so that mail scanners opening the link do not
/// use it up): with the password chosen at signup, creates the account, signs the person in
/// and starts verification.
pub async fn confirm_signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    mut auth: Auth,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let token = clean_token(&form.token);
    let page = format!("/signup/confirm?token={token}");
    if let Err(wait) = state.limits.confirm(client).await {
        return Back::to(&page, notice("confirm", &try_again_in(wait))).into_response();
    }
    match accounts::confirm_signup(&state.services, &token, form.password).await {
        Ok(ConfirmOutcome::Created(user)) => {
            tracing::info!(%user, "account created");
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after signup");
                let ready = notice("login", "Your account is ready. Please log in.");
                return Back::to("/login", ready).into_response();
            }
            // Start verification straight away, as LedgerOS advises. The provisioning job was
            // stored with the account: if LedgerOS is unreachable now, the outbox worker retries.
            jobs::outbox::provision_now(&state.services, &user).await;
            let mut response = Redirect::to("/status").into_response();
            remember_device(&state, &user, &headers, &mut response).await;
            response
        }
        Ok(ConfirmOutcome::AlreadyExists) => {
            let message = "Your email is already confirmed and your account is ready. Please log in.";
            Back::to("/login", notice("login", message)).into_response()
        }
        Ok(ConfirmOutcome::WrongPassword) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "password",
                "That's not the password chosen when signing up with this address. Try again, or sign up again to choose a new one.",
            );
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
            Back::to(&page, notice("confirm", TRY_AGAIN)).into_response()
        }
    }
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
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
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return Back::to("/login", flash).into_response();
    }
    let credentials = Credentials {
        email: form.email.clone(),
        password: form.password,
    };
    match auth.authenticate(credentials).await {
        Ok(Some(user)) => match auth::log_in_user(&mut auth, &user).await {
            Ok(()) => {
                let mut response = Redirect::to(&next).into_response();
                remember_device(&state, &user.record.id, &headers, &mut response).await;
                response
            }
            Err(e) => {
                tracing::error!(error = %e, "session could not be started at login");
                Back::to("/login", notice("login", TRY_AGAIN)).into_response()
            }
        },
        Ok(None) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "email",
                "That email and password don't match an account. Check both and try again.",
            );
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
            Back::to("/login", notice("login", TRY_AGAIN)).into_response()
        }
    }
}

pub async fn logout(State(state): State<AppState>, mut auth: Auth) -> Response {
    // Live-status streams opened by this session end with it.
    if let Some(id) = auth.session.id() {
        state.live_streams.close(&id.to_string());
    }
    if let Err(e) = auth::log_out(&mut auth).await {
        tracing::error!(error = %e, "logout could not end the session");
    }
    Back::to("/login", notice("login", "You've logged out. See you soon.")).into_response()
}

#[derive(serde::Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Asks for a password reset link. The answer is the same whether or not the address has an
/// account, and it does not wait for the work (which takes longer when there is one).
pub async fn forgot_password(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Form(form): Form<ForgotForm>,
) -> Response {
    let values = vec![("email".to_owned(), form.email.clone())];
    // The address is checked first: only a valid one becomes a rate-limit key.
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(problem) => {
            let mut errors = FieldErrors::default();
            errors.add("email", problem);
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
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return Back::to("/password/forgot", flash).into_response();
    }
    let services = state.services.clone();
    let address = email.as_str().to_owned();
    tokio::spawn(async move {
        if let Err(e) = accounts::request_password_reset(&services, &address).await {
            tracing::error!(error = %e, "password reset request could not be stored");
        }
    });
    let sent = format!(
        "If an account uses {}, we've sent it a link to choose a new password. The link works for {} minutes. Nothing there? Check your spam folder, or try again in a few minutes.",
        email.as_str(),
        templates::RESET_MINUTES
    );
    Back::to("/password/forgot", notice("forgot", &sent)).into_response()
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// Sets the new password from a reset link, then signs the person in with a new session; all
/// their other sessions end (their password fingerprint no longer matches).
pub async fn reset_password(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    mut auth: Auth,
    Form(form): Form<ResetForm>,
) -> Response {
    let token = clean_token(&form.token);
    let form_path = format!("/password/reset?token={token}");
    if let Err(wait) = state.limits.password_reset(client, &token).await {
        return Back::to(&form_path, notice("reset", &try_again_in(wait))).into_response();
    }
    match accounts::reset_password(&state.services, &token, form.password).await {
        Ok(user) => {
            tracing::info!(%user, "password reset");
            // Whatever session this browser had is not the account's any more.
            let _ = auth::log_out(&mut auth).await;
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after a reset");
                let done = notice("login", "Your password is changed. Please log in with it.");
                return Back::to("/login", done).into_response();
            }
            let done = notice(
                "status",
                "Your password is changed, and you've been logged out everywhere else.",
            );
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
            Back::to(&form_path, notice("reset", TRY_AGAIN)).into_response()
        }
    }
}
