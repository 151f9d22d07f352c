//! The operator console at `/admin`: the fintech's support team answers appeals and reads the
//! audit log; admins also manage operators. Operators are not customers: they sign in with an
//! operator account (created with `server admin create`), kept under their own key in the
//! session, so a customer's login never opens the console.
//!
//! Pages are rendered on the server with Leptos's `view!` (escaped like every page) into a
//! shell with our stylesheet and no script at all; every action is a plain form post.

mod appeals;
mod applicant;
mod applicants;
mod budget;
mod data;
mod demo;
mod domains;
mod factor;
mod funnel;
mod login;
mod shell;
mod signals;
mod team;
mod webhooks;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use onboarding::clock::Millis;
use onboarding::operators::{OperatorRecord, Role};
use onboarding::store::OperatorId;
use tower_sessions::Session;

use super::guard::encode_query_value;
use crate::state::AppState;
use shell::{in_mode, page, page_with_passkeys, unavailable};

/// Where the signed-in operator is kept in the session.
const OPERATOR_KEY: &str = "operator";
/// A message for the next console page (after a form post).
const NOTICE_KEY: &str = "console_notice";
/// However active, an operator signs in again after this long.
const OPERATOR_SESSION_MS: Millis = 8 * 60 * 60 * 1000;
/// A console session left alone this long ends (issue 27).
const OPERATOR_IDLE_MS: Millis = 15 * 60 * 1000;
/// Replaying a webhook, adding an operator, resetting a factor and deleting data ask for the
/// second factor again when it is older than this.
const STEP_UP_MS: Millis = 5 * 60 * 1000;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let console = Router::new()
        .merge(login::routes(state))
        .merge(factor::routes(state))
        .merge(appeals::routes())
        .merge(applicants::routes())
        .merge(applicant::routes())
        .merge(team::routes())
        .merge(funnel::routes())
        .merge(data::routes())
        .merge(demo::routes())
        .merge(domains::routes())
        .merge(budget::routes())
        .merge(webhooks::routes());
    let console = console.route_layer(axum::middleware::from_fn_with_state(state.clone(), in_mode));
    super::small_and_quick(console, state)
}

/// Who is signed in to the console, as kept in the session.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct OperatorLogin {
    id: OperatorId,
    /// When they signed in.
    at: Millis,
    /// Their latest request.
    #[serde(default)]
    seen: Millis,
    /// The browser family they signed in with ([`browser_family`]): another one with the same
    /// cookie is a stolen session.
    #[serde(default)]
    browser: String,
    /// When they last gave their second factor; `None` until they do, and then only the
    /// second-factor pages open.
    #[serde(default)]
    factor_at: Option<Millis>,
}

/// The family of the browser that sent `headers`, from its `User-Agent`: coarse on purpose (a
/// browser's update changes its version, not its family).
pub(super) fn browser_family(headers: &axum::http::HeaderMap) -> &'static str {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
    [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(marker, _)| agent.contains(marker))
    .map_or(if agent.is_empty() { "none" } else { "other" }, |(_, family)| {
        family
    })
}

/// The signed-in operator (any role), who gave their second factor. Anyone else is sent to the
/// operator login, or to the second factor.
pub(super) struct Operator {
    pub record: OperatorRecord,
    pub session: Session,
    /// When they last gave their second factor.
    pub factor_at: Millis,
}

/// An operator who gave their password, with or without their second factor yet: what the
/// second-factor pages take.
pub(super) struct PasswordGiven {
    pub record: OperatorRecord,
    pub session: Session,
    pub login: OperatorLogin,
}

/// Where a console request without a live login goes: the login, back here after it.
fn to_login(parts: &Parts) -> Response {
    let here = parts.uri.path_and_query().map_or("/admin", |pq| pq.as_str());
    let next = if parts.method == axum::http::Method::GET {
        format!("?next={}", encode_query_value(here))
    } else {
        String::new()
    };
    Redirect::to(&format!("/admin/login{next}")).into_response()
}

impl FromRequestParts<AppState> for PasswordGiven {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(session) = parts.extensions.get::<Session>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let login: Option<OperatorLogin> = session.get(OPERATOR_KEY).await.ok().flatten();
        let Some(mut login) = login else {
            return Err(to_login(parts));
        };
        let now = state.services.clock.now_ms();
        let idle = now - login.seen.max(login.at) > OPERATOR_IDLE_MS;
        let other_browser = login.browser != browser_family(&parts.headers);
        if now - login.at > OPERATOR_SESSION_MS || idle || other_browser {
            if other_browser {
                tracing::warn!(operator = %login.id, "console: the session came from another browser; ended");
            }
            let _ = session.remove::<OperatorLogin>(OPERATOR_KEY).await;
            return Err(to_login(parts));
        }
        // Seen now: the idle time counts from here (a write a minute at most).
        if now - login.seen >= 60_000 {
            login.seen = now;
            let _ = session.insert(OPERATOR_KEY, &login).await;
        }
        match state.services.store.operator(&login.id).await {
            Ok(Some(record)) => Ok(Self {
                record,
                session,
                login,
            }),
            Ok(None) => {
                let _ = session.remove::<OperatorLogin>(OPERATOR_KEY).await;
                Err(to_login(parts))
            }
            Err(e) => Err(unavailable(e)),
        }
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let given = PasswordGiven::from_request_parts(parts, state).await?;
        let Some(factor_at) = given.login.factor_at else {
            // A password alone opens nothing but the second factor.
            let here = parts.uri.path_and_query().map_or("/admin", |pq| pq.as_str());
            let next = if parts.method == axum::http::Method::GET {
                format!("?next={}", encode_query_value(here))
            } else {
                String::new()
            };
            return Err(Redirect::to(&format!("/admin/2fa{next}")).into_response());
        };
        Ok(Self {
            record: given.record,
            session: given.session,
            factor_at,
        })
    }
}

