//! The applicant's language: chosen for every request, and changed with the switcher.
//!
//! The order is the account's saved language, then the switcher's cookie, then the browser's
//! `Accept-Language` (by quality), then English ([`Lang::choose`]). The pages read the choice
//! from the request's extensions (`app::i18n::use_lang`).

use app::auth::{self, Auth};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use onboarding::i18n::{LANG_COOKIE, Lang};

use super::{guard, small_and_quick};
use crate::state::AppState;

/// How long the switcher's cookie lasts: a year.
const COOKIE_MAX_AGE_SECS: u64 = 365 * 24 * 60 * 60;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    let routes =
        Router::new()
            .route("/language", post(switch))
            .route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                guard::limit_anonymous_forms,
            ));
    small_and_quick(routes, state)
}

/// The language a request asks for before we know who sent it: the cookie, then
/// `Accept-Language`, then English.
pub fn requested(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Lang::choose(None, cookie(headers).as_deref(), accept)
}

/// The switcher's cookie, if the request carries one.
fn cookie(headers: &HeaderMap) -> Option<String> {
    super::pages::cookies(headers)
        .find(|(name, _)| *name == LANG_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// `Content-Language` (unless a layer inside set the account's) and `Vary` on an answer to a
/// request in `lang`. Called by the outermost page layer (`pages::serve_cached`), which also
/// puts the language chosen by [`requested`] in the request's extensions: one layer for both,
/// as the cached pages are chosen by it.
pub fn mark(response: &mut Response, lang: Lang) {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_LANGUAGE) {
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    }
    headers.append(header::VARY, HeaderValue::from_static("accept-language, cookie"));
}

/// Inside the session layers: a signed-in person's saved language comes first.
pub async fn saved(mut request: Request, next: Next) -> Response {
    let saved = match request.extensions().get::<Auth>() {
        Some(auth) => auth.user.as_ref().and_then(|user| user.record.language),
        None => None,
    };
    if let Some(lang) = saved {
        request.extensions_mut().insert(lang);
        let mut response = next.run(request).await;
        response
            .headers_mut()
            .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
        return response;
    }
    next.run(request).await
}

#[derive(serde::Deserialize)]
struct SwitchForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    next: String,
}

/// `POST /language`: the switcher. Remembers the choice in a cookie and, for a signed-in
/// person, on the account (their emails follow it), then goes back to the page.
async fn switch(State(state): State<AppState>, auth: Auth, Form(form): Form<SwitchForm>) -> Response {
    let back = onboarding::forms::safe_next(Some(&form.next)).unwrap_or_else(|| "/".to_owned());
    let Some(lang) = Lang::parse(&form.lang) else {
        return Redirect::to(&back).into_response();
    };
    if let Some(user) = auth::user_id(&auth).await
        && let Err(e) = state.services.store.set_language(&user, lang).await
    {
        tracing::error!(%user, error = %e, "could not save the language on the account");
    }
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}; SameSite=Lax{secure}",
        lang.code()
    );
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
