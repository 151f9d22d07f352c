//! Verification at LedgerOS from our side: off to the hosted page (a fresh link, provisioning
//! first if needed), details LedgerOS asked for again, and a denied applicant's appeal. Every
//! route needs a signed-in user.

use app::auth;
use app::auth::Auth;
use app::views::Flash;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onboarding::details::{self as personal, DetailField, DetailsForm};
use onboarding::forms::FieldErrors;
use onboarding::i18n::{Arg, Lang, msg, t, t_with};
use onboarding::ledger::LedgerUserId;
use onboarding::verification;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;

use super::flash::{Back, notice, try_again};
use super::{guard, request_timeout, small_and_quick};
use crate::state::AppState;

/// Largest appeal post: 4,000 characters, percent-encoded.
const APPEAL_BODY_LIMIT: usize = 48 * 1024;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/verification/start", post(start))
        .route("/verification/continue", get(resume))
        .route("/details", post(details));
    small_and_quick(pages, state)
        .route(
            "/appeal",
            post(appeal).layer(
                ServiceBuilder::new()
                    .layer(RequestBodyLimitLayer::new(APPEAL_BODY_LIMIT))
                    .layer(request_timeout(state.timeouts.request)),
            ),
        )
        .route_layer(axum::middleware::from_fn(guard::require_login))
}

/// Sends the user to LedgerOS's hosted page: a fresh link, provisioning first if needed.
async fn start(State(state): State<AppState>, Extension(lang): Extension<Lang>, auth: Auth) -> Response {
    let Some(user) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    match verification::verification_url(&state.services, &user).await {
        Ok(url) => {
            if let Err(e) = state.services.store.mark_started(&user).await {
                tracing::warn!(%user, error = %e, "could not note the start of verification");
            }
            Redirect::to(&in_language(&url, lang)).into_response()
        }
        // Their status page says they wait for the budget, and that they will be emailed.
        Err(verification::VerificationError::OverBudget) => Redirect::to("/status").into_response(),
        Err(e) => {
            tracing::warn!(%user, error = %e, "could not get a verification link");
            let message = t(lang, msg::NOTICE_PARTNER_UNREACHABLE);
            Back::to("/status", notice("status", &message)).into_response()
        }
    }
}

/// The hosted page's link with the person's language (`lang=es`), so that LedgerOS's page
/// opens in the language of ours; a page that does not know the parameter ignores it.
fn in_language(url: &str, lang: Lang) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}lang={}", lang.code())
}

/// The link in reminder emails: straight to the hosted page where the person left off (via
/// login if needed). Only fetches a link, so a GET is fine.
async fn resume(state: State<AppState>, lang: Extension<Lang>, auth: Auth) -> Response {
    start(state, lang, auth).await
}

/// Details LedgerOS asked for again (`requiredFields` that are not documents): checked here,
/// sent with `PATCH`, then the status is read back. Names, dates and addresses are never logged.
async fn details(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(form): Form<DetailsForm>,
) -> Response {
    let Some(id) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let services = &state.services;
    let user = match services.store.user(&id).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => {
            tracing::error!(user = %id, error = %e, "could not load the user for their details");
            return Back::to("/status", notice("status", &try_again(lang))).into_response();
        }
    };
    let requested = DetailField::requested(&user.kyc.required_fields);
    let Some(ledger_id) = user.ledger_user_id.filter(|_| !requested.is_empty()) else {
        let nothing = t(lang, msg::NOTICE_NO_DETAILS_ASKED);
        return Back::to("/status", notice("status", &nothing)).into_response();
    };
    let update = match personal::validate(&form, &requested, lang) {
        Ok(update) => update,
        Err(errors) => {
            let flash = Flash {
                form: "status".into(),
                errors,
                values: form.values(),
                notice: None,
            };
            // No `#details`: with a fragment the browser skips `autofocus`, and the list of
            // errors (which takes the focus, and scrolls into view) is at the top of the form.
            return Back::to("/status", flash).into_response();
        }
    };
    let sent = services
        .ledger
        .update_verification(&LedgerUserId::new(ledger_id), &update)
        .await;
    if let Err(e) = sent {
        tracing::warn!(user = %id, error = %e, "could not send details to LedgerOS");
        let flash = Flash {
            form: "status".into(),
            values: form.values(),
            notice: Some(t(lang, msg::NOTICE_DETAILS_UNREACHABLE)),
            ..Flash::default()
        };
        return Back::to("/status#details", flash).into_response();
    }
    tracing::info!(user = %id, fields = requested.len(), "details sent to LedgerOS");
    let sent_at = services.clock.now_ms();
    if let Err(e) = verification::refresh_after_change(services, &id, sent_at).await {
        tracing::warn!(user = %id, error = %e, "could not read the status after sending details");
    }
    let thanks = t(lang, msg::NOTICE_DETAILS_SENT);
    Back::to("/status", notice("status", &thanks)).into_response()
}

#[derive(serde::Deserialize)]
struct AppealForm {
    #[serde(default)]
    message: String,
}

/// Longest appeal we store: a few paragraphs.
pub(super) const APPEAL_MAX_CHARS: usize = 4000;

/// A denied applicant asks support to look again. Stored for the team; nothing is sent to
/// LedgerOS (appeals go through support, as the guide says).
async fn appeal(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    auth: Auth,
    Form(form): Form<AppealForm>,
) -> Response {
    let Some(user) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    let message = form.message.trim();
    let problem = if message.is_empty() {
        Some(t(lang, msg::ERROR_APPEAL_EMPTY))
    } else if message.chars().count() > APPEAL_MAX_CHARS {
        Some(t_with(
            lang,
            msg::ERROR_APPEAL_TOO_LONG,
            &[("max", Arg::from(APPEAL_MAX_CHARS))],
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
            let thanks = t(lang, msg::NOTICE_APPEAL_RECEIVED);
            Back::to("/status", notice("status", &thanks)).into_response()
        }
        Err(e) => {
            tracing::error!(%user, error = %e, "appeal could not be stored");
            let values = vec![("message".to_owned(), form.message)];
            let flash = Flash {
                form: "status".into(),
                values,
                notice: Some(try_again(lang)),
                ..Flash::default()
            };
            Back::to("/status", flash).into_response()
        }
    }
}
