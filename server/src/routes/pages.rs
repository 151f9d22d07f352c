//! Pages without an island: a Content-Security-Policy made of script hashes, and the anonymous
//! pages rendered once.
//!
//! Leptos writes a few small inline scripts into every page (its resource bookkeeping). On the
//! [`app::ISLAND_PAGES`] they run, allowed by a fresh nonce (`app::shell`). On every other page
//! nothing hydrates, so the policy names exactly those scripts by their SHA-256 hash instead:
//! no nonce, so the same bytes can be sent to everyone.
//!
//! The landing, signup and login pages are the same for every visitor without a session (a
//! session holds a flash or a sign-in, which change them). Those are rendered once per process
//! and then served from memory, policy included.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use onboarding::i18n::Lang;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Pages served from memory to visitors without a session.
pub const CACHED_PAGES: &[&str] = &["/", "/signup", "/login"];

/// The largest page we hash or keep; ours are a few KB.
const PAGE_LIMIT: usize = 512 * 1024;

/// A cached page's key: its path and language.
type PageKey = (&'static str, Lang);

/// Rendered anonymous pages, by path and language: the body and its policy.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<PageKey, (Bytes, HeaderValue)>>,
}

/// Serves a rendered anonymous page to a visitor without a session, before any session,
/// sign-in or page layer runs; anything else goes on. Placed outermost (inside the security
/// headers), so a cached page costs little more than a static file.
///
/// It also chooses the request's language from the cookie and `Accept-Language` (the account's
/// saved one comes later, inside the sessions), since the cached pages are kept per language.
pub async fn serve_cached(State(cache): State<Arc<PageCache>>, mut request: Request, next: Next) -> Response {
    let lang = super::language::requested(request.headers());
    request.extensions_mut().insert(lang);
    let cached = cache_key(&request).and_then(|key| {
        Some((
            key,
            cache.pages.read().expect("page cache lock").get(&key).cloned()?,
        ))
    });
    let mut response = match cached {
        Some((key, (body, policy))) => {
            let mut response = html(StatusCode::OK, body, policy);
            response
                .extensions_mut()
                .insert(crate::observability::RouteLabel(key.0));
            response
        }
        None => next.run(request).await,
    };
    super::language::mark(&mut response, lang);
    response
}

/// The cache key of a request that may be answered from the cache: a GET of one of the
/// [`CACHED_PAGES`], with no query string and no session cookie, in the language chosen for it
/// (by [`serve_cached`]).
fn cache_key(request: &Request) -> Option<PageKey> {
    if request.method() != Method::GET || request.uri().query().is_some() || has_session(request.headers()) {
        return None;
    }
    let lang = request.extensions().get::<Lang>().copied().unwrap_or_default();
    let path = request.uri().path();
    CACHED_PAGES.iter().find(|p| **p == path).map(|p| (*p, lang))
}

/// The layer on Leptos's page router: a hashed policy for pages without an island, and the
/// cache filled with the anonymous pages (see the module documentation).
pub async fn hashed_policy_and_cache(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    // HEAD runs the GET handler (the body is dropped on the way out): same headers.
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    if !read || app::ISLAND_PAGES.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let cacheable = cache_key(&request);
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, PAGE_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(policy) = HeaderValue::from_str(&app::page_policy(&script_hashes(&body))) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts
        .headers
        .insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    if let Some(key) = cacheable
        && parts.status == StatusCode::OK
        && !parts.headers.contains_key(header::SET_COOKIE)
    {
        cache
            .pages
            .write()
            .expect("page cache lock")
            .insert(key, (body.clone(), policy));
    }
    Response::from_parts(parts, Body::from(body))
}

/// The layer on Leptos's page router that reads a page's data before it renders
/// ([`app::preload`]), for the session the sign-in layer gave the request. Server functions
/// (under `/api/`) read their own.
pub async fn preload(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let page =
        matches!(*request.method(), Method::GET | Method::HEAD) && !request.uri().path().starts_with("/api/");
    if page && let Some(auth) = request.extensions().get::<app::auth::Auth>().cloned() {
        let data =
            app::preload::preload(request.uri().path(), &auth, &state.services, &state.refresh_gate).await;
        request.extensions_mut().insert(Arc::new(data));
    }
    next.run(request).await
}

fn html(status: StatusCode, body: Bytes, policy: HeaderValue) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// Every cookie of a request as (name, value), trimmed.
pub(super) fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
}

/// Whether the request carries our session cookie (either name: plain or `__Host-`).
fn has_session(headers: &HeaderMap) -> bool {
    cookies(headers).any(|(name, _)| matches!(name, "session" | "__Host-session"))
}

/// `'sha256-…'` for every inline script (a `<script>` without `src`) in `html`.
fn script_hashes(html: &[u8]) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = find(rest, b"<script") {
        rest = &rest[start..];
        let Some(open_end) = find(rest, b">") else { break };
        let tag = &rest[..open_end];
        let body = &rest[open_end + 1..];
        let Some(close) = find(body, b"</script>") else {
            break;
        };
        if find(tag, b" src=").is_none() {
            let digest = Sha256::digest(&body[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes.sort();
    hashes.dedup();
    hashes
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let page = br#"<head><script src="/enhance.js" defer></script></head><body><script nonce="x">a=1;</script><script>a=1;</script><script>b=2;</script></body>"#;
        let hashes = script_hashes(page);
        // sha256("a=1;") and sha256("b=2;"), base64: what a browser computes for the CSP.
        let expect = |s: &str| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
            )
        };
        let mut want = vec![expect("a=1;"), expect("b=2;")];
        want.sort();
        assert_eq!(hashes, want);
    }

    #[test]
    fn a_session_cookie_is_recognised_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; session=abc"),
        );
        assert!(has_session(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("sessionish=1; other=2"));
        assert!(!has_session(&headers));
    }
}
