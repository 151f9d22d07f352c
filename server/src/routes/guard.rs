//! Request guards: login for private pages, same-origin for state changes, and request spans.

use app::auth::Auth;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::client_ip::ClientIp;
use crate::limits::try_again_in;
use crate::state::AppState;

/// The pages Leptos renders that need a signed-in user. (Routes of our own areas are protected
/// by [`require_login`] on their routers instead.)
const PRIVATE_PAGES: &[&str] = &["/status", "/verification/return", "/account"];

/// Sends anonymous visitors to the login page, remembering where they were. A route layer on
/// the routers (or routes) that need a signed-in user.
pub async fn require_login(request: Request, next: Next) -> Response {
    let signed_in = match request.extensions().get::<Auth>() {
        Some(auth) => app::auth::user_id(auth).await.is_some(),
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    // After logging in (again, if the session timed out) they land where they were.
    let target = if request.method() == Method::GET {
        let path = request.uri().path();
        let here = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
        format!("/login?next={}", encode_query_value(here))
    } else {
        "/login".to_owned()
    };
    Redirect::to(&target).into_response()
}

/// [`require_login`] for the Leptos pages in [`PRIVATE_PAGES`].
pub async fn require_login_for_private_pages(request: Request, next: Next) -> Response {
    if PRIVATE_PAGES.contains(&request.uri().path()) {
        require_login(request, next).await
    } else {
        next.run(request).await
    }
}

/// Refuses anonymous form posts past a generous per-address rate, before anything is stored:
/// each one that fails leaves a flash (a small session row) for the page it returns to. A route
/// layer on the routers of forms anyone can post.
pub async fn limit_anonymous_forms(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST
        && let Err(wait) = state.limits.form_post(client).await
    {
        tracing::info!(path = %request.uri().path(), "form post refused: too many from one address");
        let lang = request
            .extensions()
            .get::<onboarding::i18n::Lang>()
            .copied()
            .unwrap_or_default();
        let message = try_again_in(lang, wait);
        let (code, dir) = (lang.code(), lang.dir());
        let title = onboarding::i18n::t(lang, onboarding::i18n::msg::TOO_MANY_TITLE);
        let home = onboarding::i18n::t(lang, onboarding::i18n::msg::NOT_FOUND_HOME);
        let page = format!(
            "<!DOCTYPE html><html lang=\"{code}\" dir=\"{dir}\"><meta charset=\"utf-8\"><title>{title}</title>\
             <main><h1>{title}</h1><p>{message}</p><p><a href=\"/\">{home}</a></p></main></html>"
        );
        let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(page)).into_response();
        if let Ok(value) = wait.as_secs().max(1).to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    next.run(request).await
}

/// Percent-encodes `value` for use inside a query string.
pub(super) fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuses cross-site writes: the browser's `Sec-Fetch-Site`, else `Origin`, must say the
/// request comes from our own pages. SameSite=Lax cookies are the second line. The webhook
/// is exempt: LedgerOS is cross-site by nature and authenticates by signature.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.uri().path() == "/webhooks/ledger" || is_same_origin(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site write refused");
    (
        StatusCode::FORBIDDEN,
        "This request came from another site and was refused.",
    )
        .into_response()
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // No browser metadata at all: not a browser acting for a signed-in victim.
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
        }
    }
}

/// One span per request with its method and route; never the query string (it may hold tokens).
pub fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = request.uri().path();
    // An operator's one-time setup link carries its token in the path.
    let path = if path.starts_with("/admin/setup/") {
        "/admin/setup/…"
    } else {
        path
    };
    tracing::info_span!("request", id = %id, method = %request.method(), path = %path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a"),
            ("host", "a")
        ])));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_must_match_host_without_fetch_metadata() {
        assert!(is_same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
    }
}
