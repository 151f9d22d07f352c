//! Plain HTML form posts. Each one redirects (303) to a page: on success to the next step, on
//! error back to the form with a flash holding the errors. The same path serves browsers with
//! and without JavaScript.

use app::api::Flash;
use app::auth;

use app::auth::{Auth, Credentials};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::accounts::{self, ResetError, SignupError};
use onboarding::email::templates;
use onboarding::forms::{Email, FieldErrors, LoginForm, SignupForm, safe_next};
use onboarding::jobs;
use onboarding::onboarding as flow;
use onboarding::store::ConfirmOutcome;
use onboarding::tokens;
use tower_sessions::Session;

use crate::client_ip::ClientIp;
use crate::limits::{LoginFrom, try_again_in};
use crate::startup::AppState;

const TRY_AGAIN: &str = "Something went wrong on our side. Please try again in a minute.";

/// Longest value a form gets back after an error (names, emails), in characters; the appeal
/// message may be longer. Whatever was posted, a flash stays small.
const ECHO_MAX_CHARS: usize = 256;

/// Back to `path` with a flash for the form there.
async fn back_with(session: &Session, path: &str, mut flash: Flash) -> Response {
    for (field, value) in &mut flash.values {
        let max = if field == "message" {
            APPEAL_MAX_CHARS
        } else {
            ECHO_MAX_CHARS
        };
        if let Some((cut, _)) = value.char_indices().nth(max) {
            value.truncate(cut);
        }
    }
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

/// Where the signup form always leads, whoever the address belongs to.
const SIGNUP_SENT: &str = "/signup/sent";

pub async fn signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    session: Session,
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
            return back_with(&session, "/signup", flash).await;
        }
    };
    if let Err(wait) = state.limits.signup(client, email.as_str()) {
        let flash = Flash {
            form: "signup".into(),
            values,
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return back_with(&session, "/signup", flash).await;
    }
    match accounts::sign_up(&state.services, form).await {
        // The same answer for a new address and one that has an account: the email tells
        // them apart, and only the owner of the address reads it.
        Ok(()) => {
            tracing::info!("signup form accepted");
            Redirect::to(SIGNUP_SENT).into_response()
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

#[derive(serde::Deserialize)]
pub struct TokenForm {
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

fn clean_token(input: &str) -> String {
    let token = input.trim();
    if !token.is_empty() && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        token.to_owned()
    } else {
        String::new()
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
    mut auth: Auth,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let session = auth.session.clone();
    let token = clean_token(&form.token);
    let page = format!("/signup/confirm?token={token}");
    if let Err(wait) = state.limits.confirm(client) {
        return back_with(&session, &page, notice("confirm", &try_again_in(wait))).await;
    }
    match accounts::confirm_signup(&state.services, &token, form.password).await {
        Ok(ConfirmOutcome::Created(user)) => {
            tracing::info!(%user, "account created");
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after signup");
                let ready = notice("login", "Your account is ready. Please log in.");
                return back_with(&session, "/login", ready).await;
            }
            // Start verification straight away, as LedgerOS advises. The provisioning job was
            // stored with the account: if LedgerOS is unreachable now, the outbox worker retries.
            jobs::outbox::provision_now(&state.services, &user).await;
            let mut response = Redirect::to("/status").into_response();
            remember_device(&state, &user, &HeaderMap::new(), &mut response).await;
            response
        }
        Ok(ConfirmOutcome::AlreadyExists) => {
            let message = "Your email is already confirmed and your account is ready. Please log in.";
            back_with(&session, "/login", notice("login", message)).await
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
            back_with(&session, &page, flash).await
        }
        // The page explains and offers the way on.
        Ok(ConfirmOutcome::Invalid) => Redirect::to(&page).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "signup confirmation failed");
            back_with(&session, &page, notice("confirm", TRY_AGAIN)).await
        }
    }
}

/// The device cookie: a random token naming this browser to the accounts signed in from it.
fn device_cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        "__Host-device"
    } else {
        "device"
    }
}

/// The device token this browser carries, if it looks like one of ours.
fn device_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = device_cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| tokens::is_well_formed(value))
}

