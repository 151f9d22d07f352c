//! Plain HTML form posts. Each one redirects (303) to a page: on success to the next step, on
//! error back to the form with a flash holding the errors. The same path serves browsers with
//! and without JavaScript.

use app::api::Flash;
use app::auth;
use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::accounts::{self, LoginError, SignupError};
use onboarding::forms::{FieldErrors, LoginForm, SignupForm, safe_next};
use onboarding::jobs;
use onboarding::onboarding as flow;
use tower_sessions::Session;

use crate::limits::try_again_in;
use crate::startup::AppState;

const TRY_AGAIN: &str = "Something went wrong on our side. Please try again in a minute.";

/// Back to `path` with a flash for the form there.
async fn back_with(session: &Session, path: &str, flash: Flash) -> Response {
    if let Err(e) = auth::set_flash(session, flash).await {
        tracing::error!(error = %e, "could not store the flash message");
    }
    Redirect::to(path).into_response()
}

fn notice(form: &str, message: &str) -> Flash {
    Flash {
        form: form.to_owned(),
        notice: Some(message.to_owned()),
        ..Flash::default()
    }
}

pub async fn signup(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SignupForm>,
) -> Response {
    let values = form.redisplay();
    match accounts::sign_up(&state.services, form).await {
        Ok(user) => {
            if let Err(e) = auth::log_in(&session, &user).await {
                tracing::error!(error = %e, "session could not be started after signup");
                return back_with(
                    &session,
                    "/login",
                    notice("login", "Your account is ready. Please log in."),
                )
                .await;
            }
            tracing::info!(%user, "account created");
            // Start verification straight away, as LedgerOS advises. The provisioning job was stored
            // with the account: if LedgerOS is unreachable now, the outbox worker retries it.
            jobs::outbox::provision_now(&state.services, &user).await;
            Redirect::to("/status").into_response()
        }
        Err(SignupError::Invalid(errors)) => {
            back_with(
                &session,
                "/signup",
                Flash {
                    form: "signup".into(),
                    errors,
                    values,
                    notice: None,
                },
            )
            .await
        }
        Err(SignupError::Store(e)) => {
            tracing::error!(error = %e, "signup failed");
            back_with(
                &session,
                "/signup",
                Flash {
                    form: "signup".into(),
                    values,
                    notice: Some(TRY_AGAIN.into()),
                    ..Flash::default()
                },
            )
            .await
        }
    }
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).unwrap_or_else(|| "/status".to_owned());
    if let Err(wait) = state.limits.login(peer.ip(), &form.email) {
        let values = vec![("email".to_owned(), form.email)];
        let flash = Flash {
            form: "login".into(),
            values,
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return back_with(&session, "/login", flash).await;
    }
    match accounts::log_in(&state.services, &form.email, form.password).await {
        Ok(user) => match auth::log_in(&session, &user).await {
            Ok(()) => Redirect::to(&next).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "session could not be started at login");
                back_with(&session, "/login", notice("login", TRY_AGAIN)).await
            }
        },
        Err(LoginError::InvalidCredentials) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "email",
                "That email and password don't match an account. Check both and try again.",
            );
            let values = vec![("email".to_owned(), form.email)];
            back_with(
                &session,
                "/login",
                Flash {
                    form: "login".into(),
                    errors,
                    values,
                    notice: None,
                },
            )
            .await
        }
        Err(LoginError::Store(e)) => {
            tracing::error!(error = %e, "login failed");
            back_with(&session, "/login", notice("login", TRY_AGAIN)).await
        }
    }
}

pub async fn logout(session: Session) -> Response {
    if let Err(e) = auth::log_out(&session).await {
        tracing::error!(error = %e, "logout could not end the session");
    }
    back_with(
        &session,
        "/login",
        notice("login", "You've logged out. See you soon."),
    )
    .await
}

/// Sends the user to LedgerOS's hosted page: a fresh link, provisioning first if needed.
pub async fn start_verification(State(state): State<AppState>, session: Session) -> Response {
    let Some(user) = auth::user_id(&session).await else {
        return Redirect::to("/login").into_response();
    };
    match flow::verification_url(&state.services, &user).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            tracing::warn!(%user, error = %e, "could not get a verification link");
            let message = "We couldn't reach our verification partner just now. Your progress is saved: please try again in a minute.";
            back_with(&session, "/status", notice("status", message)).await
        }
    }
}

#[derive(serde::Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    message: String,
}

/// Longest appeal we store: a few paragraphs.
const APPEAL_MAX_CHARS: usize = 4000;

/// A denied applicant asks support to look again. Stored for the team; nothing is sent to
/// LedgerOS (appeals go through support, as the guide says).
pub async fn appeal(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<AppealForm>,
) -> Response {
    let Some(user) = auth::user_id(&session).await else {
        return Redirect::to("/login").into_response();
    };
    let message = form.message.trim();
    let problem = if message.is_empty() {
        Some("Tell us briefly why you think the decision is wrong.".to_owned())
    } else if message.chars().count() > APPEAL_MAX_CHARS {
        Some(format!(
            "Please keep your message under {APPEAL_MAX_CHARS} characters."
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let mut errors = FieldErrors::default();
        errors.add("message", problem);
        let values = vec![("message".to_owned(), form.message)];
        return back_with(
            &session,
            "/status",
            Flash {
                form: "status".into(),
                errors,
                values,
                notice: None,
            },
        )
        .await;
    }
    match state.services.store.add_appeal(&user, message).await {
        Ok(()) => {
            tracing::info!(%user, "appeal received");
            let thanks =
                "We've received your appeal. Our support team will reply by email within 2 business days.";
            back_with(&session, "/status", notice("status", thanks)).await
        }
        Err(e) => {
            tracing::error!(%user, error = %e, "appeal could not be stored");
            let values = vec![("message".to_owned(), form.message)];
            let flash = Flash {
                form: "status".into(),
                values,
                notice: Some(TRY_AGAIN.into()),
                ..Flash::default()
            };
            back_with(&session, "/status", flash).await
        }
    }
}
