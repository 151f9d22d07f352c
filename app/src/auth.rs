//! Server-side session helpers shared by server functions and the form handlers.

use leptos::prelude::*;
use onboarding::accounts::login_expired;
use onboarding::clock::Clock;
use onboarding::services::Services;
use onboarding::store::{UserId, UserRecord};
use tower_sessions::Session;

use crate::api::{Flash, StatusView};

const USER_KEY: &str = "user_id";
const FLASH_KEY: &str = "flash";
const LOGGED_IN_AT_KEY: &str = "logged_in_at";

async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// The id of the signed-in user in `session`; ends the session if it is past the absolute
/// timeout (the idle timeout is the session store's own expiry).
pub async fn user_id(session: &Session) -> Option<UserId> {
    let id = session.get::<UserId>(USER_KEY).await.ok().flatten()?;
    let logged_in_at = session
        .get::<i64>(LOGGED_IN_AT_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if login_expired(logged_in_at, Clock::system().now_ms()) {
        let _ = session.flush().await;
        return None;
    }
    Some(id)
}

/// Signs `user` in: a new session id first, so an id planted before login is worthless.
pub async fn log_in(session: &Session, user: &UserId) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(LOGGED_IN_AT_KEY, Clock::system().now_ms()).await?;
    session.insert(USER_KEY, user).await
}

/// Ends the session on the server, not only in the browser.
pub async fn log_out(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.flush().await
}

/// Leaves `flash` for the next page that shows `flash.form`.
pub async fn set_flash(session: &Session, flash: Flash) -> Result<(), tower_sessions::session::Error> {
    session.insert(FLASH_KEY, flash).await
}

/// The signed-in user, from the session of the current request.
pub async fn current_user() -> Result<Option<UserRecord>, ServerFnError> {
    let session = session().await?;
    let Some(id) = user_id(&session).await else {
        return Ok(None);
    };
    let services = expect_context::<Services>();
    let user = services.store.user(&id).await.map_err(|e| {
        tracing::error!(error = %e, "loading the signed-in user failed");
        ServerFnError::new("We could not load your account. Please try again.")
    })?;
    Ok(user)
}

pub async fn take_flash(form: &str) -> Result<Option<Flash>, ServerFnError> {
    let session = session().await?;
    let flash: Option<Flash> = session.get(FLASH_KEY).await.ok().flatten();
    match flash {
        Some(flash) if flash.form == form => {
            let _ = session.remove::<Flash>(FLASH_KEY).await;
            Ok(Some(flash))
        }
        _ => Ok(None),
    }
}

pub fn status_view_of(user: UserRecord) -> StatusView {
    StatusView {
        first_name: user.first_name,
        status: user.kyc.status,
        required_fields: user.kyc.required_fields,
        provisioned: user.verification_url.is_some(),
        returned: user.returned_at.is_some(),
        appeal_sent: user.appealed_at.is_some(),
    }
}