/// Marks this browser as one `user` signs in from (a new device token unless it has one),
/// so guesses at the account from elsewhere do not lock them out.
async fn remember_device(
    state: &AppState,
    user: &onboarding::store::UserId,
    headers: &HeaderMap,
    response: &mut Response,
) {
    let (token, fresh) = match device_token(state, headers) {
        Some(token) => (token, false),
        None => (tokens::generate(), true),
    };
    if let Err(e) = state
        .services
        .store
        .remember_device(user, &tokens::digest(&token))
        .await
    {
        tracing::warn!(error = %e, "could not remember the device");
        return;
    }
    if fresh {
        let secure = if state.public_url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
            device_cookie_name(state)
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
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
    let session = auth.session.clone();
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
    {
        let values = vec![("email".to_owned(), form.email)];
        let flash = Flash {
            form: "login".into(),
            values,
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return back_with(&session, "/login", flash).await;
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
                back_with(&session, "/login", notice("login", TRY_AGAIN)).await
            }
        },
        Ok(None) => {
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
        Err(e) => {
            tracing::error!(error = %e, "login failed");
            back_with(&session, "/login", notice("login", TRY_AGAIN)).await
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
    back_with(
        &auth.session,
        "/login",
        notice("login", "You've logged out. See you soon."),
    )
    .await
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
    session: Session,
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
            return back_with(&session, "/password/forgot", flash).await;
        }
    };
    if let Err(wait) = state.limits.password_reset(client, email.as_str()) {
        let flash = Flash {
            form: "forgot".into(),
            values,
            notice: Some(try_again_in(wait)),
            ..Flash::default()
        };
        return back_with(&session, "/password/forgot", flash).await;
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
    back_with(&session, "/password/forgot", notice("forgot", &sent)).await
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
    let session = auth.session.clone();
    let token = clean_token(&form.token);
    let form_path = format!("/password/reset?token={token}");
    if let Err(wait) = state.limits.password_reset(client, &token) {
        return back_with(&session, &form_path, notice("reset", &try_again_in(wait))).await;
    }
    match accounts::reset_password(&state.services, &token, form.password).await {
        Ok(user) => {
            tracing::info!(%user, "password reset");
            // Whatever session this browser had is not the account's any more.
            let _ = auth::log_out(&mut auth).await;
            if let Err(e) = auth::log_in(&mut auth, &user).await {
                tracing::error!(error = %e, "session could not be started after a reset");
                let done = notice("login", "Your password is changed. Please log in with it.");
                return back_with(&auth.session, "/login", done).await;
            }
            let done = notice(
                "status",
                "Your password is changed, and you've been logged out everywhere else.",
            );
            back_with(&auth.session, "/status", done).await
        }
        Err(ResetError::Invalid(errors)) => {
            let flash = Flash {
                form: "reset".into(),
                errors,
                ..Flash::default()
            };
            back_with(&session, &form_path, flash).await
        }
        Err(ResetError::LinkInvalid) => {
            // The page itself explains and offers a new link.
            Redirect::to(&form_path).into_response()
        }
        Err(ResetError::Store(e)) => {
            tracing::error!(error = %e, "password reset failed");
            back_with(&session, &form_path, notice("reset", TRY_AGAIN)).await
        }
    }
}

/// Sends the user to LedgerOS's hosted page: a fresh link, provisioning first if needed.
pub async fn start_verification(State(state): State<AppState>, auth: Auth) -> Response {
    let Some(user) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    match flow::verification_url(&state.services, &user).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            tracing::warn!(%user, error = %e, "could not get a verification link");
            let message = "We couldn't reach our verification partner just now. Your progress is saved: please try again in a minute.";
            back_with(&auth.session, "/status", notice("status", message)).await
        }
    }
}

/// The link in reminder emails: straight to the hosted page where the person left off (via
/// login if needed). Only fetches a link, so a GET is fine.
pub async fn continue_verification(state: State<AppState>, auth: Auth) -> Response {
    start_verification(state, auth).await
}

/// `GET /reminders/stop?token=…`, the opt-out link in every reminder: one click turns them off
/// (it changes nothing else, and the page that follows can turn them back on).
pub async fn stop_reminders(State(state): State<AppState>, Query(form): Query<TokenForm>) -> Response {
    let token = form.token();
    match state.services.store.set_reminders(&token, false).await {
        Ok(true) => Redirect::to(&format!("/reminders?token={token}")).into_response(),
        Ok(false) => Redirect::to("/reminders").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders off");
            (StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN).into_response()
        }
    }
}

/// `POST /reminders/stop`: the one-click unsubscribe mail clients send (RFC 8058).
pub async fn stop_reminders_one_click(
    State(state): State<AppState>,
    Query(query): Query<TokenForm>,
) -> Response {
    match state.services.store.set_reminders(&query.token(), false).await {
        Ok(true) => (StatusCode::OK, "Reminders are off.").into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "This link is not valid.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders off");
            (StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN).into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct RemindersForm {
    #[serde(default)]
    on: bool,
}

/// The reminders switch on the status page.
pub async fn account_reminders(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<RemindersForm>,
) -> Response {
    let Some(user) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let message = match state.services.store.set_user_reminders(&user, form.on).await {
        Ok(()) if form.on => "Reminders are on.",
        Ok(()) => "Reminders are off. We won't send any more.",
        Err(e) => {
            tracing::error!(%user, error = %e, "could not change reminder settings");
            TRY_AGAIN
        }
    };
    back_with(&auth.session, "/status", notice("status", message)).await
}

/// The button on the reminders page that turns them back on.
pub async fn resume_reminders(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<TokenForm>,
) -> Response {
    let token = form.token();
    let path = format!("/reminders?token={token}");
    match state.services.store.set_reminders(&token, true).await {
        Ok(_) => back_with(&session, &path, notice("reminders", "Reminders are back on.")).await,
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders on");
            back_with(&session, &path, notice("reminders", TRY_AGAIN)).await
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
pub async fn appeal(State(state): State<AppState>, auth: Auth, Form(form): Form<AppealForm>) -> Response {
    let session = auth.session.clone();
    let Some(user) = auth::user_id(&auth).await else {
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
