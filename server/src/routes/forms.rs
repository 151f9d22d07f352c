//! Plain HTML form posts. Each one redirects (303) to a page: on success to the next step, on
//! error back to the form with a flash holding the errors. The same path serves browsers with
//! and without JavaScript. The account forms (signup, login, password reset) are in
//! [`super::accounts`]; these are the ones around verification, reminders and appeals.

use app::auth;
use app::auth::Auth;
use app::views::Flash;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::forms::FieldErrors;
use onboarding::onboarding as flow;
use tower_sessions::Session;

use crate::state::AppState;

pub(super) const TRY_AGAIN: &str = "Something went wrong on our side. Please try again in a minute.";

/// Longest value a form gets back after an error (names, emails), in characters; the appeal
/// message may be longer. Whatever was posted, a flash stays small.
const ECHO_MAX_CHARS: usize = 256;

/// The way back from a form post: a redirect (303) to `path`, with a flash for the form there
/// (errors, a notice, the values to show again). [`keep_flash`] stores the flash in the session
/// on the way out, so handlers need no session to answer.
pub(super) struct Back {
    path: String,
    flash: Flash,
}

impl Back {
    pub(super) fn to(path: &str, flash: Flash) -> Self {
        Self {
            path: path.to_owned(),
            flash,
        }
    }
}

/// A flash on its way into the session (a response extension, taken by [`keep_flash`]).
#[derive(Clone)]
struct PendingFlash(Flash);

impl IntoResponse for Back {
    fn into_response(self) -> Response {
        let mut flash = self.flash;
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
        let mut response = Redirect::to(&self.path).into_response();
        response.extensions_mut().insert(PendingFlash(flash));
        response
    }
}

/// Stores the flash of a [`Back`] answer in the request's session (inside the session layer,
/// so the session is saved with it).
pub async fn keep_flash(session: Session, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Some(PendingFlash(flash)) = response.extensions_mut().remove::<PendingFlash>()
        && let Err(e) = auth::set_flash(&session, flash).await
    {
        tracing::error!(error = %e, "could not store the flash message");
    }
    response
}

pub(super) fn notice(form: &str, message: &str) -> Flash {
    Flash {
        form: form.to_owned(),
        notice: Some(message.to_owned()),
        ..Flash::default()
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

pub(super) fn clean_token(input: &str) -> String {
    let token = input.trim();
    if !token.is_empty() && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        token.to_owned()
    } else {
        String::new()
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
            Back::to("/status", notice("status", message)).into_response()
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
    Back::to("/status", notice("status", message)).into_response()
}

/// The button on the reminders page that turns them back on.
pub async fn resume_reminders(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Response {
    let token = form.token();
    let path = format!("/reminders?token={token}");
    match state.services.store.set_reminders(&token, true).await {
        Ok(_) => Back::to(&path, notice("reminders", "Reminders are back on.")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not turn reminders on");
            Back::to(&path, notice("reminders", TRY_AGAIN)).into_response()
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
        return Back::to(
            "/status",
            Flash {
                form: "status".into(),
                errors,
                values,
                notice: None,
            },
        )
        .into_response();
    }
    match state.services.store.add_appeal(&user, message).await {
        Ok(()) => {
            tracing::info!(%user, "appeal received");
            let thanks =
                "We've received your appeal. Our support team will reply by email within 2 business days.";
            Back::to("/status", notice("status", thanks)).into_response()
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
            Back::to("/status", flash).into_response()
        }
    }
}
