//! The console's page shell: header, navigation, the budget's banner and a notice around a
//! page's body, with our stylesheet, no script (but the passkey pages' own) and a strict CSP;
//! and what every page of a request knows (demo mode, the budget) through task-locals.

use app::BRAND;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use onboarding::html::escape;
use onboarding::operators::{OperatorRecord, Role};

use super::budget;
use crate::state::AppState;

/// Our stylesheet, and nothing that runs.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";
/// The same with our own passkey script (the second-factor pages only).
const CSP_PASSKEY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

tokio::task_local! {
    /// Whether this deployment is the demo, for the navigation of the page being rendered.
    static DEMO: bool;
    /// While the verification budget is used up: the red banner's words.
    static BUDGET_BANNER: Option<String>;
}

/// Runs the console's handlers knowing whether this is the demo, and whether the verification
/// budget is used up (a budget is set: three counts per console page).
pub(super) async fn in_mode(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let banner = if state.services.budget.is_limited() {
        match budget::BudgetState::read(&state).await {
            Ok(budget) => budget.used_up().then(|| budget::banner_text(budget.waiting)),
            Err(e) => {
                tracing::warn!(error = %e, "console: could not read the verification budget");
                None
            }
        }
    } else {
        None
    };
    let demo = state.mode == crate::config::Mode::Demo;
    DEMO.scope(demo, BUDGET_BANNER.scope(banner, next.run(request)))
        .await
}

/// A console page: the shell (header, navigation for `operator`, an optional notice) around
/// `body`, with no script and a strict CSP.
pub(super) fn page(
    status: StatusCode,
    title: &str,
    operator: Option<&OperatorRecord>,
    notice: Option<String>,
    body: impl IntoView + 'static,
) -> Response {
    shell(status, title, operator, notice, body, false)
}

/// A console page that runs our passkey script (`/passkey.js`, nothing inline).
pub(super) fn page_with_passkeys(
    status: StatusCode,
    title: &str,
    operator: Option<&OperatorRecord>,
    notice: Option<String>,
    body: impl IntoView + 'static,
) -> Response {
    shell(status, title, operator, notice, body, true)
}

fn shell(
    status: StatusCode,
    title: &str,
    operator: Option<&OperatorRecord>,
    notice: Option<String>,
    body: impl IntoView + 'static,
    passkeys: bool,
) -> Response {
    let demo = DEMO.try_with(|demo| *demo).unwrap_or(false);
    let nav = operator.map(|op| {
        let admin = op.role == Role::Admin;
        let (email, role) = (op.email.clone(), op.role.as_str());
        view! {
            <nav aria-label="Console" class="console-nav">
                <a href="/admin/applicants">"Applicants"</a>
                <a href="/admin/appeals">"Appeals"</a>
                <a href="/admin/webhooks">"Webhooks"</a>
                <a href="/admin/funnel">"Funnel"</a>
                <a href="/admin/data">"Data requests"</a>
                <a href="/admin/audit">"Audit log"</a>
                <a href="/admin/security">"Your sign-in"</a>
                {admin.then(|| view! { <a href="/admin/operators">"Operators"</a> <a href="/admin/email-domains">"Email domains"</a> })}
                {(admin && demo).then(|| view! { <a href="/admin/demo">"Demo data"</a> })}
                <span class="nav-greeting">{email} " · " {role}</span>
                <form method="post" action="/admin/logout" class="inline-form">
                    <button type="submit" class="link-button">"Log out"</button>
                </form>
            </nav>
        }
    });
    // Only signed-in operators see it (not the login page).
    let banner = operator
        .and_then(|_| BUDGET_BANNER.try_with(Clone::clone).ok().flatten())
        .map(|words| {
            view! {
                <div class="budget-banner">
                    <p><strong>"Verification budget used up. "</strong>{words}" " <a href="/admin/funnel#budget">"See the budget and allow more"</a></p>
                </div>
            }
        });
    let html = Owner::new().with(|| {
        let main = view! {
            {banner}
            {notice.map(|n| view! { <div class="notice" role="status"><p>{n}</p></div> })}
            {body}
        }
        .to_html();
        let nav = nav.map(|n| n.to_html()).unwrap_or_default();
        (main, nav)
    });
    let (main, nav) = html;
    let document = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {BRAND} console</title><link rel=\"stylesheet\" href=\"/pkg/onboarding.css\">{script}</head>\
         <body class=\"console\"><a class=\"skip-link\" href=\"#main\">Skip to content</a>\
         <header class=\"site-header\"><div class=\"container header-row\">\
         <a class=\"brand\" href=\"/admin\"><span class=\"brand-mark\" aria-hidden=\"true\"></span>{BRAND} console</a>\
         {nav}</div></header><main id=\"main\" class=\"container\" tabindex=\"-1\">{main}</main></body></html>",
        escape(title),
        script = if passkeys {
            "<script src=\"/passkey.js\" defer></script>"
        } else {
            ""
        },
    );
    let csp = if passkeys { CSP_PASSKEY } else { CSP };
    let headers = [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (status, headers, Html(document)).into_response()
}

/// The console could not read or write the database.
pub(super) fn unavailable(error: onboarding::store::StoreError) -> Response {
    tracing::error!(%error, "console: the database failed");
    let body = view! {
        <h1>"Something went wrong on our side"</h1>
        <p role="alert">"The database did not answer. Please reload the page in a minute; nothing you did was lost."</p>
    };
    page(StatusCode::SERVICE_UNAVAILABLE, "Try again", None, None, body)
}
