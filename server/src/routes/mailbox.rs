//! The dev mailbox (demo mode only): every email the app sent, so the product team can demo
//! signup confirmation, password reset and reminders without a mail server.
//!
//! Plain server-rendered HTML with the app's stylesheet: a tool for demos needs no
//! interactivity, and keeping it out of the Leptos app keeps ~90 KB out of the wasm bundle.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use onboarding::email::SentEmail;
use onboarding::html::escape;

use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/dev/mailbox", get(list))
        .route("/dev/mailbox/{id}", get(show));
    super::small_and_quick(pages, state)
}

/// Our stylesheet, and nothing that runs.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

const NOT_DEMO: &str = "The dev mailbox exists only in demo mode. This app sends real email.";

/// `GET /dev/mailbox`: sent emails, newest first.
async fn list(State(state): State<AppState>) -> Response {
    if !state.dev_mailbox {
        return page(
            StatusCode::NOT_FOUND,
            "Dev mailbox",
            &format!("<h1>Dev mailbox</h1><p>{NOT_DEMO}</p>"),
        );
    }
    let emails = match state.services.store.sent_emails(200).await {
        Ok(emails) => emails,
        Err(e) => return unavailable(e),
    };
    let mut body = String::from(
        "<h1>Dev mailbox</h1><p class=\"lead\">Demo mode: the emails the app sent, newest first. \
         Nothing here left this machine.</p>",
    );
    if emails.is_empty() {
        body.push_str("<p>No emails yet. <a href=\"/signup\">Sign up</a> to get the first one.</p>");
    } else {
        body.push_str("<ul class=\"mail-list\">");
        for email in &emails {
            body.push_str(&format!(
                "<li><a href=\"/dev/mailbox/{}\"><span class=\"mail-subject\">{}</span> \
                 <span class=\"mail-to\">To: {}</span></a></li>",
                email.id,
                escape(&email.subject),
                escape(&email.to)
            ));
        }
        body.push_str("</ul>");
    }
    page(StatusCode::OK, "Dev mailbox", &body)
}

/// `GET /dev/mailbox/{id}`: one email, its links clickable.
async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    if !state.dev_mailbox {
        return page(
            StatusCode::NOT_FOUND,
            "Dev mailbox",
            &format!("<h1>Dev mailbox</h1><p>{NOT_DEMO}</p>"),
        );
    }
    match state.services.store.sent_email(id).await {
        Ok(Some(email)) => page(StatusCode::OK, &email.subject, &email_html(&email)),
        Ok(None) => page(
            StatusCode::NOT_FOUND,
            "No such email",
            "<p><a href=\"/dev/mailbox\">← All emails</a></p><h1>No such email</h1>",
        ),
        Err(e) => unavailable(e),
    }
}

fn unavailable(error: onboarding::store::StoreError) -> Response {
    tracing::error!(%error, "could not read the dev mailbox");
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Dev mailbox",
        "<h1>Dev mailbox</h1><p role=\"alert\">The mailbox could not be read. Please reload.</p>",
    )
}

fn email_html(email: &SentEmail) -> String {
    let lines: Vec<String> = email.body.lines().map(linkify).collect();
    format!(
        "<p><a href=\"/dev/mailbox\">← All emails</a></p>\
         <article class=\"panel mail\"><h1 class=\"mail-title\">{}</h1>\
         <p class=\"muted\">To: {}</p><div class=\"mail-body\">{}</div></article>",
        escape(&email.subject),
        escape(&email.to),
        lines.join("<br>")
    )
}

/// One line of text as HTML, with every http(s) address made a link.
fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                format!("<a href=\"{0}\">{0}</a>", escape(word))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn page(status: StatusCode, title: &str, main: &str) -> Response {
    let brand = app::BRAND;
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {brand}</title><link rel=\"stylesheet\" href=\"/pkg/onboarding.css\"></head>\
         <body><a class=\"skip-link\" href=\"#main\">Skip to content</a>\
         <header class=\"site-header\"><div class=\"container header-row\">\
         <a class=\"brand\" href=\"/\"><span class=\"brand-mark\" aria-hidden=\"true\"></span>{brand}</a>\
         <nav aria-label=\"Demo\"><a href=\"/dev/mailbox\">Dev mailbox</a> <a href=\"/status\">Your status</a></nav>\
         </div></header><main id=\"main\" class=\"container\" tabindex=\"-1\"><div class=\"narrow mailbox\">{main}</div></main></body></html>",
        escape(title)
    );
    let csp = [(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP))];
    (status, csp, Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_addresses_become_links() {
        assert_eq!(
            linkify("Open <this> http://a.example/x?token=1&b=2 now"),
            "Open &lt;this&gt; <a href=\"http://a.example/x?token=1&amp;b=2\">http://a.example/x?token=1&amp;b=2</a> now"
        );
    }
}
