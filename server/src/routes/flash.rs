//! The way back from a form post. Each plain HTML form post redirects (303) to a page: on
//! success to the next step, on error back to the form with a flash holding the errors. The
//! same path serves browsers with and without JavaScript.

use app::auth;
use app::views::Flash;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::verification::APPEAL_MAX_CHARS;

/// "Something went wrong on our side", in `lang`.
pub(super) fn try_again(lang: onboarding::i18n::Lang) -> String {
    onboarding::i18n::t(lang, onboarding::i18n::msg::NOTICE_TRY_AGAIN)
}

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

pub(super) fn clean_token(input: &str) -> String {
    let token = input.trim();
    if !token.is_empty() && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        token.to_owned()
    } else {
        String::new()
    }
}