impl Operator {
    /// Whether their second factor is recent enough for a sensitive action at `now`.
    fn factor_is_fresh(&self, now: Millis) -> bool {
        now - self.factor_at <= STEP_UP_MS
    }

    /// Sends them to give their second factor again, then back to `back` to do it again.
    async fn step_up(&self, back: &str) -> Response {
        self.leave_notice("For this action, confirm it's you with your second factor first (the last time was over 5 minutes ago). Then do it again: nothing was changed.")
            .await;
        Redirect::to(&format!("/admin/2fa?again=1&next={}", encode_query_value(back))).into_response()
    }
}

/// The signed-in operator, who must be an admin: a support operator gets 403.
pub(super) struct Admin(pub Operator);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let operator = Operator::from_request_parts(parts, state).await?;
        if operator.record.role == Role::Admin {
            return Ok(Self(operator));
        }
        tracing::info!(operator = %operator.record.id, path = %parts.uri.path(), "console: refused, admins only");
        let body = view! {
            <h1>"Admins only"</h1>
            <p>"Your role is support: you can read applicants and answer appeals. Replaying webhooks and managing operators need an admin; ask one of your admins if you need this."</p>
            <p><a href="/admin/appeals">"Back to the appeals queue"</a></p>
        };
        Err(page(
            StatusCode::FORBIDDEN,
            "Admins only",
            Some(&operator.record),
            None,
            body,
        ))
    }
}

impl Operator {
    /// Takes the message left for this page by the last form post.
    async fn take_notice(&self) -> Option<String> {
        self.session.remove::<String>(NOTICE_KEY).await.ok().flatten()
    }

    /// Records that this operator, at `client`, looked at `subject`'s data (`action` says
    /// what). A failure to record is logged, and the page is still shown: the database that
    /// failed here would fail the page too, and be reported there.
    async fn record_view(&self, state: &AppState, action: &str, subject: &str, client: std::net::IpAddr) {
        if let Err(e) = state
            .services
            .store
            .record_view(&self.record.id, action, subject, &client.to_string())
            .await
        {
            tracing::warn!(error = %e, "console: could not record a view in the audit log");
        }
    }

    /// Leaves `message` for the next page.
    async fn leave_notice(&self, message: &str) {
        if let Err(e) = self.session.insert(NOTICE_KEY, message).await {
            tracing::warn!(error = %e, "console: could not keep a notice");
        }
    }
}

/// An applicant's language for staff, in English: the one they chose or signed up in, or that
/// their pages follow their browser.
fn language_in_words(language: Option<onboarding::i18n::Lang>) -> String {
    match language {
        Some(lang) => format!("{} ({})", lang.english_name(), lang.native_name()),
        None => "not chosen (follows their browser)".to_owned(),
    }
}

/// How long ago `then` was, roughly, in words ("3 hours", "2 days").
fn age_in_words(then: Millis, now: Millis) -> String {
    let minutes = (now - then).max(0) / 60_000;
    let (n, unit) = match minutes {
        0 => return "under a minute".to_owned(),
        m if m < 60 => (m, "minute"),
        m if m < 48 * 60 => (m / 60, "hour"),
        m => (m / (24 * 60), "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::{age_in_words, browser_family};

    #[test]
    fn browsers_are_told_apart_by_family_not_version() {
        let family = |agent: &str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(axum::http::header::USER_AGENT, agent.parse().unwrap());
            browser_family(&headers)
        };
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(family(chrome), "Chrome");
        assert_eq!(family(&chrome.replace("131.0", "132.0")), "Chrome");
        assert_eq!(family(&format!("{chrome} Edg/131.0.0.0")), "Edge");
        assert_eq!(
            family("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"),
            "Safari"
        );
        assert_eq!(
            family("Mozilla/5.0 (X11; rv:128.0) Gecko/20100101 Firefox/128.0"),
            "Firefox"
        );
        assert_eq!(family("curl/8.5.0"), "other");
        assert_eq!(browser_family(&axum::http::HeaderMap::new()), "none");
    }

    #[test]
    fn ages_read_as_words() {
        let hour = 3_600_000;
        assert_eq!(age_in_words(0, 30_000), "under a minute");
        assert_eq!(age_in_words(0, 60_000), "1 minute");
        assert_eq!(age_in_words(0, 3 * hour), "3 hours");
        assert_eq!(age_in_words(0, 47 * hour), "47 hours");
        assert_eq!(age_in_words(0, 72 * hour), "3 days");
        assert_eq!(age_in_words(10, 0), "under a minute");
    }
}
