//! The device cookie: a random token that names a browser to the accounts signed in from it
//! (the server keeps only its SHA-256). Login attempts from a known device are counted apart
//! from the account-wide limit, so guessing at an account does not lock its owner out.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use onboarding::store::UserId;
use onboarding::tokens;

use crate::state::AppState;

/// The device cookie: a random token naming this browser to the accounts signed in from it.
fn device_cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        "__Host-device"
    } else {
        "device"
    }
}

/// The device token this browser carries, if it looks like one of ours.
pub(super) fn device_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
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
pub(super) async fn remember_device(
    state: &AppState,
    user: &UserId,
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
